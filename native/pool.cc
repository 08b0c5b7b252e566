// Images are independent, so threads take chunks of the batch and never write the same dx element.
#include "pool.h"
#include "parallel.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

namespace ferc {

static void poolImages(const PoolShape& s, const float* x, const float* dy, float* dx, int b0, int b1) {
  const int C = s.c;
  std::vector<float> best(C);
  std::vector<int> at(C);
  for (int b = b0; b < b1; b++) {
    const float* xb = x + static_cast<size_t>(b) * s.h * s.w * C;
    float* dxb = dx + static_cast<size_t>(b) * s.h * s.w * C;
    std::memset(dxb, 0, sizeof(float) * s.h * s.w * C);
    for (int oy = 0; oy < s.oh; oy++) {
      const int y0 = std::max(0, oy * s.sh - s.padTop), y1 = std::min(s.h, oy * s.sh - s.padTop + s.fh);
      for (int ox = 0; ox < s.ow; ox++) {
        const int x0 = std::max(0, ox * s.sw - s.padLeft), x1 = std::min(s.w, ox * s.sw - s.padLeft + s.fw);
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(at.begin(), at.end(), -1);
        // Window positions in row-major order, channels innermost (contiguous): the strict >
        // keeps the first maximum, as the cpu backend does.
        for (int iy = y0; iy < y1; iy++)
          for (int ix = x0; ix < x1; ix++) {
            const int base = (iy * s.w + ix) * C;
            const float* p = xb + base;
            for (int c = 0; c < C; c++)
              if (p[c] > best[c]) {
                best[c] = p[c];
                at[c] = base + c;
              }
          }
        const float* g = dy + ((static_cast<size_t>(b) * s.oh + oy) * s.ow + ox) * C;
        for (int c = 0; c < C; c++)
          if (at[c] >= 0) dxb[at[c]] += g[c];
      }
    }
  }
}

// Non-overlapping windows without padding (the usual 2x2 stride 2): every input element lies in
// at most one window, so dx is written once per element (no zeroing pass, no accumulation), and
// the max search runs 8 channels at a time. Ties go to the first position in row-major window
// order, as above. Rows and columns past the last window get zero.
static void poolImagesTiled(const PoolShape& s, const float* x, const float* dy, float* dx, int b0, int b1) {
  const int C = s.c;
  const int coveredH = s.oh * s.fh, coveredW = s.ow * s.fw;
  for (int b = b0; b < b1; b++) {
    const float* xb = x + static_cast<size_t>(b) * s.h * s.w * C;
    float* dxb = dx + static_cast<size_t>(b) * s.h * s.w * C;
    for (int iy = coveredH; iy < s.h; iy++) std::memset(dxb + static_cast<size_t>(iy) * s.w * C, 0, sizeof(float) * s.w * C);
    if (coveredW < s.w)
      for (int iy = 0; iy < coveredH; iy++)
        std::memset(dxb + (static_cast<size_t>(iy) * s.w + coveredW) * C, 0, sizeof(float) * (s.w - coveredW) * C);
    for (int oy = 0; oy < s.oh; oy++)
      for (int ox = 0; ox < s.ow; ox++) {
        const float* g = dy + ((static_cast<size_t>(b) * s.oh + oy) * s.ow + ox) * C;
        for (int c = 0; c < C; c += 8) {
          __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
          for (int ky = 0; ky < s.fh; ky++)
            for (int kx = 0; kx < s.fw; kx++)
              best = _mm256_max_ps(best, _mm256_loadu_ps(xb + ((static_cast<size_t>(oy) * s.fh + ky) * s.w + ox * s.fw + kx) * C + c));
          const __m256 gv = _mm256_loadu_ps(g + c);
          __m256 taken = _mm256_setzero_ps();
          for (int ky = 0; ky < s.fh; ky++)
            for (int kx = 0; kx < s.fw; kx++) {
              const size_t at = ((static_cast<size_t>(oy) * s.fh + ky) * s.w + ox * s.fw + kx) * C + c;
              const __m256 hit = _mm256_andnot_ps(taken, _mm256_cmp_ps(_mm256_loadu_ps(xb + at), best, _CMP_EQ_OQ));
              taken = _mm256_or_ps(taken, hit);
              _mm256_storeu_ps(dxb + at, _mm256_and_ps(hit, gv));
            }
        }
      }
  }
}

bool maxPoolTiled(const PoolShape& s) {
  // 'same' padding can pad only at the bottom/right (padTop = padLeft = 0): then the last windows
  // hang over the edge, so the windows must also end inside the input.
  return s.sh == s.fh && s.sw == s.fw && s.padTop == 0 && s.padLeft == 0 && s.c % 8 == 0 &&
         s.oh * s.fh <= s.h && s.ow * s.fw <= s.w;
}

void maxPool(const PoolShape& s, const float* x, float* y, int threads) {
  const int C = s.c;
  // Output rows are independent: shared out dynamically.
  parallelChunks(static_cast<int64_t>(s.n) * s.oh, threads, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const int64_t b = r / s.oh;
      const int oy = static_cast<int>(r % s.oh);
      const float* xb = x + static_cast<size_t>(b) * s.h * s.w * C;
      float* out = y + static_cast<size_t>(r) * s.ow * C;
      for (int ox = 0; ox < s.ow; ox++)
        for (int c = 0; c < C; c += 8) {
          __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
          for (int ky = 0; ky < s.fh; ky++)
            for (int kx = 0; kx < s.fw; kx++)
              best = _mm256_max_ps(best, _mm256_loadu_ps(xb + ((static_cast<size_t>(oy) * s.fh + ky) * s.w + ox * s.fw + kx) * C + c));
          _mm256_storeu_ps(out + static_cast<size_t>(ox) * C + c, best);
        }
    }
  });
}

void maxPoolGrad(const PoolShape& s, const float* x, const float* dy, float* dx, int threads) {
  const bool tiled = maxPoolTiled(s);
  parallelChunks(s.n, threads, 4, [&](int64_t b0, int64_t b1) {
    if (tiled) poolImagesTiled(s, x, dy, dx, static_cast<int>(b0), static_cast<int>(b1));
    else poolImages(s, x, dy, dx, static_cast<int>(b0), static_cast<int>(b1));
  });
}

}  // namespace ferc
