// The core of GPT-2's multi-head causal self-attention, between its c_attn and c_proj linear
// maps: per batch row b and head h, with q, k, v the head's (T, hs) slices of qkv (hs = C / H),
// att = softmax(q · kᵀ / sqrt(hs)) over the positions <= t of each row t, and y = att · v. The
// products run on gemm() (gemm.h), one per (b, h); the (b, h) pairs are spread over the calling
// arena's threads (parallel.h), each writing its own slices, so results do not depend on the
// thread count. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::nn {

// qkv (B, T, 3C): each position's q, then k, then v, each C = H heads of hs values (PyTorch's
// split(C, dim=2) then view(B, T, H, hs)). att (B, H, T, T) gets the probabilities (zero above
// the diagonal), kept for the backward pass; y (B, T, C) the heads' outputs side by side.
void attention_forward(const float* qkv, float* att, float* y, int64_t B, int64_t T, int64_t C,
                       int64_t H);

// The attention of n new positions of one sequence over the sequence so far (incremental
// decoding, a KV cache): qkv (n, 3C) holds the new positions' q, k and v as attention_forward's
// does; keys and values (P + n, C) every position's k and v, the n new ones last; y (n, C) gets
// the heads' outputs. New position i attends to positions <= P + i, so y equals the last n rows
// of attention_forward's over the whole sequence (up to the rounding of the products' sums).
// `scores` is scratch, sized here.
void attention_decode(const float* qkv, const float* keys, const float* values, float* y, int64_t P,
                      int64_t n, int64_t C, int64_t H, std::vector<float>& scores);

// Given dy (B, T, C): writes dqkv (B, T, 3C).
void attention_backward(const float* dy, const float* qkv, const float* att, float* dqkv, int64_t B,
                        int64_t T, int64_t C, int64_t H);

}  // namespace sluice::nn
