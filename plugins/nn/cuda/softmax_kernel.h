// Row softmax on a CUDA device: softmax() of nn/kernels/loss.h, and its causal form over
// attention's (B, H, T, T) scores, with the per-value arithmetic of softmax_math.h. Pointers are
// device memory. The launcher checks the sizes (INVALID_ARGUMENT, nothing queued), queues the
// kernel on `stream` and returns; a launch error is a Status naming this file's line. Thread-safe.
#pragma once

#include "nn/cuda/softmax_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// probs (N, C) = softmax of each row of logits (N, C) (max-subtracted); 0 <= N <= 8 · (2^31 - 1), C
// >= 1; probs may be logits. `causal`: the rows are (B, H, T, T) attention scores, C = T and N =
// B·H·T, and row t of each (T, T) block covers its first t + 1 values, the rest written as 0 (as
// the probabilities attention_forward keeps). One warp per row, float4 loads where logits is
// 16-byte aligned and C % 4 == 0.
Status launch_softmax(const float* logits, float* probs, int64_t N, int64_t C, bool causal,
                      cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
