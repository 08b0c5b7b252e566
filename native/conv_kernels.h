// Vectorised convolution kernels, templated on the vector traits of simd.h. Included by one
// translation unit per ISA, inside that unit's namespace (ferc::avx2, ferc::avx512).
//
// All three are register-blocked outer products: P scalars of one operand broadcast against V
// vectors of the other, P*V FMAs for P + V loads per reduction step.
// - forward: P output pixels x V vectors of output channels, reducing over (kh, kw, c);
// - filter gradient: P reduction rows k = kw*C + c x V vectors of output channels, summed over
//   the output pixels of one row chunk;
// - input gradient: P input pixels of one stride phase x V vectors of input channels, reducing
//   over the taps that land on an output pixel and the output channels.
// Every output element is computed by one chunk in a fixed order, so results never depend on the
// thread count; the filter gradient's reduction over images uses a fixed partition (conv.cc).
#pragma once

#include <algorithm>
#include <cstdint>

#include "conv_detail.h"
#include "simd.h"

// base[p]: the first input element pixel p of the block reads (at kh = 0, k = 0) in the padded
// view; the caller computes them incrementally (integer divisions per pixel cost ~15% of a block
// with 32 output channels).
template <class S, int P, int V>
inline void fwdBlock(const ConvShape& s, const Padded& xp, const float* f, float* out, int64_t q0, int valid, int ob,
                     const Epilogue& ep, const float* const* bases) {
  using Vec = typename S::V;
  Vec acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = S::zero();
  const int C = s.c, O = s.o;
  const int K = s.fw * C;
  const float* base[P];
  // Pixels past the range re-read the first pixel and are not stored: no branches inside.
  for (int p = 0; p < P; p++) base[p] = bases[p < valid ? p : 0];
  const size_t rowPitch = static_cast<size_t>(xp.wp) * C;
  for (int kh = 0; kh < s.fh; kh++) {
    const float* wk = f + static_cast<size_t>(kh) * K * O + ob;
    const size_t off = kh * rowPitch;
    for (int k = 0; k < K; k++) {
      Vec wv[V];
      for (int v = 0; v < V; v++) wv[v] = S::load(wk + static_cast<size_t>(k) * O + S::W * v);
      for (int p = 0; p < P; p++) {
        const Vec xb = S::bcast(base[p] + off + k);
        for (int v = 0; v < V; v++) acc[p][v] = S::fma(xb, wv[v], acc[p][v]);
      }
    }
  }
  if (ep.bias != nullptr) {
    for (int v = 0; v < V; v++) {
      const Vec bv = S::load(ep.bias + ob + S::W * v);
      for (int p = 0; p < P; p++) acc[p][v] = S::add(acc[p][v], bv);
    }
  }
  if (ep.relu) {
    for (int p = 0; p < P; p++)
      for (int v = 0; v < V; v++) acc[p][v] = S::max(acc[p][v], S::zero());
  }
  for (int p = 0; p < valid && p < P; p++) {
    float* o = out + (q0 + p) * O + ob;
    for (int v = 0; v < V; v++) S::store(o + S::W * v, acc[p][v]);
  }
}

// Pixels [q0, q0 + valid) (valid <= GROUP) for the output channels [ob, ob + S::W*V), P at a time.
template <class S, int P, int V>
inline void fwdSpan(const ConvShape& s, const Padded& xp, const float* f, float* out, int64_t q0, int valid, int ob,
                    const Epilogue& ep, const float* const* bases) {
  for (int p0 = 0; p0 < valid; p0 += P) fwdBlock<S, P, V>(s, xp, f, out, q0 + p0, std::min(P, valid - p0), ob, ep, bases + p0);
}

