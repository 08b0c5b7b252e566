// Max-pool gradient over NHWC, matching the tfjs cpu backend: each window routes its dy to the
// first position holding its maximum; padding never wins; overlapping windows accumulate.
#pragma once

namespace ferc {

struct PoolShape {
  int n, h, w, c;  // input
  int oh, ow;      // output
  int fh, fw, sh, sw, padTop, padLeft;
};

void maxPoolGrad(const PoolShape& s, const float* x, const float* dy, float* dx, int threads);

// Non-overlapping windows without padding over a multiple of 8 channels (2x2 stride 2, ...).
bool maxPoolTiled(const PoolShape& s);

// Forward max-pool for the tiled case (maxPoolTiled): NaN-free inputs give the cpu backend's values.
void maxPool(const PoolShape& s, const float* x, float* y, int threads);

}  // namespace ferc
