#include "elementwise.h"

#include <immintrin.h>

#include "parallel.h"

namespace ferc {
namespace {

template <Elementwise op>
void pass(int64_t i0, int64_t i1, const float* a, const float* b, float* out) {
  int64_t i = i0;
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  for (; i + 8 <= i1; i += 8) {
    const __m256 x = _mm256_loadu_ps(a + i);
    __m256 r;
    if constexpr (op == Elementwise::Add) r = _mm256_add_ps(x, _mm256_loadu_ps(b + i));
    else if constexpr (op == Elementwise::Multiply) r = _mm256_mul_ps(x, _mm256_loadu_ps(b + i));
    else {
      const __m256 pos = _mm256_cmp_ps(x, zero, _CMP_GT_OQ);
      const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
      // relu keeps x where x > 0 or x is NaN; step gives 1 where x > 0, NaN where x is NaN.
      if constexpr (op == Elementwise::Relu) r = _mm256_and_ps(_mm256_or_ps(pos, nan), x);
      else r = _mm256_or_ps(_mm256_and_ps(pos, one), _mm256_and_ps(nan, x));
    }
    _mm256_storeu_ps(out + i, r);
  }
  for (; i < i1; i++) {
    const float x = a[i];
    if constexpr (op == Elementwise::Add) out[i] = x + b[i];
    else if constexpr (op == Elementwise::Multiply) out[i] = x * b[i];
    else if constexpr (op == Elementwise::Relu) out[i] = (x > 0.0f || x != x) ? x : 0.0f;
    else out[i] = x > 0.0f ? 1.0f : (x != x ? x : 0.0f);
  }
}

}  // namespace

void elementwise(Elementwise op, int64_t n, const float* a, const float* b, float* out, int threads) {
  parallelChunks(n, threads, 32768, [&](int64_t i0, int64_t i1) {
    switch (op) {
      case Elementwise::Add: return pass<Elementwise::Add>(i0, i1, a, b, out);
      case Elementwise::Multiply: return pass<Elementwise::Multiply>(i0, i1, a, b, out);
      case Elementwise::Relu: return pass<Elementwise::Relu>(i0, i1, a, b, out);
      case Elementwise::Step: return pass<Elementwise::Step>(i0, i1, a, b, out);
    }
  });
}

}  // namespace ferc
