// Dropout with a counter-based mask: element i is kept when hash(seed, i) >= rate, so the forward
// and backward passes regenerate the same mask from (seed, i) without storing it, any thread
// count gives the same mask, and the portable TypeScript kernel (src/backend/wasm/dropout.ts)
// computes the identical hash.
#pragma once

#include <cstdint>

namespace ferc {

// 24-bit uniform in [0, 1) from (seed, i): a murmur3 finaliser of seed ^ (i * golden ratio).
inline float dropoutUniform(uint32_t seed, uint32_t i) {
  uint32_t h = seed ^ (i * 0x9E3779B1u);
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return static_cast<float>(h >> 8) * (1.0f / 16777216.0f);
}

// y[i] = x[i] * scale where dropoutUniform(seed, i) >= rate, else 0 (scale = 1 / (1 - rate)).
void dropout(int64_t n, const float* x, float* y, uint32_t seed, float rate, float scale, int threads);

}  // namespace ferc
