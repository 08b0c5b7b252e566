// One ISA's convolution unit: conv_impl.h instantiated inside ferc::FERC_ISA_NAMESPACE, with the
// entry points conv_isa.h declares. Included once by conv_avx2.cc and once by conv_avx512.cc.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "conv_isa.h"
#include "parallel.h"
#include "simd.h"

namespace ferc::FERC_ISA_NAMESPACE {
#include "conv_impl.h"

void forwardIsa(const ConvShape& s, const Padded& xp, const float* f, float* out, int threads, const Epilogue& ep) {
  forward(s, xp, f, out, threads, ep);
}
void filterGradIsa(const ConvShape& s, const Padded& xp, const float* dy, float* dw, float* partials, int parts, int threads) {
  filterGrad(s, xp, dy, dw, partials, parts, threads);
}
int filterGradUnitsIsa(const ConvShape& s) {
  std::vector<int> cbs, widths;
  const int nb = channelBlocks(s.o, cbs, widths);
  int units = 0;
  for (int j = 0; j < nb; j++) units += (s.fh * s.fw * s.c + rowsPerBlock(widths[j]) - 1) / rowsPerBlock(widths[j]);
  return units;
}
void inputGradIsa(const ConvShape& s, const Padded& gp, const float* ft, float* dx, int threads) {
  inputGrad(s, gp, ft, dx, threads);
}
}  // namespace ferc::FERC_ISA_NAMESPACE
