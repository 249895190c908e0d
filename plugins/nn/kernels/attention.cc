#include "nn/kernels/attention.h"

#include "nn/kernels/gemm.h"
#include "nn/kernels/parallel.h"
#include "nn/kernels/vector_math.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::nn {
namespace {

// The (T, hs) slices of head h of batch row b in a (B, T, 3C) buffer, each row 3C apart.
template <class F>
struct Head {
  Head(F* qkv, int64_t b, int64_t h, int64_t T, int64_t C, int64_t hs)
      : q(qkv + b * T * 3 * C + h * hs), k(q + C), v(q + 2 * C) {}
  F *q, *k, *v;
};

// Calls head(b, h) for every batch row and head, spread over the threads.
template <class F>
void for_each_head(int64_t B, int64_t H, const F& head) {
  parallel_chunks(B * H, 1, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; ++i) head(i / H, i % H);
  });
}

// row[0, valid) = softmax(row[0, valid)); row[valid, total) = 0 (the later positions).
void causal_softmax_row(float* row, int64_t valid, int64_t total) {
  const float top = *std::max_element(row, row + valid);
  for (int64_t j = 0; j < valid; ++j) row[j] -= top;
  exp_values(row, row, valid);
  float sum = 0;
  for (int64_t j = 0; j < valid; ++j) sum += row[j];
  const float inv = 1.0f / sum;
  for (int64_t j = 0; j < valid; ++j) row[j] *= inv;
  std::fill(row + valid, row + total, 0.0f);
}

}  // namespace

void attention_forward(const float* qkv, float* att, float* y, int64_t B, int64_t T, int64_t C,
                       int64_t H) {
  const int64_t hs = C / H;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for_each_head(B, H, [&](int64_t b, int64_t h) {
    const Head<const float> x(qkv, b, h, T, C, hs);
    const float *q = x.q, *k = x.k, *v = x.v;
    float* p = att + (b * H + h) * T * T;
    gemm(false, true, T, T, hs, scale, q, 3 * C, k, 3 * C, 0.0f, p, T);  // p: (T, T) scores
    for (int64_t t = 0; t < T; ++t) causal_softmax_row(p + t * T, t + 1, T);
    gemm(false, false, T, hs, T, 1.0f, p, T, v, 3 * C, 0.0f, y + b * T * C + h * hs, C);
  });
}

void attention_decode(const float* qkv, const float* keys, const float* values, float* y, int64_t P,
                      int64_t n, int64_t C, int64_t H, std::vector<float>& scores) {
  const int64_t hs = C / H, L = P + n;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  scores.resize(static_cast<size_t>(H * n * L));
  for_each_head(1, H, [&](int64_t, int64_t h) {
    float* p = scores.data() + h * n * L;
    gemm(false, true, n, L, hs, scale, qkv + h * hs, 3 * C, keys + h * hs, C, 0.0f, p, L);
    for (int64_t i = 0; i < n; ++i) causal_softmax_row(p + i * L, P + i + 1, L);
    gemm(false, false, n, hs, L, 1.0f, p, L, values + h * hs, C, 0.0f, y + h * hs, C);
  });
}

void attention_backward(const float* dy, const float* qkv, const float* att, float* dqkv, int64_t B,
                        int64_t T, int64_t C, int64_t H) {
  const int64_t hs = C / H;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for_each_head(B, H, [&](int64_t b, int64_t h) {
    const Head<const float> x(qkv, b, h, T, C, hs);
    const Head<float> dx(dqkv, b, h, T, C, hs);
    const float *q = x.q, *k = x.k, *v = x.v;
    float *dq = dx.q, *dk = dx.k, *dv = dx.v;
    const float* p = att + (b * H + h) * T * T;
    const float* dyh = dy + b * T * C + h * hs;
    thread_local std::vector<float> scratch;
    scratch.resize(static_cast<size_t>(T * T));
    float* ds = scratch.data();
    gemm(false, true, T, T, hs, 1.0f, dyh, C, v, 3 * C, 0.0f, ds, T);  // dp = dy · vᵀ
    gemm(true, false, T, hs, T, 1.0f, p, T, dyh, C, 0.0f, dv, 3 * C);  // dv = pᵀ · dy
    for (int64_t t = 0; t < T; ++t) {  // ds = p ⊙ (dp - Σ_j p dp) · scale
      const float* pr = p + t * T;
      float* dr = ds + t * T;
      float dot = 0;
      for (int64_t j = 0; j <= t; ++j) dot += pr[j] * dr[j];
      for (int64_t j = 0; j <= t; ++j) dr[j] = pr[j] * (dr[j] - dot) * scale;
      std::fill(dr + t + 1, dr + T, 0.0f);
    }
    gemm(false, false, T, hs, T, 1.0f, ds, T, k, 3 * C, 0.0f, dq, 3 * C);  // dq = ds · k
    gemm(true, false, T, hs, T, 1.0f, ds, T, q, 3 * C, 0.0f, dk, 3 * C);   // dk = dsᵀ · q
  });
}

}  // namespace sluice::nn
