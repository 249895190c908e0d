// Sums of squares on a CUDA device, for mean squared error (mse of nn/kernels/loss.h) and for
// clipping gradients by their global norm (clip_grad_norm of nn/optimizer.h). A launcher writes
// kSquareSumBlocks partial sums in double, one per block of a fixed grid, each block summing a
// fixed set of values in a fixed order; the caller adds the partials in order, so a sum is the
// same every run (within rounding of the CPU's, which sums in index order). Pointers are device
// memory. A launcher checks n (INVALID_ARGUMENT, nothing queued), queues one kernel on `stream`
// and returns; a launch error is a Status naming this file's line. Thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

constexpr int kSquareSumBlocks = 128;

// partials (kSquareSumBlocks) = sums of x² (in double) over x (n); all zero for n == 0.
Status launch_square_sums(const float* x, int64_t n, double* partials, cudaStream_t stream);

// partials = sums of (pred - target)² (in double) over n values, and dpred (n) = the gradient of
// their mean as mse computes it: float(2 · (pred - target) · scale), scale being 1 / n.
Status launch_mse(const float* pred, const float* target, int64_t n, double scale, float* dpred,
                  double* partials, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
