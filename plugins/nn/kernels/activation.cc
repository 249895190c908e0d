#include "nn/kernels/activation.h"

#include "nn/kernels/parallel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace sluice::nn {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
constexpr int64_t kGrain = 16384;  // elements per chunk
constexpr int64_t kBlock = 256;    // values per pass of the CDF's two loops

// Φ(x), the standard normal CDF, with glibc's erff.
float normal_cdf(float x) { return 0.5f * (1.0f + std::erf(x * kInvSqrt2)); }

// erf(z) for 2^-28 <= |z| < 1.25, where glibc's erff (the fdlibm algorithm, in float, without
// FMA) evaluates two rational polynomials: the same constants and float operations in the same
// order, so the same bits (tests/plugins/nn/kernels_test.cc compares them), but written without
// branches, so a loop of them vectorises. Other z give no meaningful value.
[[gnu::always_inline]] inline float erf_polynomial(float z) {
  constexpr auto f = [](uint32_t bits) { return std::bit_cast<float>(bits); };
  const float pp0 = f(0x3e0375d4), pp1 = f(0xbea66beb), pp2 = f(0xbce9528f), pp3 = f(0xbbbd1489),
              pp4 = f(0xb7c756b1), qq1 = f(0x3ecbbbce), qq2 = f(0x3d852a63), qq3 = f(0x3ba68116),
              qq4 = f(0x390aee49), qq5 = f(0xb684e21a);
  const float pa0 = f(0xbb1acdc6), pa1 = f(0x3ed46805), pa2 = f(0xbebe9208), pa3 = f(0x3ea2fe54),
              pa4 = f(0xbde31cc2), pa5 = f(0x3d1151b3), pa6 = f(0xbb0df9c0), qa1 = f(0x3dd9f331),
              qa2 = f(0x3f0a5785), qa3 = f(0x3d931ae7), qa4 = f(0x3e013307), qa5 = f(0x3c5f6e13),
              qa6 = f(0x3c445aa3), erx = f(0x3f58560b);
  const float a = std::fabs(z);
  // |z| < 0.84375: z + z · r(z²) / s(z²)
  const float zz = z * z;
  const float r = pp0 + zz * (pp1 + zz * (pp2 + zz * (pp3 + zz * pp4)));
  const float s = 1.0f + zz * (qq1 + zz * (qq2 + zz * (qq3 + zz * (qq4 + zz * qq5))));
  const float near = z + z * (r / s);
  // 0.84375 <= |z| < 1.25: ±(erx + P(t) / Q(t)), t = |z| - 1 (glibc's -erx - P/Q is its negation)
  const float t = a - 1.0f;
  const float p = pa0 + t * (pa1 + t * (pa2 + t * (pa3 + t * (pa4 + t * (pa5 + t * pa6)))));
  const float q = 1.0f + t * (qa1 + t * (qa2 + t * (qa3 + t * (qa4 + t * (qa5 + t * qa6)))));
  const float far = std::copysign(erx + p / q, z);
  // near or far, as bits, so that both are computed and the loop has no branch to vectorise
  const uint32_t near_mask = a < 0.84375f ? ~0u : 0u;
  return std::bit_cast<float>((std::bit_cast<uint32_t>(near) & near_mask) |
                              (std::bit_cast<uint32_t>(far) & ~near_mask));
}

[[gnu::always_inline]] inline bool in_polynomial_range(float z) {
  const float a = std::fabs(z);
  return a >= 0x1p-28f && a < 1.25f;  // false for NaN
}

// c = Φ(x) of n <= kBlock values, bit for bit normal_cdf(): the polynomial range in one
// vectorised loop (AVX2 where the CPU has it, no FMA), then glibc's erff for the values outside
// it (|x| >= 1.77 for most, about 8% of a unit normal).
[[gnu::target_clones("avx2", "default")]] void normal_cdf_block(const float* x, float* c,
                                                                int64_t n) {
  for (int64_t i = 0; i < n; ++i) c[i] = 0.5f * (1.0f + erf_polynomial(x[i] * kInvSqrt2));
  for (int64_t i = 0; i < n; ++i) {
    if (!in_polynomial_range(x[i] * kInvSqrt2)) c[i] = normal_cdf(x[i]);
  }
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
        normal_cdf_block(x + from, c, count);
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
    case Nonlinearity::kGelu:
      // d/dx [x Φ(x)] = Φ(x) + x φ(x)
      for (int64_t i = 0; i < n; ++i) {
        const float c = cdf != nullptr ? cdf[i] : normal_cdf(x[i]);
        const float pdf = kInvSqrt2Pi * std::exp(-0.5f * x[i] * x[i]);
        dx[i] = dy[i] * (c + x[i] * pdf);
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
