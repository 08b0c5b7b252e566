// Vector traits for the convolution templates: the same kernel source compiles to AVX2/FMA
// (8 floats) and AVX-512 (16 floats). Each translation unit that includes this sets its target
// (conv_avx2.cc, conv_avx512.cc); the AVX-512 one uses both widths (ymm for 8-channel tails).
#pragma once

#include <immintrin.h>

namespace ferc {
// Internal linkage: each ISA's unit keeps its own copies, so the linker can never hand AVX2-only
// code a function compiled for AVX-512.
namespace {

struct Avx2 {
  using V = __m256;
  static constexpr int W = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V bcast(const float* p) { return _mm256_broadcast_ss(p); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
};

#ifdef __AVX512F__
struct Avx512 {
  using V = __m512;
  static constexpr int W = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V bcast(const float* p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
};
#endif

}  // namespace
}  // namespace ferc
