// Fused softmax + cross entropy's per-value arithmetic (nn/cuda/cross_entropy_kernel.cu), for the
// device and the host: the formulas and precisions of cross_entropy() in nn/kernels/loss.h. Per
// row b of logits z (C values) with target t (not ignore_index):
//   log_sum = log Σ_c exp(z_c - max) + max            (exponentials and sum in double)
//   loss_b = log_sum - z_t,  loss = scale · Σ_b loss_b,  scale = 1 / (rows not ignored)
//   dz_c = (exp(z_c - log_sum) - [c = t]) · scale     (ignored rows: 0)
// On the host these are cross_entropy()'s values bit for bit given the same sum order; on the
// device exp and log are CUDA's double ones (within 1 ulp) and the sums run across threads.
#pragma once

#include "common/cuda/host_device.h"

#include <math.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// 1 / rows counted, or 0 when every target is ignored.
SLUICE_HOST_DEVICE inline double loss_scale(int64_t counted) {
  return counted > 0 ? 1.0 / static_cast<double>(counted) : 0.0;
}

// exp(z - max), which the row's sum adds up.
SLUICE_HOST_DEVICE inline double logit_exp(float z, float max) {
  return exp(static_cast<double>(z - max));
}

SLUICE_HOST_DEVICE inline double log_sum_exp(double sum, float max) { return log(sum) + max; }

SLUICE_HOST_DEVICE inline double row_loss(double log_sum, float z_target) {
  return log_sum - z_target;
}

// dz for logit z of a counted row; `is_target` when its column is the row's target.
SLUICE_HOST_DEVICE inline float logit_gradient(float z, double log_sum, bool is_target,
                                               double scale) {
  const double p = exp(static_cast<double>(z) - log_sum);
  return static_cast<float>((p - (is_target ? 1.0 : 0.0)) * scale);
}

}  // namespace sluice::nn::cuda_kernels
