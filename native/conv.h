// Convolution kernels for ferc's training path: NHWC activations, HWIO filters, float32.
// Output channels must be a multiple of 8 (input channels for the input gradient); callers fall
// back to portable kernels otherwise.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ferc {

struct ConvShape {
  int n, h, w, c;      // input
  int fh, fw, o;       // filter (fh, fw, c, o)
  int oh, ow;          // output
  int sh, sw;          // strides
  int padTop, padLeft; // zero padding before the first row / column
};

// Optional epilogue of the forward convolution: out = act(conv + bias).
struct Epilogue {
  const float* bias = nullptr;  // [o] or null
  bool relu = false;
};

// out[n, oh, ow, o] = sum over (kh, kw, c) of x[n, oy*sh+kh-padTop, ox*sw+kw-padLeft, c] * f[kh, kw, c, o]
void conv2dForward(const ConvShape& s, const float* x, const float* f, float* out, int threads,
                   const Epilogue& ep = Epilogue());

// dw[kh, kw, c, o] = sum over (n, oy, ox) of x[n, oy*sh+kh-padTop, ox*sw+kw-padLeft, c] * dy[n, oy, ox, o]
void conv2dFilterGrad(const ConvShape& s, const float* x, const float* dy, float* dw, int threads);

// dx[n, iy, ix, c] = sum over (kh, kw, o) of dy[n, oy, ox, o] * f[kh, kw, c, o] where
// iy = oy*sh + kh - padTop, ix = ox*sw + kw - padLeft (any stride). Needs c a multiple of 8.
void conv2dInputGrad(const ConvShape& s, const float* dy, const float* f, float* dx, int threads);

// "AVX-512" or "AVX2": the kernels in use.
const char* isaName();

// Backward of relu(z + bias) given its output y: dz = dy * (y > 0), dbias[c] = sum of dz over rows.
void reluBiasGrad(int64_t m, int c, const float* dy, const float* y, float* dz, float* dbias, int threads);

}  // namespace ferc
