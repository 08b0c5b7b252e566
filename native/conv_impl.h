// Drivers of the vector kernels: channel-block plans per ISA and the parallel loops. Included by
// conv_avx2.cc and conv_avx512.cc inside their namespace; FERC_WIDE selects the AVX-512 plan.
#pragma once

#include "conv_kernels.h"
#include "parallel.h"

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
  parallelChunks(items, threads, std::max<int64_t>(1, items / (16 * threads)), [&](int64_t k0, int64_t k1) {
    for (int64_t k = k0; k < k1; k++) {
      const int64_t q0 = k * GROUP;
      const int valid = static_cast<int>(std::min<int64_t>(GROUP, pixels - q0));
      channelPlan<6>(s.o, [&]<class S, int P, int V>(int ob) { fwdSpan<S, P, V>(s, xp, f, out, q0, valid, ob, ep); });
    }
  });
}

// Σ over images [b0, b1) of the filter gradient, added into d (one part of a fixed partition).
inline void filterGradPart(const ConvShape& s, const Padded& xp, const float* dy, float* d, int b0, int b1) {
  // Reduction rows per kh are fw*C; blocks of 6 fit 48/96/192, blocks of 3 the 3 of a 1-channel input.
  const bool small = (s.fw * s.c) % 6 != 0 && (s.fw * s.c) % 3 == 0;
  // Chunks of >= 64 output pixels amortise the accumulator load/store; still small enough for L1.
  const int rowsPerChunk = std::max(1, (64 + s.ow - 1) / s.ow);
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < s.oh; oy += rowsPerChunk) {
      const int oy1 = std::min(s.oh, oy + rowsPerChunk);
      for (int kh = 0; kh < s.fh; kh++) {
        if (small) {
          channelPlan<3>(s.o, [&]<class S, int P, int V>(int ob) { gradSpan<S, 3, V>(s, xp, dy, d, b, oy, oy1, kh, ob); });
        } else {
          channelPlan<6>(s.o, [&]<class S, int P, int V>(int ob) { gradSpan<S, 6, V>(s, xp, dy, d, b, oy, oy1, kh, ob); });
        }
      }
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
