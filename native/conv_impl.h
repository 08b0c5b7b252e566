// Drivers of the vector kernels: channel-block plans per ISA and the parallel loops. Included by
// conv_avx2.cc and conv_avx512.cc inside their namespace; FERC_WIDE selects the AVX-512 plan.
#pragma once

#include "conv_kernels.h"
#include "parallel.h"

#include <vector>

// Pixels per work item: a multiple of every P below, so only the last item of a call is partial.
constexpr int GROUP = 12;

// Calls fn.template operator()<S, P, V>(cb) over channel blocks [cb, cb + S::W*V) covering
// `channels` (a multiple of 8): the widest block that fits first. P * V accumulators fit the
// register file (16 ymm for AVX2, 32 zmm for AVX-512) with the V weight vectors and a broadcast.
template <int P_WIDE4, class Fn>
inline void channelPlan(int channels, Fn&& fn) {
  int cb = 0;
#ifdef FERC_WIDE
  for (; cb + 64 <= channels; cb += 64) fn.template operator()<Avx512, P_WIDE4, 4>(cb);
  if (cb + 32 <= channels) { fn.template operator()<Avx512, 12, 2>(cb); cb += 32; }
  if (cb + 16 <= channels) { fn.template operator()<Avx512, 12, 1>(cb); cb += 16; }
  if (cb + 8 <= channels) { fn.template operator()<Avx2, 12, 1>(cb); cb += 8; }
#else
  for (; cb + 16 <= channels; cb += 16) fn.template operator()<Avx2, 6, 2>(cb);
  if (cb + 8 <= channels) { fn.template operator()<Avx2, 12, 1>(cb); cb += 8; }
#endif
}

inline void forward(const ConvShape& s, const Padded& xp, const float* f, float* out, int threads, const Epilogue& ep) {
  const int64_t pixels = static_cast<int64_t>(s.n) * s.oh * s.ow;
  const int64_t items = (pixels + GROUP - 1) / GROUP;
  const int64_t plane = static_cast<int64_t>(s.oh) * s.ow;
  parallelChunks(items, threads, std::max<int64_t>(1, items / (16 * threads)), [&](int64_t k0, int64_t k1) {
    // Walk (image, row, column) incrementally: one division per chunk, not four per pixel.
    int64_t q = k0 * GROUP;
    int64_t b = q / plane;
    int oy = static_cast<int>((q % plane) / s.ow), ox = static_cast<int>(q % s.ow);
    const float* bases[GROUP];
    for (int64_t k = k0; k < k1; k++) {
      const int64_t q0 = k * GROUP;
      const int valid = static_cast<int>(std::min<int64_t>(GROUP, pixels - q0));
      for (int p = 0; p < valid; p++) {
        bases[p] = xp.data + ((b * xp.hp + static_cast<int64_t>(oy) * s.sh) * xp.wp + static_cast<int64_t>(ox) * s.sw) * s.c;
        if (++ox == s.ow) {
          ox = 0;
          if (++oy == s.oh) {
            oy = 0;
            b++;
          }
        }
      }
      channelPlan<6>(s.o, [&]<class S, int P, int V>(int ob) { fwdSpan<S, P, V>(s, xp, f, out, q0, valid, ob, ep, bases); });
    }
  });
}

// Channel blocks of the plan above as data (width in floats), for work lists.
inline int channelBlocks(int channels, std::vector<int>& cbs, std::vector<int>& widths) {
  channelPlan<6>(channels, [&]<class S, int P, int V>(int cb) {
    cbs.push_back(cb);
    widths.push_back(S::W * V);
  });
  return static_cast<int>(cbs.size());
}

// Reduction rows per block for a channel block of `width` floats (the plan's P for that width).
inline int rowsPerBlock(int width) {
#ifdef FERC_WIDE
  return width == 64 ? 6 : 12;
#else
  return width == 16 ? 6 : 12;
#endif
}

inline void gradDispatch(const ConvShape& s, const Padded& xp, const float* dy, float* d, int64_t g0, int64_t g1, int r0,
                         int validR, int cb, int width) {
  switch (width) {
#ifdef FERC_WIDE
    case 64: return gradBlock<Avx512, 6, 4>(s, xp, dy, d, g0, g1, r0, validR, cb);
    case 32: return gradBlock<Avx512, 12, 2>(s, xp, dy, d, g0, g1, r0, validR, cb);
    case 16: return gradBlock<Avx512, 12, 1>(s, xp, dy, d, g0, g1, r0, validR, cb);
    default: return gradBlock<Avx2, 12, 1>(s, xp, dy, d, g0, g1, r0, validR, cb);
#else
    case 16: return gradBlock<Avx2, 6, 2>(s, xp, dy, d, g0, g1, r0, validR, cb);
    default: return gradBlock<Avx2, 12, 1>(s, xp, dy, d, g0, g1, r0, validR, cb);
#endif
  }
}

