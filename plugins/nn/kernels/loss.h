// Losses with their gradients, reduced by the mean as PyTorch's defaults do:
// cross entropy fused with log-softmax (nn.CrossEntropyLoss, with ignore_index) and mean squared
// error (nn.MSELoss). Cross entropy and softmax spread their rows over the calling arena's
// threads (parallel.h) and sum the rows' losses in row order, as on one thread. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// Mean over the rows whose target is not `ignore_index` of -log softmax(logits[b])[target[b]],
// logits (B, C), targets (B) in [0, C) or ignore_index (the caller checks). When `dlogits` is not
// null it gets the gradient of that mean, (B, C) (zero rows for ignored targets). 0 when every
// target is ignored.
double cross_entropy(const float* logits, const int64_t* targets, int64_t B, int64_t C,
                     int64_t ignore_index, float* dlogits);

// Mean over all n elements of (pred - target)²; `dpred` (n) gets its gradient when not null.
double mse(const float* pred, const float* target, int64_t n, float* dpred);

// probs (B, C) = softmax of each row of logits (B, C).
void softmax(const float* logits, float* probs, int64_t B, int64_t C);

}  // namespace sluice::nn
