// Convolution entry points: ISA dispatch (AVX-512 where the CPU has it, else AVX2; FERC_ISA=avx2
// forces the narrower kernels for testing), padded copies, the filter transpose, the fixed
// partition of the filter gradient's reduction, and the fused relu+bias gradient.
#include "conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "conv_isa.h"
#include "parallel.h"

namespace ferc {
namespace {

// Grow-only scratch buffers, reused across calls so tens of MB are not faulted in every step.
// Kernels are called from one JS thread at a time.
std::vector<float>& scratch(int which) {
  static std::vector<float> bufs[4];
  return bufs[which];
}
enum Scratch { X_PAD = 0, DY_PAD = 1, FILTER_T = 2, PARTIALS = 3 };

float* grow(int which, size_t n) {
  std::vector<float>& b = scratch(which);
  if (b.size() < n) b.resize(n);
  return b.data();
}

bool wide() {
  static const bool v = [] {
    const char* force = std::getenv("FERC_ISA");
    if (force != nullptr && std::string(force) == "avx2") return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  }();
  return v;
}

// Copies rows [0, rows) of each image into a zero-bordered buffer: image row r lands at padded
// row r + top, column c at c + left. Every element of the buffer is written (data or zero).
Padded padCopy(const float* x, int n, int h, int w, int c, int hp, int wp, int top, int left, int which, int threads) {
  float* buf = grow(which, static_cast<size_t>(n) * hp * wp * c);
  const int c0 = std::max(0, left);
  const int sc0 = c0 - left;
  const int cols = std::max(0, std::min(wp - c0, w - sc0));
  // Rows are independent: shared out across threads (tens of MB for a first-block activation).
  parallelChunks(static_cast<int64_t>(n) * hp, threads, 64, [&](int64_t r0, int64_t r1) {
    for (int64_t br = r0; br < r1; br++) {
      const int b = static_cast<int>(br / hp), r = static_cast<int>(br % hp);
      float* dst = buf + static_cast<size_t>(br) * wp * c;
      const int sr = r - top;
      if (sr < 0 || sr >= h || cols == 0) {
        std::memset(dst, 0, sizeof(float) * wp * c);
        continue;
      }
      std::memset(dst, 0, sizeof(float) * c0 * c);
      std::memcpy(dst + static_cast<size_t>(c0) * c, x + ((static_cast<size_t>(b) * h + sr) * w + sc0) * c,
                  sizeof(float) * cols * c);
      std::memset(dst + static_cast<size_t>(c0 + cols) * c, 0, sizeof(float) * (wp - c0 - cols) * c);
    }
  });
  return Padded{buf, hp, wp, top, left};
}

}  // namespace

const char* isaName() { return wide() ? "AVX-512" : "AVX2"; }

Padded padInput(const ConvShape& s, const float* x, int threads) {
  const int hp = (s.oh - 1) * s.sh + s.fh;
  const int wp = (s.ow - 1) * s.sw + s.fw;
  // No copy: read x in place with its own row pitch.
  if (s.padTop == 0 && s.padLeft == 0 && hp <= s.h && wp <= s.w) return Padded{x, s.h, s.w, 0, 0};
  return padCopy(x, s.n, s.h, s.w, s.c, hp, wp, s.padTop, s.padLeft, X_PAD, threads);
}

Padded padOutputGrad(const ConvShape& s, const float* dy, int threads) {
  // Output rows the input gradient's taps reach: oy = (iy + padTop - kh) / sh over iy in [0, h).
  const int minOy = floorDiv(s.padTop - (s.fh - 1), s.sh), maxOy = floorDiv(s.h - 1 + s.padTop, s.sh);
  const int minOx = floorDiv(s.padLeft - (s.fw - 1), s.sw), maxOx = floorDiv(s.w - 1 + s.padLeft, s.sw);
  const int top = std::max(0, -minOy), left = std::max(0, -minOx);
  // GROUP-pixel blocks past a row's valid pixels re-read its first pixel, so no extra columns.
  const int hp = top + std::max(s.oh, maxOy + 1), wp = left + std::max(s.ow, maxOx + 1);
  return padCopy(dy, s.n, s.oh, s.ow, s.o, hp, wp, top, left, DY_PAD, threads);
}

const float* transposeFilter(const ConvShape& s, const float* f) {
  const int taps = s.fh * s.fw, C = s.c, O = s.o;
  float* t = grow(FILTER_T, static_cast<size_t>(taps) * C * O);
  for (int k = 0; k < taps; k++)
    for (int c = 0; c < C; c++)
      for (int o = 0; o < O; o++) t[(static_cast<size_t>(k) * O + o) * C + c] = f[(static_cast<size_t>(k) * C + c) * O + o];
  return t;
}

void conv2dForward(const ConvShape& s, const float* x, const float* f, float* out, int threads, const Epilogue& ep) {
  const Padded xp = padInput(s, x, threads);
  if (wide()) avx512::forwardIsa(s, xp, f, out, threads, ep);
  else avx2::forwardIsa(s, xp, f, out, threads, ep);
}

// Fixed image ranges for the filter gradient when dw has too few blocks to share out (first
// layers): summed separately, then added in part order. Fixed (not per thread), so the result is
// the same for every thread count and run.
constexpr int FILTER_GRAD_PARTS = 8;
constexpr int FEW_UNITS = 16;

void conv2dFilterGrad(const ConvShape& s, const float* x, const float* dy, float* dw, int threads) {
  const Padded xp = padInput(s, x, threads);
  const size_t dwSize = static_cast<size_t>(s.fh) * s.fw * s.c * s.o;
  const int units = wide() ? avx512::filterGradUnitsIsa(s) : avx2::filterGradUnitsIsa(s);
  const int parts = units < FEW_UNITS ? std::max(1, std::min(s.n, FILTER_GRAD_PARTS)) : 1;
  float* partial = parts > 1 ? grow(PARTIALS, dwSize * parts) : nullptr;
  if (wide()) avx512::filterGradIsa(s, xp, dy, dw, partial, parts, threads);
  else avx2::filterGradIsa(s, xp, dy, dw, partial, parts, threads);
  if (parts == 1) return;
  parallelChunks(static_cast<int64_t>(dwSize), threads, 16384, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      float v = partial[i];
      for (int p = 1; p < parts; p++) v += partial[dwSize * p + i];
      dw[i] = v;
    }
  });
}

