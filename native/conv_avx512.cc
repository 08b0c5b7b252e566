// The convolution kernels for AVX-512 F/VL (compiled with -mavx512f -mavx512vl; 8-channel tails use ymm).
#define FERC_WIDE 1
#include <algorithm>
#include <cstdint>

#include "conv_isa.h"
#include "parallel.h"
#include "simd.h"

namespace ferc::avx512 {
#include "conv_impl.h"

void forwardIsa(const ConvShape& s, const Padded& xp, const float* f, float* out, int threads, const Epilogue& ep) {
  forward(s, xp, f, out, threads, ep);
}
void filterGradPartIsa(const ConvShape& s, const Padded& xp, const float* dy, float* d, int b0, int b1) {
  filterGradPart(s, xp, dy, d, b0, b1);
}
void inputGradIsa(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int threads) {
  inputGrad(s, gp, ft, dx, threads);
}
}  // namespace ferc::avx512
