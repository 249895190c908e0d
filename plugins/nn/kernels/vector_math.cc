#include "nn/kernels/vector_math.h"

#include <bit>
#include <cmath>

namespace sluice::nn {
namespace {

constexpr float f32(uint32_t bits) { return std::bit_cast<float>(bits); }
constexpr double f64(uint64_t bits) { return std::bit_cast<double>(bits); }

// erff(z) for 2^-28 <= |z| < 1.25, where glibc evaluates fdlibm's two rational polynomials in
// float without FMA: the same constants and operations in the same order, written without
// branches (both are computed, the bits of one kept). Other z give no meaningful value.
[[gnu::always_inline]] inline float erf_polynomial(float z) {
  const float pp0 = f32(0x3e0375d4), pp1 = f32(0xbea66beb), pp2 = f32(0xbce9528f),
              pp3 = f32(0xbbbd1489), pp4 = f32(0xb7c756b1), qq1 = f32(0x3ecbbbce),
              qq2 = f32(0x3d852a63), qq3 = f32(0x3ba68116), qq4 = f32(0x390aee49),
              qq5 = f32(0xb684e21a);
  const float pa0 = f32(0xbb1acdc6), pa1 = f32(0x3ed46805), pa2 = f32(0xbebe9208),
              pa3 = f32(0x3ea2fe54), pa4 = f32(0xbde31cc2), pa5 = f32(0x3d1151b3),
              pa6 = f32(0xbb0df9c0), qa1 = f32(0x3dd9f331), qa2 = f32(0x3f0a5785),
              qa3 = f32(0x3d931ae7), qa4 = f32(0x3e013307), qa5 = f32(0x3c5f6e13),
              qa6 = f32(0x3c445aa3), erx = f32(0x3f58560b);
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
  const uint32_t near_mask = a < 0.84375f ? ~0u : 0u;
  return std::bit_cast<float>((std::bit_cast<uint32_t>(near) & near_mask) |
                              (std::bit_cast<uint32_t>(far) & ~near_mask));
}

[[gnu::always_inline]] inline bool erf_polynomial_range(float z) {
  const float a = std::fabs(z);
  return (a >= 0x1p-28f) & (a < 1.25f);  // false for NaN
}

// glibc's expf: x / ln2 = k/32 + r/32, e^x = 2^(k/32) (its table, with k's integer part added to
// the exponent) times a cubic in r, in double. Its FMA build fuses five of the products into
// their sums (kFused), its SSE2 build rounds each.
constexpr uint64_t kExpTable[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540};

template <bool kFused>
[[gnu::always_inline]] inline double mul_add(double a, double b, double c) {
  if constexpr (kFused) {
    return std::fma(a, b, c);
  } else {
    return a * b + c;
  }
}

// expf(u) for |u| < 88 (other u give no meaningful value).
template <bool kFused>
[[gnu::always_inline]] inline float exp_polynomial(float u) {
  const double inv_ln2_n = f64(0x40471547652b82fe), shift = f64(0x4338000000000000);
  const double c0 = f64(0x3ebc6af84b912394), c1 = f64(0x3f2ebfce50fac4f3),
               c2 = f64(0x3f962e42ff0c52d6);
  const double xd = u;
  double kd = mul_add<kFused>(inv_ln2_n, xd, shift);  // k + shift, k = round(x · 32 / ln2)
  const uint64_t ki = std::bit_cast<uint64_t>(kd);
  kd -= shift;
  const double r = mul_add<kFused>(inv_ln2_n, xd, -kd);  // x · 32 / ln2 - k
  const double s = std::bit_cast<double>(kExpTable[ki % 32] + (ki << 47));
  const double z = mul_add<kFused>(c0, r, c1);
  const double r2 = r * r;
  const double y = mul_add<kFused>(z, r2, mul_add<kFused>(c2, r, 1.0));
  return static_cast<float>(y * s);
}

[[gnu::always_inline]] inline bool exp_polynomial_range(float u) {
  return ((std::bit_cast<uint32_t>(u) >> 20) & 0x7ff) < 0x42b;  // |u| < 88, as glibc tests it
}

// erff(z) for 1.25 <= |z| < inf, where glibc returns ±(1 - r/|z|), r = e^(-t² - 0.5625) ·
// e^((t - |z|)(t + |z|) + R(s)/S(s)), s = 1/z², t = |z| with its 12 low bits cleared, and fdlibm's
// rational polynomials R/S for |z| below or above 1/0.35, all in float without FMA; and ±1 for
// |z| >= 6. Its two expf calls are exp_polynomial's (every z of the range was compared, with the
// rounded and the fused expf alike). Other z give no meaningful value.
[[gnu::always_inline]] inline float erf_tail(float z) {
  const float ra0 = f32(0xbc21a093), ra1 = f32(0xbf31a0b7), ra2 = f32(0xc128f022),
              ra3 = f32(0xc2798057), ra4 = f32(0xc322658c), ra5 = f32(0xc3389ae7),
              ra6 = f32(0xc2a2932b), ra7 = f32(0xc11d077e), sa1 = f32(0x419d35ce),
              sa2 = f32(0x4309a863), sa3 = f32(0x43d9486f), sa4 = f32(0x442158c9),
              sa5 = f32(0x43d6810b), sa6 = f32(0x42d9451f), sa7 = f32(0x40d23f7c),
              sa8 = f32(0xbd777f97);
  const float rb0 = f32(0xbc21a092), rb1 = f32(0xbf4c9dd4), rb2 = f32(0xc18e104b),
              rb3 = f32(0xc320a2ea), rb4 = f32(0xc41f6441), rb5 = f32(0xc480230b),
              rb6 = f32(0xc3f1c275), sb1 = f32(0x41f2b459), sb2 = f32(0x43a2e571),
              sb3 = f32(0x44c01759), sb4 = f32(0x4547fdbb), sb5 = f32(0x451f90ce),
              sb6 = f32(0x43ed43a7), sb7 = f32(0xc1b38712);
  const float a = std::fabs(z);
  const uint32_t a_bits = std::bit_cast<uint32_t>(a);
  const float s = 1.0f / (a * a);
  const float ra =
      ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
  const float sa =
      1.0f +
      s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  const float rb = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
  const float sb =
      1.0f + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  // Both quotients, the bits of one kept (GCC moves a quotient that a ?: picks into a branch,
  // and a loop with a branch that divides does not vectorise).
  const uint32_t below = a_bits < 0x4036db6e ? ~0u : 0u;  // |z| < 1/0.35
  const float ratio = std::bit_cast<float>((std::bit_cast<uint32_t>(ra / sa) & below) |
                                           (std::bit_cast<uint32_t>(rb / sb) & ~below));
  const float t = std::bit_cast<float>(a_bits & 0xfffff000u);
  const float r =
      exp_polynomial<false>(-t * t - 0.5625f) * exp_polynomial<false>((t - a) * (t + a) + ratio);
  const uint32_t below_6 = a_bits < 0x40c00000 ? ~0u : 0u;  // |z| < 6, else ±1
  const float one_minus = std::bit_cast<float>((std::bit_cast<uint32_t>(1.0f - r / a) & below_6) |
                                               (std::bit_cast<uint32_t>(1.0f) & ~below_6));
  return std::copysign(one_minus, z);
}

[[gnu::always_inline]] inline bool erf_tail_range(float z) {
  const float a = std::fabs(z);
  return (a >= 1.25f) & (a <= 0x1.fffffep127f);  // false for NaN and infinities
}

constexpr int64_t kBlock = 256;  // values() takes the values this many at a time

// A vectorised loop over the values, then `rest` for those out of its range: rest(x, at, count,
// out) writes out[at[k]] for x[at[k]], k < count. Blocks whose values are all in range (most)
// take no scalar pass.
template <class Polynomial, class InRange, class Rest>
[[gnu::always_inline]] inline void values(const float* in, float* out, int64_t n, Polynomial poly,
                                          InRange in_range, Rest rest) {
  for (int64_t from = 0; from < n; from += kBlock) {
    const int64_t count = n - from < kBlock ? n - from : kBlock;
    float x[kBlock];
    for (int64_t i = 0; i < count; ++i) x[i] = in[from + i];
    int32_t outside = 0;
    for (int64_t i = 0; i < count; ++i) outside += in_range(x[i]) ? 0 : 1;
    for (int64_t i = 0; i < count; ++i) out[from + i] = poly(x[i]);
    if (outside == 0) continue;
    int32_t at[kBlock];
    int32_t others = 0;
    for (int64_t i = 0; i < count; ++i) {
      at[others] = static_cast<int32_t>(i);
      others += in_range(x[i]) ? 0 : 1;
    }
    rest(x, at, others, out + from);
  }
}

// rest for values() that takes glibc's function `f` for each value.
template <float (*f)(float)>
void with_glibc(const float* x, const int32_t* at, int32_t count, float* out) {
  for (int32_t k = 0; k < count; ++k) out[at[k]] = f(x[at[k]]);
}

float glibc_erf(float z) { return std::erf(z); }
float glibc_exp(float u) { return std::exp(u); }

// rest for erf: erf_tail, vectorised over all of them (nearly all are in its range), glibc's for
// the few that are not (|z| < 2^-28, NaN, infinities).
[[gnu::always_inline]] inline void erf_rest(const float* x, const int32_t* at, int32_t count,
                                            float* out) {
  float z[kBlock], tail[kBlock];
  for (int32_t k = 0; k < count; ++k) z[k] = x[at[k]];
  for (int32_t k = 0; k < count; ++k) tail[k] = erf_tail(z[k]);
  for (int32_t k = 0; k < count; ++k) out[at[k]] = erf_tail_range(z[k]) ? tail[k] : glibc_erf(z[k]);
}

// expf over the values, with glibc's FMA build's arithmetic (kFused) or its SSE2 build's; each
// entry point below compiles it for its own instruction set.
template <bool kFused>
[[gnu::always_inline]] inline void exp_values_of(const float* u, float* out, int64_t n) {
  values(
      u, out, n, [](float v) { return exp_polynomial<kFused>(v); },
      [](float v) { return exp_polynomial_range(v); }, with_glibc<glibc_exp>);
}

[[gnu::target("avx512f")]] void exp_values_fused_avx512(const float* u, float* out, int64_t n) {
  exp_values_of<true>(u, out, n);
}

[[gnu::target("avx2,fma")]] void exp_values_fused(const float* u, float* out, int64_t n) {
  exp_values_of<true>(u, out, n);
}

void exp_values_rounded(const float* u, float* out, int64_t n) { exp_values_of<false>(u, out, n); }

}  // namespace

[[gnu::target_clones("avx512f", "avx2", "default")]] void erf_values(const float* z, float* out,
                                                                     int64_t n) {
  values(
      z, out, n, [](float v) { return erf_polynomial(v); },
      [](float v) { return erf_polynomial_range(v); }, erf_rest);
}

void exp_values(const float* u, float* out, int64_t n) {
  enum Build { kRounded, kFused, kFusedAvx512 };
  static const Build build = [] {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("fma") || !__builtin_cpu_supports("avx2")) {
      return kRounded;  // glibc's test for its FMA build of expf
    }
    return __builtin_cpu_supports("avx512f") ? kFusedAvx512 : kFused;
  }();
  if (build == kFusedAvx512) {
    exp_values_fused_avx512(u, out, n);
  } else if (build == kFused) {
    exp_values_fused(u, out, n);
  } else {
    exp_values_rounded(u, out, n);
  }
}

}  // namespace sluice::nn
