// The device model's attention kernels besides its matrix products (cuBLAS) and its causal
// softmax (softmax_kernel.h): copying heads between attention's rows and the (B, H, T, hs)
// tensors of one part (attention_layout.h), and the causal softmax's backward pass with
// attention_backward's formula. Pointers are device memory. A launcher checks the sizes
// (INVALID_ARGUMENT, nothing queued), queues one kernel on `stream` and returns; a launch error is
// a Status naming this file's line. Thread-safe.
#pragma once

#include "nn/cuda/attention_layout.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// The dimensions of one attention: B rows of T positions, H heads of hs values (C = H · hs).
struct HeadShape {
  int64_t B, T, H, hs;
  SLUICE_HOST_DEVICE int64_t count() const { return B * H * T * hs; }
};

// dst (B, H, T, hs) = the heads of the part starting at column `column` of rows (B, T, W).
Status launch_heads_from_rows(const float* rows, int64_t W, int64_t column, float* dst,
                              const HeadShape& s, cudaStream_t stream);

// rows (B, T, W), the part starting at column `column` = heads (B, H, T, hs); the other
// columns are left as they are.
Status launch_rows_from_heads(const float* heads, float* rows, int64_t W, int64_t column,
                              const HeadShape& s, cudaStream_t stream);

// The scores' gradient of a causal softmax over N = B·H·T rows of T (att (N, T), the
// probabilities the forward pass kept, zero above the diagonal): for row t of each (T, T) block,
// d[j] = att[j] · (d[j] - Σ_{i<=t} att[i] d[i]) · scale for j <= t and 0 above, with d (N, T)
// holding the probabilities' gradient on entry. One warp per row.
Status launch_causal_softmax_backward(const float* att, float* d, int64_t N, int64_t T, float scale,
                                      cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
