// Softmax fused with cross entropy on a CUDA device: cross_entropy() of nn/kernels/loss.h (mean
// over the rows whose target is not ignore_index, with its gradient), with the per-value
// arithmetic of cross_entropy_math.h. Pointers are device memory. The launcher checks the sizes
// (INVALID_ARGUMENT, nothing queued), queues the kernels on `stream` and returns; a launch error
// is a Status naming this file's line. Thread-safe.
#pragma once

#include "nn/cuda/cross_entropy_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

struct CrossEntropyArgs {
  const float* logits = nullptr;     // (B, C)
  const int64_t* targets = nullptr;  // (B), each in [0, C) or ignore_index (the caller checks)
  int64_t B = 0, C = 0;              // B >= 0, C >= 1
  int64_t ignore_index = -100;
  float* dlogits = nullptr;      // (B, C) gradient of the mean (0 rows where ignored), or null
  double* row_losses = nullptr;  // (B) scratch: each row's loss, 0 where ignored
  int64_t* counted = nullptr;    // (1) scratch: the rows not ignored
  double* loss = nullptr;        // (1) the mean loss, 0 when every target is ignored
};

// Three kernels: the count of rows not ignored (one block), the rows (one block each: the maximum,
// the sum of exponentials, the loss and the gradient), the mean (one block, the rows' losses in a
// fixed order). No atomics: the same inputs give the same bits every run.
Status launch_cross_entropy(const CrossEntropyArgs& a, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
