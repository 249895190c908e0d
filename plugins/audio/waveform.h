// Audio samples as the kernels see them: planar float32, (channels, frames), row-major.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::audio {

// Borrowed samples, (channels, frames): valid while their owner (a Waveform, a record's tensor)
// is.
struct WaveformView {
  int channels = 0;
  int64_t frames = 0;
  const float* samples = nullptr;

  const float* channel(int c) const { return samples + static_cast<int64_t>(c) * frames; }
};

struct Waveform {
  int channels = 0;
  int64_t frames = 0;
  std::vector<float> samples;  // (channels, frames): channel c's frame t at c * frames + t

  float* channel(int c) { return samples.data() + static_cast<int64_t>(c) * frames; }
  const float* channel(int c) const { return samples.data() + static_cast<int64_t>(c) * frames; }
  WaveformView view() const { return WaveformView{channels, frames, samples.data()}; }
  operator WaveformView() const { return view(); }  // NOLINT(google-explicit-constructor)
};

}  // namespace sluice::audio
