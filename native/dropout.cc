#include "dropout.h"

#include <immintrin.h>

#include "parallel.h"

namespace ferc {
namespace {

// dropoutUniform for 8 consecutive indexes at once (AVX2 integer multiplies), bit-identical to
// the scalar version: h >> 8 fits 24 bits, so the signed int→float conversion is exact.
inline __m256 uniform8(__m256i seed, __m256i idx) {
  __m256i h = _mm256_xor_si256(seed, _mm256_mullo_epi32(idx, _mm256_set1_epi32(static_cast<int>(0x9E3779B1u))));
  h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
  h = _mm256_mullo_epi32(h, _mm256_set1_epi32(static_cast<int>(0x85EBCA6Bu)));
  h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 13));
  h = _mm256_mullo_epi32(h, _mm256_set1_epi32(static_cast<int>(0xC2B2AE35u)));
  h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
  return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(h, 8)), _mm256_set1_ps(1.0f / 16777216.0f));
}

}  // namespace

void dropout(int64_t n, const float* x, float* y, uint32_t seed, float rate, float scale, int threads) {
  parallelChunks(n, threads, 65536, [&](int64_t i0, int64_t i1) {
    const __m256i vseed = _mm256_set1_epi32(static_cast<int>(seed));
    const __m256 vrate = _mm256_set1_ps(rate), vscale = _mm256_set1_ps(scale);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    int64_t i = i0;
    for (; i + 8 <= i1; i += 8) {
      const __m256i idx = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(i))), lanes);
      const __m256 keep = _mm256_cmp_ps(uniform8(vseed, idx), vrate, _CMP_GE_OQ);
      _mm256_storeu_ps(y + i, _mm256_and_ps(keep, _mm256_mul_ps(_mm256_loadu_ps(x + i), vscale)));
    }
    for (; i < i1; i++) y[i] = dropoutUniform(seed, static_cast<uint32_t>(i)) >= rate ? x[i] * scale : 0.0f;
  });
}

}  // namespace ferc
