#include "audio/resampler.h"

#include "audio/soxr_resampler.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::audio {
namespace {

// Resamplers kept by this thread for the last few (rates, quality, channels). A resampler's
// output for a signal does not depend on what it resampled before (soxr_resampler.h).
class ResamplerCache {
 public:
  Expected<SoxrResampler*> get(double in_rate, double out_rate, ResampleQuality quality,
                               int channels) {
    for (Entry& e : entries_) {
      if (e.resampler && e.in_rate == in_rate && e.out_rate == out_rate && e.quality == quality &&
          e.channels == channels) {
        e.last_use = ++clock_;
        return e.resampler.get();
      }
    }
    Entry* victim = &entries_[0];
    for (Entry& e : entries_) {
      if (!e.resampler) {
        victim = &e;
        break;
      }
      if (e.last_use < victim->last_use) victim = &e;
    }
    auto made = SoxrResampler::create(in_rate, out_rate, quality, channels);
    if (!made.ok()) return made.status();
    *victim = Entry{std::move(*made), in_rate, out_rate, quality, channels, ++clock_};
    return victim->resampler.get();
  }

 private:
  struct Entry {
    std::unique_ptr<SoxrResampler> resampler;
    double in_rate = 0, out_rate = 0;
    ResampleQuality quality = ResampleQuality::kHigh;
    int channels = 0;
    uint64_t last_use = 0;
  };
  std::array<Entry, 4> entries_;
  uint64_t clock_ = 0;
};

}  // namespace

Expected<Waveform> resample(WaveformView in, double in_rate, double out_rate,
                            ResampleQuality quality) {
  if (!(in_rate > 0) || !(out_rate > 0)) {
    return Status::BadRecord("resample: rates must be positive, found " + std::to_string(in_rate) +
                             " -> " + std::to_string(out_rate));
  }
  if (in_rate == out_rate) {
    return Waveform{in.channels, in.frames,
                    std::vector<float>(in.samples, in.samples + in.channels * in.frames)};
  }
  const double ratio = out_rate / in_rate;
  const auto out_frames =
      static_cast<int64_t>(std::llround(static_cast<double>(in.frames) * ratio));
  if (static_cast<double>(out_frames) * in.channels > 4.0e9) {
    return Status::BadRecord("resample: output of " + std::to_string(out_frames) +
                             " frames is too large");
  }
  thread_local ResamplerCache cache;
  Expected<SoxrResampler*> resampler = cache.get(in_rate, out_rate, quality, in.channels);
  if (!resampler.ok()) return resampler.status();
  Waveform out{in.channels, out_frames,
               std::vector<float>(static_cast<size_t>(out_frames * in.channels), 0.0f)};
  Status s = (*resampler)->resample(in, out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace sluice::audio
