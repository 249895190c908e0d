// Element-wise activations and their gradients, as PyTorch defines them: ReLU (gradient 0 at 0),
// GELU (the exact erf form, nn.GELU()), tanh. Pure functions over n floats, run in chunks on the
// calling arena's threads (parallel.h); thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

enum class Nonlinearity { kRelu, kGelu, kTanh };

// y = f(x). For gelu, `cdf` (n), when not null, gets Φ(x) for activation_backward.
void activation_forward(Nonlinearity f, const float* x, float* y, int64_t n, float* cdf = nullptr);
// dx = f'(x) · dy (x is the forward input, y its output; dx may be dy). For gelu, `cdf` is what
// activation_forward wrote, or null to compute Φ(x) again.
void activation_backward(Nonlinearity f, const float* x, const float* y, const float* cdf,
                         const float* dy, float* dx, int64_t n);

}  // namespace sluice::nn
