// Row softmax's per-value arithmetic (nn/cuda/softmax_kernel.cu), for the device and the host:
// the formulas and precisions of softmax() in nn/kernels/loss.h, p = exp(z - max) / Σ exp(z - max)
// with the exponentials in float and their sum in double. On the host these are softmax()'s
// values bit for bit given the same sum order; on the device expf is CUDA's (exp_erf_math.h) and
// the sum runs across lanes.
#pragma once

#include "common/cuda/host_device.h"
#include "nn/cuda/exp_erf_math.h"

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// The values of row `row` a softmax covers: all C, or, causal over (B, H, T, T) rows (C = T),
// the first t + 1 of row t = row % T; the rest of a causal row is written as 0.
SLUICE_HOST_DEVICE inline int64_t softmax_length(int64_t row, int64_t C, bool causal) {
  return causal ? row % C + 1 : C;
}

// exp(z - max), which the row's sum adds up.
SLUICE_HOST_DEVICE inline float softmax_exp(float z, float max) { return exp_float(z - max); }

// The factor every exponential is multiplied by: 1 / their sum.
SLUICE_HOST_DEVICE inline float softmax_scale(double sum) { return static_cast<float>(1.0 / sum); }

SLUICE_HOST_DEVICE inline float softmax_value(float e, float scale) {
  return ::sluice::cuda::mul_rn(e, scale);
}

}  // namespace sluice::nn::cuda_kernels
