// testlayers.swish and testlayers.center on a CUDA device (testlayers_cuda.cu): the CPU formulas
// of testlayers.cc as kernels, queued on the pass's stream. Every pointer is device memory. Each
// returns an empty string when the launch was queued, else the CUDA error's text (the plugin's only
// dependency is the SDK, so errors cross as text and the caller makes the status).
#pragma once

#include <cstdint>
#include <string>

namespace testlayers {

// y (n) = scale[i % features] * x * sigmoid(x); sig (n) = sigmoid(x), kept for backward.
std::string swish_forward_cuda(const float* x, const float* scale, float* y, float* sig, int64_t n,
                               int64_t features, void* stream);

// dscale (features) += Σ over rows of dy * x * sig, each feature summed in row order; dx (n),
// when not null, = dy * scale * (sig + x * sig * (1 - sig)).
std::string swish_backward_cuda(const float* x, const float* scale, const float* sig,
                                const float* dy, float* dscale, float* dx, int64_t n,
                                int64_t features, void* stream);

// mean (features) = the mean of each feature over the rows of x (n), summed in row order
// (training), or running (features) copied (inference, training 0); y (n) = x - mean[i % features].
std::string center_forward_cuda(const float* x, const float* running, float* mean, float* y,
                                int64_t n, int64_t features, bool training, void* stream);

// dx (n), when not null, = dy less its mean over the rows per feature; in training,
// running = (1 - momentum) running + momentum mean, per feature.
std::string center_backward_cuda(const float* dy, const float* mean, float* running, float* dx,
                                 int64_t n, int64_t features, float momentum, bool training,
                                 void* stream);

}  // namespace testlayers