template <class S, int P, int V>
inline void gradBlock(const ConvShape& s, const Padded& xp, const float* dy, float* d, int64_t g0, int64_t g1, int r0,
                      int validR, int ob) {
  using Vec = typename S::V;
  Vec acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = S::zero();
  const int C = s.c, O = s.o;
  const int K = s.fw * C;
  const size_t rowPitch = static_cast<size_t>(xp.wp) * C;
  size_t offs[P];
  // Rows past the block re-read row r0 and are not stored: no branches inside.
  for (int p = 0; p < P; p++) {
    const int r = p < validR ? r0 + p : r0;
    offs[p] = static_cast<size_t>(r / K) * rowPitch + r % K;
  }
  const size_t xstep = static_cast<size_t>(s.sw) * C;
  for (int64_t g = g0; g < g1; g++) {
    const int64_t b = g / s.oh;
    const int oy = static_cast<int>(g % s.oh);
    const float* row = xp.data + (static_cast<size_t>(b) * xp.hp + static_cast<size_t>(oy) * s.sh) * rowPitch;
    const float* gr = dy + static_cast<size_t>(g) * s.ow * O + ob;
    for (int ox = 0; ox < s.ow; ox++, row += xstep, gr += O) {
      Vec gv[V];
      for (int v = 0; v < V; v++) gv[v] = S::load(gr + S::W * v);
      for (int p = 0; p < P; p++) {
        const Vec xb = S::bcast(row + offs[p]);
        for (int v = 0; v < V; v++) acc[p][v] = S::fma(xb, gv[v], acc[p][v]);
      }
    }
  }
  for (int p = 0; p < validR && p < P; p++) {
    float* o = d + static_cast<size_t>(r0 + p) * O + ob;
    for (int v = 0; v < V; v++) S::store(o + S::W * v, S::add(S::load(o + S::W * v), acc[p][v]));
  }
}

// Input gradient for `valid` pixels of row iy, ix = ix0 + p*sw, channels [cb, cb + S::W*V).
template <class S, int P, int V>
inline void dxBlock(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int b, int iy, int ix0, int valid,
                    int cb) {
  using Vec = typename S::V;
  Vec acc[P][V];
  for (int p = 0; p < P; p++)
    for (int v = 0; v < V; v++) acc[p][v] = S::zero();
  const int C = s.c, O = s.o;
  for (int kh = 0; kh < s.fh; kh++) {
    const int t = iy + s.padTop - kh;
    if (((t % s.sh) + s.sh) % s.sh != 0) continue;
    const int oyp = floorDiv(t, s.sh) + gp.top;
    const float* grow = gp.data + (static_cast<size_t>(b) * gp.hp + oyp) * gp.wp * O;
    for (int kw = 0; kw < s.fw; kw++) {
      const int u = ix0 + s.padLeft - kw;
      if (((u % s.sw) + s.sw) % s.sw != 0) continue;
      const int ox0 = floorDiv(u, s.sw) + gp.left;
      const float* gpix[P];
      // Pixels past the range re-read the first pixel and are not stored.
      for (int p = 0; p < P; p++) gpix[p] = grow + static_cast<size_t>(ox0 + (p < valid ? p : 0)) * O;
      const float* wt = ft + (static_cast<size_t>(kh) * s.fw + kw) * O * C + cb;
      for (int o = 0; o < O; o++) {
        Vec wv[V];
        for (int v = 0; v < V; v++) wv[v] = S::load(wt + static_cast<size_t>(o) * C + S::W * v);
        for (int p = 0; p < P; p++) {
          const Vec g = S::bcast(gpix[p] + o);
          for (int v = 0; v < V; v++) acc[p][v] = S::fma(g, wv[v], acc[p][v]);
        }
      }
    }
  }
  for (int p = 0; p < valid && p < P; p++) {
    float* d = dx + ((static_cast<size_t>(b) * s.h + iy) * s.w + ix0 + static_cast<size_t>(p) * s.sw) * C + cb;
    for (int v = 0; v < V; v++) S::store(d + S::W * v, acc[p][v]);
  }
}

template <class S, int P, int V>
inline void dxSpan(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int b, int iy, int ix0, int valid, int cb) {
  for (int p0 = 0; p0 < valid; p0 += P) dxBlock<S, P, V>(s, gp, ft, dx, b, iy, ix0 + p0 * s.sw, std::min(P, valid - p0), cb);
}
