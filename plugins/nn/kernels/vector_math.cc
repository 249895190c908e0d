#include "nn/kernels/vector_math.h"

#include <bit>
#include <cmath>

namespace sluice::nn {
namespace {

// Adding it to a float of magnitude below 2^22 rounds that float to an integer (to even), which
// the sum's low mantissa bits then hold.
constexpr float kRoundingShift = 0x1.8p23f;

// e^u = 2^k e^r, k = round(u log2 e), r = u - k ln 2 with ln 2 in two parts, the first with few
// enough bits that k times it is exact, so r carries no cancellation error; e^r = 1 + r + r² q(r).
// 2^k is applied as two powers of two, so that results that are subnormal (k down to -150) are
// rounded once and those past the largest float become infinity. u is clamped to [-104, 89],
// where e^u is already zero or infinity.
[[gnu::always_inline]] inline float exp_of(float u) {
  constexpr float kLog2e = 0x1.715476p+0f, kLn2High = 0x1.63p-1f, kLn2Low = -0x1.bd0106p-13f;
  constexpr float q0 = 0x1.fffffcp-2f, q1 = 0x1.555482p-3f, q2 = 0x1.55593cp-5f,
                  q3 = 0x1.1245c8p-7f, q4 = 0x1.6a108p-10f;
  float x = u > 89.0f ? 89.0f : u;  // NaN passes both
  x = x < -104.0f ? -104.0f : x;
  const float shifted = x * kLog2e + kRoundingShift;
  const float k = shifted - kRoundingShift;
  const auto k_int = static_cast<int32_t>(std::bit_cast<uint32_t>(shifted) -
                                          std::bit_cast<uint32_t>(kRoundingShift));
  const float r = (x - k * kLn2High) - k * kLn2Low;
  const float q = q0 + r * (q1 + r * (q2 + r * (q3 + r * q4)));
  const float p = 1.0f + (r + (r * r) * q);
  const int32_t k_half = k_int >> 1;
  const float scale_1 = std::bit_cast<float>(static_cast<uint32_t>(k_half + 127) << 23);
  const float scale_2 = std::bit_cast<float>(static_cast<uint32_t>(k_int - k_half + 127) << 23);
  return (p * scale_1) * scale_2;
}

// |z| < 0.875: erf(z) = z + z g(z²). 0.875 <= |z| < 3.92: erf(z) = ±(1 - e^(-z²) h(|z|)), h a
// polynomial in |z| mapped from the interval to [-1, 1]. From 3.92 up: ±1. Both pieces are
// computed and one kept, so the loop has no branch.
[[gnu::always_inline]] inline float erf_of(float z) {
  constexpr float kNear = 0.875f, kOne = 3.92f, kMid = 2.3975f, kInvHalfWidth = 0.65681445f;
  constexpr float g0 = 0x1.06eba6p-3f, g1 = -0x1.81270cp-2f, g2 = 0x1.ce211ep-4f,
                  g3 = -0x1.b6f38ep-6f, g4 = 0x1.49ca12p-8f, g5 = -0x1.453af8p-11f;
  constexpr float h0 = 0x1.bfe5a6p-3f, h1 = -0x1.f11a5ap-4f, h2 = 0x1.05765p-4f,
                  h3 = -0x1.0c2a3ep-5f, h4 = 0x1.cd85fep-7f, h5 = -0x1.ba9e18p-8f,
                  h6 = 0x1.16a474p-7f, h7 = 0x1.7b0b22p-8f, h8 = 0x1.0e267p-8f;
  const float a = std::fabs(z);
  const float zz = z * z;
  const float g = g0 + zz * (g1 + zz * (g2 + zz * (g3 + zz * (g4 + zz * g5))));
  const float near = z + z * g;
  const float t = (a - kMid) * kInvHalfWidth;
  const float h =
      h0 + t * (h1 + t * (h2 + t * (h3 + t * (h4 + t * (h5 + t * (h6 + t * (h7 + t * h8)))))));
  const float far = 1.0f - exp_of(-zz) * h;
  const float far_or_one = a >= kOne ? 1.0f : far;  // NaN keeps far's NaN
  return a < kNear ? near : std::copysign(far_or_one, z);
}

}  // namespace

[[gnu::target_clones("avx512f", "avx2", "default")]] void erf_values(const float* z, float* out,
                                                                     int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = erf_of(z[i]);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void exp_values(const float* u, float* out,
                                                                     int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = exp_of(u[i]);
}

float erf_value(float z) { return erf_of(z); }

float exp_value(float u) { return exp_of(u); }

}  // namespace sluice::nn