void conv2dInputGrad(const ConvShape& s, const float* dy, const float* f, float* dx, int threads) {
  const Padded gp = padOutputGrad(s, dy, threads);
  // Stride 1: dx is the forward correlation of the zero-bordered dy with the spatially flipped,
  // in/out-swapped filter, so it runs on the forward kernel, whose reduction over (kw, o) is
  // contiguous in dy and in the filter (one loop of fw*O per filter row instead of one of O per tap).
  if (s.sh == 1 && s.sw == 1 && gp.top == s.fh - 1 - s.padTop && gp.left == s.fw - 1 - s.padLeft &&
      gp.hp == s.h + s.fh - 1 && gp.wp == s.w + s.fw - 1) {
    const int taps = s.fh * s.fw, C = s.c, O = s.o;
    float* t = grow(FILTER_T, static_cast<size_t>(taps) * C * O);
    for (int kh = 0; kh < s.fh; kh++)
      for (int kw = 0; kw < s.fw; kw++) {
        const float* src = f + (static_cast<size_t>(s.fh - 1 - kh) * s.fw + (s.fw - 1 - kw)) * C * O;
        float* dst = t + (static_cast<size_t>(kh) * s.fw + kw) * O * C;
        for (int c = 0; c < C; c++)
          for (int o = 0; o < O; o++) dst[static_cast<size_t>(o) * C + c] = src[static_cast<size_t>(c) * O + o];
      }
    const ConvShape g{s.n, gp.hp, gp.wp, O, s.fh, s.fw, C, s.h, s.w, 1, 1, 0, 0};
    if (wide()) avx512::forwardIsa(g, gp, t, dx, threads, Epilogue());
    else avx2::forwardIsa(g, gp, t, dx, threads, Epilogue());
    return;
  }
  const float* ft = transposeFilter(s, f);
  if (wide()) avx512::inputGradIsa(s, gp, ft, dx, threads);
  else avx2::inputGradIsa(s, gp, ft, dx, threads);
}

// Rows per part of the bias-gradient reduction (a fixed partition, as above).
constexpr int64_t ROW_PART = 4096;

void reluBiasGrad(int64_t m, int c, const float* dy, const float* y, float* dz, float* dbias, int threads) {
  const int64_t parts = std::max<int64_t>(1, (m + ROW_PART - 1) / ROW_PART);
  std::vector<double> part(static_cast<size_t>(parts) * c, 0.0);
  parallelChunks(parts, threads, 1, [&](int64_t k0, int64_t k1) {
    std::vector<float> acc(c);
    for (int64_t k = k0; k < k1; k++) {
      double* sum = part.data() + k * c;
      const int64_t r1 = std::min(m, (k + 1) * ROW_PART);
      // Float sums over blocks of 256 rows, flushed to double; 8 channels per vector where c allows
      // (per channel the same additions in the same order either way).
      for (int64_t r = k * ROW_PART; r < r1; r += 256) {
        std::fill(acc.begin(), acc.end(), 0.0f);
        const int64_t end = std::min(r1, r + 256);
        if (c % 8 == 0) {
          for (int64_t i = r; i < end; i++) {
            const float* g = dy + i * c;
            const float* o = y + i * c;
            float* d = dz + i * c;
            for (int j = 0; j < c; j += 8) {
              const __m256 v = _mm256_and_ps(_mm256_cmp_ps(_mm256_loadu_ps(o + j), _mm256_setzero_ps(), _CMP_GT_OQ), _mm256_loadu_ps(g + j));
              _mm256_storeu_ps(d + j, v);
              _mm256_storeu_ps(&acc[j], _mm256_add_ps(_mm256_loadu_ps(&acc[j]), v));
            }
          }
        } else {
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
        }
        for (int j = 0; j < c; j++) sum[j] += acc[j];
      }
    }
  });
  for (int j = 0; j < c; j++) {
    double v = 0;
    for (int64_t k = 0; k < parts; k++) v += part[k * c + j];
    dbias[j] = static_cast<float>(v);
  }
}

}  // namespace ferc