// The filter gradient, output-partitioned: dw is cut into units (a block of reduction rows x a
// block of output channels), each summed over the pixels in a fixed order, so there are no
// partial sums and the result never depends on the thread count. Pixels are taken in chunks of
// output rows (~256 KB of dy and x, resident in L2) one chunk after another; within a chunk the
// units are shared out dynamically, so each thread streams every chunk once and reuses it for all
// its units (sharing out whole units instead would stream the whole batch once per unit group).
// With few units (a first layer: 9 rows x 16 channels) the batch is cut instead into `parts`
// fixed image ranges, one dw buffer each (`partials`), which conv.cc adds in part order.
inline void filterGrad(const ConvShape& s, const Padded& xp, const float* dy, float* dw, float* partials, int parts,
                       int threads) {
  std::vector<int> cbs, widths;
  const int nb = channelBlocks(s.o, cbs, widths);
  const int R = s.fh * s.fw * s.c;
  struct Unit {
    int r0, cb, width;
  };
  std::vector<Unit> units;
  for (int j = 0; j < nb; j++) {
    const int P = rowsPerBlock(widths[j]);
    for (int r0 = 0; r0 < R; r0 += P) units.push_back({r0, cbs[j], widths[j]});
  }
  const int64_t nu = static_cast<int64_t>(units.size());
  const size_t dwSize = static_cast<size_t>(R) * s.o;
  const int64_t rowBytes = 4 * (static_cast<int64_t>(s.ow) * s.o + static_cast<int64_t>(s.sh) * xp.wp * s.c);
  const int64_t chunkRows = std::max<int64_t>(1, (256 * 1024) / std::max<int64_t>(1, rowBytes));
  auto unitOver = [&](const Unit& un, float* d, int64_t g, int64_t ge) {
    gradDispatch(s, xp, dy, d, g, ge, un.r0, std::min(rowsPerBlock(un.width), R - un.r0), un.cb, un.width);
  };
  if (parts > 1) {
    parallelChunks(parts, threads, 1, [&](int64_t p0, int64_t p1) {
      for (int64_t part = p0; part < p1; part++) {
        float* d = partials + dwSize * part;
        std::fill(d, d + dwSize, 0.0f);
        const int64_t g0 = static_cast<int64_t>(s.n) * part / parts * s.oh;
        const int64_t g1 = static_cast<int64_t>(s.n) * (part + 1) / parts * s.oh;
        for (int64_t g = g0; g < g1; g += chunkRows)
          for (const Unit& un : units) unitOver(un, d, g, std::min(g1, g + chunkRows));
      }
    });
    return;
  }
  std::fill(dw, dw + dwSize, 0.0f);
  const int64_t rows = static_cast<int64_t>(s.n) * s.oh;
  for (int64_t g = 0; g < rows; g += chunkRows) {
    const int64_t ge = std::min(rows, g + chunkRows);
    parallelChunks(nu, threads, std::max<int64_t>(1, nu / (4 * threads)), [&](int64_t u0, int64_t u1) {
      for (int64_t u = u0; u < u1; u++) unitOver(units[u], dw, g, ge);
    });
  }
}

inline void inputGrad(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int threads) {
  const int64_t rows = static_cast<int64_t>(s.n) * s.h;
  parallelChunks(rows, threads, std::max<int64_t>(1, rows / (16 * threads)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const int b = static_cast<int>(r / s.h), iy = static_cast<int>(r % s.h);
      for (int px = 0; px < s.sw && px < s.w; px++) {
        const int count = (s.w - px + s.sw - 1) / s.sw;  // pixels of this stride phase in the row
        for (int j0 = 0; j0 < count; j0 += GROUP) {
          const int ix0 = px + j0 * s.sw;
          const int valid = std::min(GROUP, count - j0);
          channelPlan<6>(s.c, [&]<class S, int P, int V>(int cb) { dxSpan<S, P, V>(s, gp, ft, dx, b, iy, ix0, valid, cb); });
        }
      }
    }
  });
}
