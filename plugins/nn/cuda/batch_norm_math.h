// Batch norm's per-value arithmetic (nn/cuda/batch_norm_kernel.cu), for the device and the host:
// the formulas and precisions of nn/kernels/batch_norm.cc and the batch_norm layer (channel sums
// in double, values in float), so that, given the same channel sums, the kernels' values are
// batch_norm_forward's and batch_norm_backward's bit for bit. Only the order of the sums differs
// on the device (strided over a block's threads, then a fixed butterfly).
#pragma once

#include "common/cuda/host_device.h"

#include <math.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::mul_rn;

// rstd = 1 / sqrt(var + eps) from a channel's (float) variance, as the layer computes it.
SLUICE_HOST_DEVICE inline float batch_norm_rstd(float var, double eps) {
  return static_cast<float>(1.0 / sqrt(static_cast<double>(var) + eps));
}

// A channel's scale rstd · weight and shift bias - mean · scale (weight 1 and bias 0 without an
// affine map): y = x · scale + shift.
SLUICE_HOST_DEVICE inline float batch_norm_scale(float rstd, float weight) {
  return mul_rn(rstd, weight);
}
SLUICE_HOST_DEVICE inline float batch_norm_shift(float bias, float mean, float scale) {
  return bias - mul_rn(mean, scale);
}
SLUICE_HOST_DEVICE inline float batch_norm_value(float x, float scale, float shift) {
  return add_rn(mul_rn(x, scale), shift);
}

// x̂ = (x - mean) · rstd
SLUICE_HOST_DEVICE inline float batch_norm_xhat(float x, float mean, float rstd) {
  return mul_rn(x - mean, rstd);
}

// What one value adds to its channel's Σ dy · x̂.
SLUICE_HOST_DEVICE inline double dy_xhat_term(float dy, float xhat) {
  return static_cast<double>(dy) * xhat;
}

// A channel sum's mean over its `count` values, in float.
SLUICE_HOST_DEVICE inline float channel_mean(double sum, int64_t count) {
  return static_cast<float>(sum / static_cast<double>(count));
}

// dx = scale · (dy - mean(dy) - x̂ · mean(dy · x̂)), scale = weight · rstd (the means 0 with
// running statistics).
SLUICE_HOST_DEVICE inline float batch_norm_gradient(float dy, float xhat, float scale,
                                                    float dy_mean, float dy_xhat_mean) {
  return mul_rn(scale, add_rn(dy - dy_mean, -mul_rn(xhat, dy_xhat_mean)));
}

}  // namespace sluice::nn::cuda_kernels
