// The device model's embedding kernels: embedding and token_position_embedding (a gather of table
// rows by id, plus the position's row), their gradients, and masked_mean, with
// nn/kernels/embedding.h's formulas and, for every sum, its order (so the values are the CPU's
// bit for bit). Pointers are device memory; ids are checked by the caller (Model::check_input). A
// launcher checks the sizes (INVALID_ARGUMENT, nothing queued), queues one kernel on `stream` and
// returns; a launch error is a Status naming this file's line. Thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// out (N, D): row n = table[ids[n]] (table (count, D)), plus positions[n % T] (positions
// (T, D)) when positions is not null.
Status launch_embedding_forward(const int32_t* ids, const float* table, const float* positions,
                                float* out, int64_t N, int64_t T, int64_t D, cudaStream_t stream);

// dtable (count, D) += dout (N, D) row n into row ids[n], the rows in order n = 0, 1, ... (one
// thread per column: no atomics, the same bits every run).
Status launch_embedding_backward(const int32_t* ids, const float* dout, float* dtable, int64_t N,
                                 int64_t D, cudaStream_t stream);

// dpositions (T, D) += Σ_b dout[b] (dout (B, T, D)), b in order (one thread per value).
Status launch_position_backward(const float* dout, float* dpositions, int64_t B, int64_t T,
                                int64_t D, cudaStream_t stream);

// y (B, D) = the mean of x (B, T, D) over the positions t with mask[b, t] != 0 (mask (B, T));
// 0 for a row with none.
Status launch_masked_mean_forward(const float* x, const uint8_t* mask, float* y, int64_t B,
                                  int64_t T, int64_t D, cudaStream_t stream);

// dx (B, T, D) = dy[b] / count where mask[b, t] != 0, else 0.
Status launch_masked_mean_backward(const float* dy, const uint8_t* mask, float* dx, int64_t B,
                                   int64_t T, int64_t D, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
