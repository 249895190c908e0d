// Batch normalisation over the channels of (N, C, S) data, as PyTorch's nn.BatchNorm1d
// ((N, C) is S = 1, (N, C, L) is S = L) and nn.BatchNorm2d ((N, C, H, W) is S = H·W): channel c
// is normalised with one mean and rstd = 1 / sqrt(var + eps) taken over its N·S values x[n, c, s].
// Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

struct BatchNormShape {
  int64_t batch, channels, spatial;                  // N, C, S
  int64_t count() const { return batch * spatial; }  // values per channel
};

// mean (C) and var (C), the biased variance, of each channel of x (N, C, S).
void batch_norm_statistics(const BatchNormShape& s, const float* x, float* mean, float* var);

// y (N, C, S) = (x - mean[c]) · rstd[c] · weight[c] + bias[c]; weight and bias may be null
// (1 and 0: no affine map).
void batch_norm_forward(const BatchNormShape& s, const float* x, const float* mean,
                        const float* rstd, const float* weight, const float* bias, float* y);

// running_mean (C) and running_var (C) updated from a training batch's mean and biased var over
// `count` values per channel with `momentum`, as PyTorch's CPU kernel: in double, rounded to float
// once, the variance made unbiased by count / (count - 1).
void update_running_statistics(const float* mean, const float* var, int64_t channels, int64_t count,
                               double momentum, float* running_mean, float* running_var);

// Given dy (N, C, S) of a forward pass with these mean and rstd: dweight (C) += Σ dy · x̂ and
// dbias (C) += Σ dy when not null, and dx (N, C, S) written when not null. With
// `batch_statistics` the mean and rstd were the batch's own (training), so dx carries their
// dependence on x: dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), g = weight · dy, means over the
// channel's N·S values; otherwise they were constants (running statistics): dx = rstd · g.
void batch_norm_backward(const BatchNormShape& s, const float* x, const float* dy,
                         const float* mean, const float* rstd, const float* weight,
                         bool batch_statistics, float* dx, float* dweight, float* dbias);

}  // namespace sluice::nn
