// The `quality` param shared by audio.resample and audio.speed.
#pragma once

#include "audio/resampler.h"

#include <sluice/sdk.hpp>

#include <string>

namespace sluice::audio {

inline ParamSpec quality_param() {
  return ParamSpec::String("quality",
                           "soxr recipe: quick (cubic), low, medium, high (20-bit), very_high")
      .choices({"quick", "low", "medium", "high", "very_high"})
      .default_value("high");
}

inline ResampleQuality parse_quality(const std::string& q) {
  if (q == "quick") return ResampleQuality::kQuick;
  if (q == "low") return ResampleQuality::kLow;
  if (q == "medium") return ResampleQuality::kMedium;
  if (q == "very_high") return ResampleQuality::kVeryHigh;
  return ResampleQuality::kHigh;
}

}  // namespace sluice::audio
