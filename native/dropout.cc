#include "dropout.h"

#include "parallel.h"

namespace ferc {

void dropout(int64_t n, const float* x, float* y, uint32_t seed, float rate, float scale, int threads) {
  parallelChunks(n, threads, 65536, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) y[i] = dropoutUniform(seed, static_cast<uint32_t>(i)) >= rate ? x[i] * scale : 0.0f;
  });
}

}  // namespace ferc
