// Batch norm on a CUDA device over (N, C, S) data (nn/kernels/batch_norm.h): a training batch's
// per-channel statistics, the normalisation and its backward pass, one block per channel for the
// sums (in double, a fixed order: the same every run, within rounding of the CPU's sums); the
// per-value arithmetic is batch_norm_math.h's. Pointers are device memory. A launcher checks its
// sizes (INVALID_ARGUMENT, nothing queued), queues one kernel on `stream` and returns; a launch
// error is a Status naming this file's line. Thread-safe.
#pragma once

#include "nn/cuda/batch_norm_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// mean (C), var (C), the biased variance, and rstd (C) = 1 / sqrt(var + eps) of each channel of
// x (N, C, S).
Status launch_batch_norm_statistics(const float* x, int64_t N, int64_t C, int64_t S, double eps,
                                    float* mean, float* var, float* rstd, cudaStream_t stream);

// y (N, C, S) = (x - mean[c]) · rstd[c] · weight[c] + bias[c]; weight and bias may be null.
Status launch_batch_norm_forward(const float* x, const float* mean, const float* rstd,
                                 const float* weight, const float* bias, float* y, int64_t N,
                                 int64_t C, int64_t S, cudaStream_t stream);

// batch_norm_backward: dweight (C) += Σ dy · x̂ and dbias (C) += Σ dy when not null, dx (N, C, S)
// written when not null (with `batch_statistics`, carrying the statistics' dependence on x).
Status launch_batch_norm_backward(const float* x, const float* dy, const float* mean,
                                  const float* rstd, const float* weight, bool batch_statistics,
                                  float* dx, float* dweight, float* dbias, int64_t N, int64_t C,
                                  int64_t S, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
