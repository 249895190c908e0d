// The core of GPT-2's multi-head causal self-attention, between its c_attn and c_proj linear
// maps: per batch row b and head h, with q, k, v the head's (T, hs) slices of qkv (hs = C / H),
// att = softmax(q · kᵀ / sqrt(hs)) over the positions <= t of each row t, and y = att · v. The
// products run on gemm() (gemm.h), one per (b, h); the (b, h) pairs are spread over the calling
// arena's threads (parallel.h), each writing its own slices, so results do not depend on the
// thread count. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// qkv (B, T, 3C): each position's q, then k, then v, each C = H heads of hs values (PyTorch's
// split(C, dim=2) then view(B, T, H, hs)). att (B, H, T, T) gets the probabilities (zero above
// the diagonal), kept for the backward pass; y (B, T, C) the heads' outputs side by side.
void attention_forward(const float* qkv, float* att, float* y, int64_t B, int64_t T, int64_t C,
                       int64_t H);

// Given dy (B, T, C): writes dqkv (B, T, 3C).
void attention_backward(const float* dy, const float* qkv, const float* att, float* dqkv, int64_t B,
                        int64_t T, int64_t C, int64_t H);

}  // namespace sluice::nn
