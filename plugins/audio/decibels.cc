#include "audio/decibels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::audio {

void to_decibels(float* x, int64_t n, float multiplier, std::optional<float> top_db) {
  float peak = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; ++i) {
    x[i] = multiplier * std::log10(std::max(x[i], kAmin));
    peak = std::max(peak, x[i]);
  }
  if (!top_db || n == 0) return;
  const float floor = peak - *top_db;
  for (int64_t i = 0; i < n; ++i) x[i] = std::max(x[i], floor);
}

void to_log(float* x, int64_t n, float offset) {
  for (int64_t i = 0; i < n; ++i) x[i] = std::log(x[i] + offset);
}

}  // namespace sluice::audio
