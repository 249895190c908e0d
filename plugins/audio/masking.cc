#include "audio/masking.h"

#include <algorithm>
#include <cmath>

namespace sluice::audio {

MaskSpan draw_mask(Random& rng, int64_t mask_param, int64_t size) {
  const int64_t limit = std::min(mask_param, size);
  const auto width = static_cast<int64_t>(std::floor(rng.uniform() * static_cast<double>(limit)));
  const auto begin =
      static_cast<int64_t>(std::floor(rng.uniform() * static_cast<double>(size - width)));
  return {begin, begin + width};
}

void mask_bins(float* features, int64_t channels, int64_t n_bins, int64_t frames, MaskSpan b,
               float value) {
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t f = b.begin; f < b.end; ++f) {
      float* row = features + (c * n_bins + f) * frames;
      std::fill(row, row + frames, value);
    }
  }
}

void mask_frames(float* features, int64_t channels, int64_t n_bins, int64_t frames, MaskSpan t,
                 float value) {
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t f = 0; f < n_bins; ++f) {
      float* row = features + (c * n_bins + f) * frames;
      std::fill(row + t.begin, row + t.end, value);
    }
  }
}

}  // namespace sluice::audio
