#include "audio/decibels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace sluice::audio {
namespace {

// Natural log of a positive normal float, branch-free so the loops below vectorise: x = m 2^e
// with m in [sqrt(1/2), sqrt(2)), log(m) by Cephes' logf polynomial (relative error < 1e-7,
// as glibc's logf; 10 log10 then differs from torch's by < 1e-5 dB over [1e-10, 1e10]).
__attribute__((always_inline)) inline float log_positive(float x) {
  const auto bits = std::bit_cast<int32_t>(x);
  // Mantissa in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) moves the exponent by one
  // exactly when the mantissa is at least sqrt(2).
  const int32_t shifted = bits - 0x3f3504f3;  // bit pattern of sqrt(1/2)
  const int32_t e = shifted >> 23;
  const float m = std::bit_cast<float>(bits - (e << 23));
  const float f = m - 1.0f;
  const float z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  const auto fe = static_cast<float>(e);
  float y = f * z * p;
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  return f + y + 0.693359375f * fe;  // ln 2 split in two for accuracy (Cephes)
}

}  // namespace

// An AVX2 clone besides the baseline one, chosen at load by the CPU's features (the dB loop is the
// hottest of log-mel after the FFT). Not "arch=haswell": GCC dispatches that on the CPU model, so
// only a Haswell ran it. Neither clone contracts into FMA (ISO C++ mode), so both give the same
// values.
[[gnu::target_clones("avx2", "default")]] void to_decibels(float* x, int64_t n, float multiplier,
                                                           std::optional<float> top_db) {
  // multiplier * log10(v) = multiplier * log10(e) * ln(v)
  const float scale = multiplier * 0.434294481903251828f;
  constexpr float kMax = std::numeric_limits<float>::max();
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const float c = x[i] < kAmin ? kAmin : x[i];
    const float db = scale * log_positive(c);
    // +inf and NaN pass through as torch's log10 gives them (the polynomial would not).
    x[i] = c <= kMax ? db : c;
  }
  if (!top_db || n == 0) return;
  float peak = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : peak)
  for (int64_t i = 0; i < n; ++i) peak = x[i] > peak ? x[i] : peak;
  const float floor = peak - *top_db;
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) x[i] = x[i] < floor ? floor : x[i];
}

void to_log(float* x, int64_t n, float offset) {
  for (int64_t i = 0; i < n; ++i) x[i] = std::log(x[i] + offset);
}

}  // namespace sluice::audio
