// SpecAugment masks (Park et al. 2019) as torchaudio's FrequencyMasking / TimeMasking draw them:
// width = floor(u * mask_param), start = floor(v * (size - width)) for u, v uniform in [0, 1).
// Pure; the caller supplies the generator.
#pragma once

#include "audio/random.h"

#include <cstdint>

namespace sluice::audio {

struct MaskSpan {
  int64_t begin = 0, end = 0;
};

// A span of at most min(mask_param, size) of `size` rows or columns.
MaskSpan draw_mask(Random& rng, int64_t mask_param, int64_t size);

// features: (channels, n_bins, frames) row-major, in place. Sets bins [b.begin, b.end) of every
// frame, or frames [b.begin, b.end) of every bin, to `value`.
void mask_bins(float* features, int64_t channels, int64_t n_bins, int64_t frames, MaskSpan b,
               float value);
void mask_frames(float* features, int64_t channels, int64_t n_bins, int64_t frames, MaskSpan t,
                 float value);

}  // namespace sluice::audio
