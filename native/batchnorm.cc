// Fused batch-norm kernels. Each pass streams the activation once; per-channel sums are kept in
// float over blocks of rows (vectorised over channels by the compiler) and flushed to double, so
// accuracy does not degrade with the 270k rows of the first layer.
#include "batchnorm.h"
#include "parallel.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

namespace ferc {
namespace {

constexpr int BLOCK = 256;

// Rows per work chunk: large enough to amortise claiming, small enough to rebalance. The sums are
// a fixed partition into parts of this many rows, added in part order: bit-identical results for
// any thread count.
constexpr int64_t GRAIN = 4096;

// Σa and Σa*b over rows [r0, r1) into double accumulators.
void sums(const float* a, const float* b, int c, int64_t r0, int64_t r1, double* sa, double* sab) {
  std::vector<float> fa(c), fab(c);
  for (int64_t r = r0; r < r1; r += BLOCK) {
    std::fill(fa.begin(), fa.end(), 0.0f);
    std::fill(fab.begin(), fab.end(), 0.0f);
    const int64_t end = std::min<int64_t>(r1, r + BLOCK);
    for (int64_t i = r; i < end; i++) {
      const float* pa = a + i * c;
      const float* pb = b + i * c;
      for (int j = 0; j < c; j++) {
        fa[j] += pa[j];
        fab[j] += pa[j] * pb[j];
      }
    }
    for (int j = 0; j < c; j++) {
      sa[j] += fa[j];
      sab[j] += fab[j];
    }
  }
}

template <typename F>
void parallelRows(int64_t m, int threads, F fn) {
  parallelChunks(m, threads, GRAIN, fn);
}

// Σa and Σa*b per channel over all m rows, in a fixed order.
void channelSums(int64_t m, int c, const float* a, const float* b, int threads, std::vector<double>& sa, std::vector<double>& sab) {
  const int64_t parts = std::max<int64_t>(1, (m + GRAIN - 1) / GRAIN);
  std::vector<double> pa(static_cast<size_t>(parts) * c, 0.0), pab(static_cast<size_t>(parts) * c, 0.0);
  parallelChunks(parts, threads, 1, [&](int64_t k0, int64_t k1) {
    for (int64_t k = k0; k < k1; k++) sums(a, b, c, k * GRAIN, std::min(m, (k + 1) * GRAIN), &pa[k * c], &pab[k * c]);
  });
  sa.assign(c, 0.0);
  sab.assign(c, 0.0);
  for (int64_t k = 0; k < parts; k++)
    for (int j = 0; j < c; j++) {
      sa[j] += pa[k * c + j];
      sab[j] += pab[k * c + j];
    }
}

}  // namespace

void batchNormForward(int m, int c, const float* x, const float* gamma, const float* beta, float eps, float* y,
                      float* mean, float* var, int threads) {
  std::vector<double> s, ss;
  channelSums(m, c, x, x, threads, s, ss);
  std::vector<float> scale(c), shift(c);
  for (int j = 0; j < c; j++) {
    const double sum = s[j], sq = ss[j];
    const double mu = sum / m;
    const double v = std::max(0.0, sq / m - mu * mu);
    mean[j] = static_cast<float>(mu);
    var[j] = static_cast<float>(v);
    const double inv = 1.0 / std::sqrt(v + eps);
    scale[j] = static_cast<float>(inv * gamma[j]);
    shift[j] = static_cast<float>(beta[j] - mu * inv * gamma[j]);
  }
  parallelRows(m, threads, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      const float* px = x + i * c;
      float* py = y + i * c;
      for (int j = 0; j < c; j++) py[j] = px[j] * scale[j] + shift[j];
    }
  });
}

void batchNormBackward(int m, int c, const float* x, const float* dy, const float* gamma, const float* mean,
                       const float* var, float eps, float* dx, float* dgamma, float* dbeta, int threads) {
  // Σdy and Σdy*x, then Σdy*xhat = invStd * (Σdy*x - mean*Σdy).
  std::vector<double> s, sx;
  channelSums(m, c, dy, x, threads, s, sx);
  std::vector<float> a(c), b(c), k(c);
  for (int j = 0; j < c; j++) {
    const double sdy = s[j], sdyx = sx[j];
    const double inv = 1.0 / std::sqrt(static_cast<double>(var[j]) + eps);
    const double dg = inv * (sdyx - mean[j] * sdy);
    dgamma[j] = static_cast<float>(dg);
    dbeta[j] = static_cast<float>(sdy);
    // dx = g*inv*dy - g*inv/m*dbeta - g*inv/m*dgamma*inv*(x - mean) = k*dy + a*x + b
    const double gi = gamma[j] * inv;
    k[j] = static_cast<float>(gi);
    a[j] = static_cast<float>(-gi / m * dg * inv);
    b[j] = static_cast<float>(-gi / m * sdy + gi / m * dg * inv * mean[j]);
  }
  parallelRows(m, threads, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      const float* px = x + i * c;
      const float* pd = dy + i * c;
      float* po = dx + i * c;
      for (int j = 0; j < c; j++) po[j] = k[j] * pd[j] + a[j] * px[j] + b[j];
    }
  });
}

void channelAffine(int64_t m, int c, const float* x, const float* scale, const float* shift, float* y, int threads) {
  parallelRows(m, threads, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      const float* px = x + i * c;
      float* py = y + i * c;
      for (int j = 0; j < c; j++) py[j] = px[j] * scale[j] + shift[j];
    }
  });
}

}  // namespace ferc
