// Layer norm on a CUDA device: nn/kernels/layer_norm.h's forward and backward passes, with its
// per-value arithmetic (layer_norm_math.h). Every pointer is device memory of the stated shape.
// A launcher checks the sizes (INVALID_ARGUMENT, nothing queued), queues the kernels on `stream`
// and returns; the outputs are written when the stream reaches them. A launch error is returned
// as a Status naming this file's line. Launchers keep no state (the backward kernel's shared
// memory limit is set once per process, on device 0): thread-safe, as long as concurrent work
// does not write the same memory.
#pragma once

#include "nn/cuda/layer_norm_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// y (N, C), mean (N), rstd (N) from x (N, C), weight (C), bias (C); 0 <= N <= 8 · (2^31 - 1), C
// >= 1. One warp per row (three passes over it: the sum, the squared deviations, the output),
// float4 loads where x is 16-byte aligned and C % 4 == 0.
Status launch_layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                                 float* mean, float* rstd, int64_t N, int64_t C, float eps,
                                 cudaStream_t stream);

// The floats of scratch launch_layer_norm_backward needs for (N, C): two per column per block of
// rows.
int64_t layer_norm_backward_scratch(int64_t N, int64_t C);

// Given dy (N, C), x, weight, mean and rstd of the forward pass: dx (N, C) += the input's
// gradient, dweight (C) += Σ_rows dy · x̂, dbias (C) += Σ_rows dy; 0 <= N <= 8 · (2^31 - 1), 1 <= C
// <= 16384. One block per group of rows, whose threads each own columns: they add the group's rows
// into their columns' sums in row order and write them to `scratch` (layer_norm_backward_scratch(N,
// C) floats); a second kernel adds the groups' sums column by column in group order. No atomics:
// the same inputs give the same bits every run.
Status launch_layer_norm_backward(const float* dy, const float* x, const float* weight,
                                  const float* mean, const float* rstd, float* dx, float* dweight,
                                  float* dbias, float* scratch, int64_t N, int64_t C,
                                  cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
