// The convolution kernels for AVX-512 F/VL (compiled with -mavx512f -mavx512vl; 8-channel tails use ymm).
#define FERC_WIDE 1
#include <algorithm>
#include <cstdint>
#include <vector>

#include "conv_isa.h"
#include "parallel.h"
#include "simd.h"

namespace ferc::avx512 {
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
}  // namespace ferc::avx512
