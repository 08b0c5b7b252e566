// Per-ISA entry points of the convolution kernels (conv_avx2.cc, conv_avx512.cc); conv.cc picks
// one at run time.
#pragma once

#include "conv_detail.h"

namespace ferc {
#define FERC_DECLARE_ISA(ns)                                                                                       \
  namespace ns {                                                                                                   \
  void forwardIsa(const ConvShape& s, const Padded& xp, const float* f, float* out, int threads, const Epilogue& ep); \
  void filterGradIsa(const ConvShape& s, const Padded& xp, const float* dy, float* dw, float* partials, int parts,   \
                     int threads);                                                                                 \
  int filterGradUnitsIsa(const ConvShape& s);                                                                       \
  void inputGradIsa(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int threads);                  \
  }
FERC_DECLARE_ISA(avx2)
FERC_DECLARE_ISA(avx512)
#undef FERC_DECLARE_ISA
}  // namespace ferc
