// Images are independent, so threads take chunks of the batch and never write the same dx element.
#include "pool.h"
#include "parallel.h"

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

void maxPoolGrad(const PoolShape& s, const float* x, const float* dy, float* dx, int threads) {
  parallelChunks(s.n, threads, 4, [&](int64_t b0, int64_t b1) {
    poolImages(s, x, dy, dx, static_cast<int>(b0), static_cast<int>(b1));
  });
}

}  // namespace ferc
