#include "nn/kernels/activation.h"

#include "nn/kernels/parallel.h"
#include "nn/kernels/vector_math.h"

#include <algorithm>
#include <cmath>

namespace sluice::nn {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
constexpr int64_t kGrain = 16384;  // elements per chunk
constexpr int64_t kBlock = 256;    // gelu's values per pass of its loops

// c = Φ(x) = 0.5 (1 + erf(x / sqrt 2)) of n <= kBlock values.
void normal_cdf(const float* x, float* c, int64_t n) {
  for (int64_t i = 0; i < n; ++i) c[i] = x[i] * kInvSqrt2;
  erf_values(c, c, n);
  for (int64_t i = 0; i < n; ++i) c[i] = 0.5f * (1.0f + c[i]);
}

// One chunk of n values of each pass (plain loops over pointer arguments, which GCC vectorises).
void forward_chunk(Nonlinearity f, const float* x, float* y, float* cdf, int64_t n) {
  switch (f) {
    case Nonlinearity::kRelu:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case Nonlinearity::kGelu:  // x Φ(x); 0.5 (1 + erf) is exact, so this is 0.5 x (1 + erf)
      for (int64_t from = 0; from < n; from += kBlock) {
        const int64_t count = std::min(kBlock, n - from);
        float local[kBlock];
        float* c = cdf != nullptr ? cdf + from : local;
        normal_cdf(x + from, c, count);
        for (int64_t i = 0; i < count; ++i) y[from + i] = x[from + i] * c[i];
      }
      break;
    case Nonlinearity::kTanh:
      for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      break;
  }
}

void backward_chunk(Nonlinearity f, const float* x, const float* y, const float* cdf,
                    const float* dy, float* dx, int64_t n) {
  switch (f) {
    case Nonlinearity::kRelu:
      for (int64_t i = 0; i < n; ++i) {
        const float g = dy[i];  // read whatever x is, so the loop has no branch
        dx[i] = x[i] > 0.0f ? g : 0.0f;
      }
      break;
    case Nonlinearity::kGelu:  // d/dx [x Φ(x)] = Φ(x) + x φ(x), φ(x) = e^(-x²/2) / sqrt(2π)
      for (int64_t from = 0; from < n; from += kBlock) {
        const int64_t count = std::min(kBlock, n - from);
        const float* xb = x + from;
        float local[kBlock], e[kBlock];
        const float* c = cdf != nullptr ? cdf + from : local;
        if (cdf == nullptr) normal_cdf(xb, local, count);
        for (int64_t i = 0; i < count; ++i) e[i] = -0.5f * xb[i] * xb[i];
        exp_values(e, e, count);
        for (int64_t i = 0; i < count; ++i) {
          dx[from + i] = dy[from + i] * (c[i] + xb[i] * (kInvSqrt2Pi * e[i]));
        }
      }
      break;
    case Nonlinearity::kTanh:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
  }
}

// `p` + `offset`, or null when p is.
template <class T>
T* at(T* p, int64_t offset) {
  return p != nullptr ? p + offset : nullptr;
}

}  // namespace

void activation_forward(Nonlinearity f, const float* x, float* y, int64_t n, float* cdf) {
  parallel_chunks(n, kGrain, [&](int64_t from, int64_t to) {
    forward_chunk(f, x + from, y + from, at(cdf, from), to - from);
  });
}

void activation_backward(Nonlinearity f, const float* x, const float* y, const float* cdf,
                         const float* dy, float* dx, int64_t n) {
  parallel_chunks(n, kGrain, [&](int64_t from, int64_t to) {
    backward_chunk(f, x + from, y + from, at(cdf, from), dy + from, dx + from, to - from);
  });
}

}  // namespace sluice::nn
