#include "nn/kernels/activation.h"

#include <cmath>

namespace sluice::nn {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

}  // namespace

void activation_forward(Nonlinearity f, const float* x, float* y, int64_t n) {
  switch (f) {
    case Nonlinearity::kRelu:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case Nonlinearity::kGelu:
      for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kInvSqrt2));
      break;
    case Nonlinearity::kTanh:
      for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      break;
  }
}

void activation_backward(Nonlinearity f, const float* x, const float* y, const float* dy, float* dx,
                         int64_t n) {
  switch (f) {
    case Nonlinearity::kRelu:
      for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
      break;
    case Nonlinearity::kGelu:
      // d/dx [x Φ(x)] = Φ(x) + x φ(x)
      for (int64_t i = 0; i < n; ++i) {
        const float cdf = 0.5f * (1.0f + std::erf(x[i] * kInvSqrt2));
        const float pdf = kInvSqrt2Pi * std::exp(-0.5f * x[i] * x[i]);
        dx[i] = dy[i] * (cdf + x[i] * pdf);
      }
      break;
    case Nonlinearity::kTanh:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
  }
}

}  // namespace sluice::nn
