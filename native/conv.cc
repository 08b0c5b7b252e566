// AVX2/FMA convolution kernels. Both are register-blocked outer products vectorised over output
// channels: P scalars of one operand (pixels for the forward pass, input channels for the filter
// gradient) broadcast against V 8-wide vectors of the other, so each step issues P*V FMAs for
// P + V loads. Padding is materialised once (a zero-padded copy of x) so inner loops never test
// bounds; stride is handled by the address arithmetic.
#include "conv.h"
#include "parallel.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

namespace ferc {
namespace {

// A view of x with padding already applied: rows of `wp` pixels, `hp` rows per image.
struct Padded {
  const float* data;
  int hp, wp;
};

// One grow-only scratch buffer for padded copies. Reusing it avoids faulting in fresh pages (tens
// of MB per call) on every step. Thread-local because each JS thread (main or worker) calls
// kernels one at a time, but workers may run concurrently.
std::vector<float>& scratch() {
  thread_local std::vector<float> buf;
  return buf;
}

// Rows/columns the convolution actually reads, starting at -padTop / -padLeft. Every element of
// the copy is written exactly once (data or zero), so the reused buffer needs no clearing.
Padded pad(const ConvShape& s, const float* x) {
  Padded p;
  p.hp = (s.oh - 1) * s.sh + s.fh;
  p.wp = (s.ow - 1) * s.sw + s.fw;
  if (s.padTop == 0 && s.padLeft == 0 && p.hp <= s.h && p.wp <= s.w) {
    // No copy: read x in place with its own row pitch.
    p.data = x;
    p.hp = s.h;
    p.wp = s.w;
    return p;
  }
  std::vector<float>& buf = scratch();
  const size_t need = static_cast<size_t>(s.n) * p.hp * p.wp * s.c;
  if (buf.size() < need) buf.resize(need);
  const int c0 = std::max(0, s.padLeft);  // first padded column holding data
  const int sc0 = c0 - s.padLeft;         // its source column
  const int cols = std::max(0, std::min(p.wp - c0, s.w - sc0));
  for (int b = 0; b < s.n; b++) {
    for (int r = 0; r < p.hp; r++) {
      float* dst = &buf[(static_cast<size_t>(b) * p.hp + r) * p.wp * s.c];
      const int sr = r - s.padTop;
      if (sr < 0 || sr >= s.h || cols == 0) {
        std::memset(dst, 0, sizeof(float) * p.wp * s.c);
        continue;
      }
      std::memset(dst, 0, sizeof(float) * c0 * s.c);
      std::memcpy(dst + static_cast<size_t>(c0) * s.c, &x[((static_cast<size_t>(b) * s.h + sr) * s.w + sc0) * s.c],
                  sizeof(float) * cols * s.c);
      std::memset(dst + static_cast<size_t>(c0 + cols) * s.c, 0, sizeof(float) * (p.wp - c0 - cols) * s.c);
    }
  }
  p.data = buf.data();
  return p;
}

// Forward micro-kernel: P output pixels × V*8 output channels. Pixels are consecutive in the
// flattened (image, row, column) order, so blocks run across row ends and only the last block of
// a thread's range is partial. For one filter row kh, the fw*C inputs a pixel reads are contiguous
// in x (NHWC), as are the matching filter rows (HWIO): one reduction loop of length fw*C.
template <int P, int V>
inline void fwdBlock(const ConvShape& s, const Padded& xp, const float* f, float* out, int64_t q0, int valid, int ob,
                     const Epilogue& ep) {
  __m256 acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = _mm256_setzero_ps();
  const int C = s.c, O = s.o;
  const int K = s.fw * C;
  const int64_t plane = static_cast<int64_t>(s.oh) * s.ow;
  const float* base[P];
  for (int p = 0; p < P; p++) {
    // Pixels past the range re-read the first pixel and are not stored: no branches inside.
    const int64_t q = q0 + (p < valid ? p : 0);
    const int64_t b = q / plane, r = q % plane;
    const int oy = static_cast<int>(r / s.ow), ox = static_cast<int>(r % s.ow);
    base[p] = xp.data + ((b * xp.hp + static_cast<int64_t>(oy) * s.sh) * xp.wp + static_cast<int64_t>(ox) * s.sw) * C;
  }
  const size_t rowPitch = static_cast<size_t>(xp.wp) * C;
  for (int kh = 0; kh < s.fh; kh++) {
    const float* wk = f + static_cast<size_t>(kh) * K * O + ob;
    const size_t off = kh * rowPitch;
    for (int k = 0; k < K; k++) {
      __m256 wv[V];
      for (int v = 0; v < V; v++) wv[v] = _mm256_loadu_ps(wk + static_cast<size_t>(k) * O + 8 * v);
      for (int p = 0; p < P; p++) {
        __m256 xb = _mm256_broadcast_ss(base[p] + off + k);
        for (int v = 0; v < V; v++) acc[p][v] = _mm256_fmadd_ps(xb, wv[v], acc[p][v]);
      }
    }
  }
  if (ep.bias != nullptr) {
    for (int v = 0; v < V; v++) {
      const __m256 bv = _mm256_loadu_ps(ep.bias + ob + 8 * v);
      for (int p = 0; p < P; p++) acc[p][v] = _mm256_add_ps(acc[p][v], bv);
    }
  }
  if (ep.relu) {
    const __m256 zero = _mm256_setzero_ps();
    for (int p = 0; p < P; p++)
      for (int v = 0; v < V; v++) acc[p][v] = _mm256_max_ps(acc[p][v], zero);
  }
  for (int p = 0; p < valid && p < P; p++) {
    float* o = out + (q0 + p) * O + ob;
    for (int v = 0; v < V; v++) _mm256_storeu_ps(o + 8 * v, acc[p][v]);
  }
}

// Filter-gradient micro-kernel: P consecutive reduction rows k = kw*C + c (contiguous in both x
// and dw for a fixed kh) × V*8 output channels, summed over one output row (b, oy). Working row by
// row keeps that row of dy and x in L1 while every block consumes it; sweeping whole images per
// block would re-stream dy from memory once per block.
template <int P, int V>
inline void gradBlock(const ConvShape& s, const Padded& xp, const float* dy, float* dw, int b, int oy0, int oy1,
                      int kh, int k0, int validK, int ob) {
  __m256 acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = _mm256_setzero_ps();
  const int C = s.c, O = s.o;
  int ks[P];
  // Rows past K re-read row k0 and are not stored: no branches inside.
  for (int p = 0; p < P; p++) ks[p] = p < validK ? k0 + p : k0;
  const size_t xstep = static_cast<size_t>(s.sw) * C;
  for (int oy = oy0; oy < oy1; oy++) {
    const float* row = xp.data + (static_cast<size_t>(b) * xp.hp + oy * s.sh + kh) * xp.wp * C;
    const float* g = dy + (static_cast<size_t>(b) * s.oh + oy) * s.ow * O + ob;
    for (int ox = 0; ox < s.ow; ox++, row += xstep, g += O) {
      __m256 gv[V];
      for (int v = 0; v < V; v++) gv[v] = _mm256_loadu_ps(g + 8 * v);
      for (int p = 0; p < P; p++) {
        __m256 xb = _mm256_broadcast_ss(row + ks[p]);
        for (int v = 0; v < V; v++) acc[p][v] = _mm256_fmadd_ps(xb, gv[v], acc[p][v]);
      }
    }
  }
  for (int p = 0; p < validK && p < P; p++) {
    float* d = dw + (static_cast<size_t>(kh) * s.fw * C + k0 + p) * O + ob;
    for (int v = 0; v < V; v++) _mm256_storeu_ps(d + 8 * v, _mm256_add_ps(_mm256_loadu_ps(d + 8 * v), acc[p][v]));
  }
}

template <int P>
void gradRows(const ConvShape& s, const Padded& xp, const float* dy, float* d, int b, int oy0, int oy1) {
  const int K = s.fw * s.c;
  for (int kh = 0; kh < s.fh; kh++)
    for (int k0 = 0; k0 < K; k0 += P) {
      const int validK = std::min(P, K - k0);
      int ob = 0;
      for (; ob + 16 <= s.o; ob += 16) gradBlock<P, 2>(s, xp, dy, d, b, oy0, oy1, kh, k0, validK, ob);
      if (ob < s.o) gradBlock<P, 1>(s, xp, dy, d, b, oy0, oy1, kh, k0, validK, ob);
    }
}

constexpr int FWD_P = 6;   // 6 pixels × 2 vectors = 12 accumulators of 16 ymm registers
constexpr int GRAD_P = 6;

}  // namespace

void conv2dForward(const ConvShape& s, const float* x, const float* f, float* out, int threads, const Epilogue& ep) {
  Padded xp = pad(s, x);
  const int64_t pixels = static_cast<int64_t>(s.n) * s.oh * s.ow;
  // Chunks are whole blocks of FWD_P pixels so only the global last block is partial.
  const int64_t blocks = (pixels + FWD_P - 1) / FWD_P;
  parallelChunks(blocks, threads, std::max<int64_t>(1, blocks / (64 * threads)), [&](int64_t k0, int64_t k1, int) {
    for (int64_t k = k0; k < k1; k++) {
      const int64_t q0 = k * FWD_P;
      const int valid = static_cast<int>(std::min<int64_t>(FWD_P, pixels - q0));
      int ob = 0;
      for (; ob + 16 <= s.o; ob += 16) fwdBlock<FWD_P, 2>(s, xp, f, out, q0, valid, ob, ep);
      if (ob < s.o) fwdBlock<FWD_P, 1>(s, xp, f, out, q0, valid, ob, ep);
    }
  });
}

void conv2dFilterGrad(const ConvShape& s, const float* x, const float* dy, float* dw, int threads) {
  Padded xp = pad(s, x);
  const size_t dwSize = static_cast<size_t>(s.fh) * s.fw * s.c * s.o;
  threads = std::max(1, std::min(threads, s.n));
  // Each thread reduces over its own images into a private buffer; buffers are summed after.
  std::vector<std::vector<float>> partial(threads, std::vector<float>(dwSize, 0.0f));
  // Reduction rows per kh are fw*C; blocks of 6 fit 48/96/192, blocks of 3 the 3 of a 1-channel input.
  const bool small = (s.fw * s.c) % 6 != 0 && (s.fw * s.c) % 3 == 0;
  const int rowsPerChunk = std::max(1, (64 + s.ow - 1) / s.ow);
  parallelChunks(s.n, threads, 1, [&](int64_t b0, int64_t b1, int t) {
    float* d = partial[t].data();
    for (int b = static_cast<int>(b0); b < b1; b++)
      // Chunks of >= 64 pixels amortise the accumulator load/store; still small enough for L1.
      for (int oy = 0; oy < s.oh; oy += rowsPerChunk) {
        const int oy1 = std::min(s.oh, oy + rowsPerChunk);
        if (small) gradRows<3>(s, xp, dy, d, b, oy, oy1);
        else gradRows<GRAD_P>(s, xp, dy, d, b, oy, oy1);
      }
  });
  std::memcpy(dw, partial[0].data(), dwSize * sizeof(float));
  for (int t = 1; t < threads; t++)
    for (size_t i = 0; i < dwSize; i++) dw[i] += partial[t][i];
}

void reluBiasGrad(int64_t m, int c, const float* dy, const float* y, float* dz, float* dbias, int threads) {
  std::vector<std::vector<double>> part(std::max(1, threads), std::vector<double>(c, 0.0));
  parallelChunks(m, threads, 4096, [&](int64_t r0, int64_t r1, int t) {
    std::vector<float> acc(c);
    double* sum = part[t].data();
    // Float sums over blocks of 256 rows (vectorised over channels), flushed to double.
    for (int64_t r = r0; r < r1; r += 256) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      const int64_t end = std::min(r1, r + 256);
      for (int64_t i = r; i < end; i++) {
        const float* g = dy + i * c;
        const float* o = y + i * c;
        float* d = dz + i * c;
        for (int j = 0; j < c; j++) {
          const float v = o[j] > 0.0f ? g[j] : 0.0f;
          d[j] = v;
          acc[j] += v;
        }
      }
      for (int j = 0; j < c; j++) sum[j] += acc[j];
    }
  });
  for (int j = 0; j < c; j++) {
    double v = 0;
    for (auto& p : part) v += p[j];
    dbias[j] = static_cast<float>(v);
  }
}

}  // namespace ferc
