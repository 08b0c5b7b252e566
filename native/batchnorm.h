// Batch normalisation over the rows of an [m, c] matrix (NHWC activations flattened), training mode.
#pragma once

#include <cstdint>

namespace ferc {

// y = (x - mean) / sqrt(var + eps) * gamma + beta with the batch's mean and biased variance,
// which are also returned (for the moving averages and the backward pass).
void batchNormForward(int m, int c, const float* x, const float* gamma, const float* beta, float eps, float* y,
                      float* mean, float* var, int threads);

// Gradient of the above through the batch statistics:
// dx = gamma * invStd / m * (m*dy - dbeta - xhat * dgamma), dgamma = Σ dy*xhat, dbeta = Σ dy.
void batchNormBackward(int m, int c, const float* x, const float* dy, const float* gamma, const float* mean,
                       const float* var, float eps, float* dx, float* dgamma, float* dbeta, int threads);

// Inference-mode batch norm (or any per-channel affine map): y = x * scale[c] + shift[c].
void channelAffine(int64_t m, int c, const float* x, const float* scale, const float* shift, float* y, int threads);

}  // namespace ferc
