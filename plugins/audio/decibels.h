// Decibel conversion as torchaudio.transforms.AmplitudeToDB (ref 1, amin 1e-10). Pure.
#pragma once

#include <cstdint>
#include <optional>

namespace sluice::audio {

inline constexpr float kAmin = 1e-10f;

// x: (n,) in place: multiplier * log10(max(x, amin)); multiplier 10 for power, 20 for
// amplitude. With top_db, values below (the maximum over all n) - top_db are raised to it.
void to_decibels(float* x, int64_t n, float multiplier, std::optional<float> top_db);

// x: (n,) in place: log(x + offset) (torchaudio MFCC's log_mels uses offset 1e-6).
void to_log(float* x, int64_t n, float offset);

}  // namespace sluice::audio
