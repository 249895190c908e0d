// Element-wise activations and their gradients, as PyTorch defines them: ReLU (gradient 0 at 0),
// GELU (the exact erf form, nn.GELU()), tanh. Pure functions over n floats, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

enum class Nonlinearity { kRelu, kGelu, kTanh };

// y = f(x).
void activation_forward(Nonlinearity f, const float* x, float* y, int64_t n);
// dx = f'(x) · dy (x is the forward input, y its output).
void activation_backward(Nonlinearity f, const float* x, const float* y, const float* dy, float* dx,
                         int64_t n);

}  // namespace sluice::nn
