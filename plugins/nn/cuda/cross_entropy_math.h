// Fused softmax + cross entropy's per-value arithmetic (nn/cuda/cross_entropy_kernel.cu), for the
// device and the host: the formulas and precisions of cross_entropy() in nn/kernels/loss.h. Per
// row b of logits z (C values) with target t (not ignore_index):
//   e_c = exp(z_c - max) in float (softmax_exp), sum = Σ_c e_c in double
//   loss_b = log(sum) + max - z_t,  loss = scale · Σ_b loss_b,  scale = 1 / (rows not ignored)
//   dz_c = (e_c / sum - [c = t]) · scale               (ignored rows: 0)
// On the host these are cross_entropy()'s values bit for bit given the same sum order; on the
// device expf and log are CUDA's (exp_erf_math.h; log in double) and the sums run across threads.
#pragma once

#include "common/cuda/host_device.h"
#include "nn/cuda/softmax_math.h"

#include <math.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// 1 / rows counted, or 0 when every target is ignored.
SLUICE_HOST_DEVICE inline double loss_scale(int64_t counted) {
  return counted > 0 ? 1.0 / static_cast<double>(counted) : 0.0;
}

// exp(z - max), which the row's sum adds up: softmax_exp.

SLUICE_HOST_DEVICE inline double log_sum_exp(double sum, float max) { return log(sum) + max; }

SLUICE_HOST_DEVICE inline double row_loss(double log_sum, float z_target) {
  return log_sum - z_target;
}

// dz for a logit of a counted row, `e` its softmax_exp, `sum` the row's; `is_target` when its
// column is the row's target.
SLUICE_HOST_DEVICE inline float logit_gradient(float e, double sum, bool is_target, double scale) {
  return static_cast<float>((static_cast<double>(e) / sum - (is_target ? 1.0 : 0.0)) * scale);
}

}  // namespace sluice::nn::cuda_kernels
