// Embedding lookup (PyTorch nn.Embedding: table (V, D)) and mean pooling over the positions of a
// padded sequence that a mask marks as real. Ids are checked by the caller (0 <= id < V).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// out (N, D) = table[ids[n]] for each of the N ids.
void embedding_forward(const int32_t* ids, const float* table, float* out, int64_t N, int64_t D);
// dtable (V, D) += Σ over n with ids[n] = v of dout[n] (dout: (N, D)).
void embedding_backward(const int32_t* ids, const float* dout, float* dtable, int64_t N, int64_t D);

// y (B, D) = Σ_t mask[b,t] x[b,t] / max(1, Σ_t mask[b,t]) for x (B, T, D), mask (B, T) of 0/1.
void masked_mean_forward(const float* x, const uint8_t* mask, float* y, int64_t B, int64_t T,
                         int64_t D);
// dx (B, T, D) = mask[b,t] dy[b] / max(1, Σ_t mask[b,t]).
void masked_mean_backward(const float* dy, const uint8_t* mask, float* dx, int64_t B, int64_t T,
                          int64_t D);

}  // namespace sluice::nn
