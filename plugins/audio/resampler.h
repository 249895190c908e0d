// Sample-rate conversion with libsoxr (band-limited, linear phase). Pure; thread-safe.
#pragma once

#include "audio/waveform.h"

#include <sluice/status.hpp>

namespace sluice::audio {

// soxr's quality recipes: quick (cubic), low (16-bit), medium (16-bit), high (20-bit),
// very_high (28-bit).
enum class ResampleQuality { kQuick, kLow, kMedium, kHigh, kVeryHigh };

// in: (C, T) at `in_rate`; out: (C, round(T * out_rate / in_rate)) at `out_rate`, aligned so
// that output frame k is the input at time k / out_rate (soxr's delay is flushed). Rates are
// positive and may be fractional (audio.speed resamples by a factor). Returns `in` unchanged
// when the rates are equal.
Expected<Waveform> resample(WaveformView in, double in_rate, double out_rate,
                            ResampleQuality quality);

}  // namespace sluice::audio
