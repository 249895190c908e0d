#include "audio/resampler.h"

#include <soxr.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::audio {
namespace {

unsigned long recipe(ResampleQuality q) {  // NOLINT(runtime/int): soxr's type
  switch (q) {
    case ResampleQuality::kQuick:
      return SOXR_QQ;
    case ResampleQuality::kLow:
      return SOXR_LQ;
    case ResampleQuality::kMedium:
      return SOXR_MQ;
    case ResampleQuality::kHigh:
      return SOXR_HQ;
    case ResampleQuality::kVeryHigh:
      return SOXR_VHQ;
  }
  return SOXR_HQ;
}

struct SoxrDelete {
  void operator()(soxr_t s) const { soxr_delete(s); }
};
using SoxrPtr = std::unique_ptr<struct soxr, SoxrDelete>;

// Resamplers kept by this thread for the last few (rates, quality, channels), reused with
// soxr_clear: it rebuilds soxr's filter all the same, but skips the allocations and set-up of
// soxr_create, about half the cost of soxr_oneshot for a short file. The output is the same as
// soxr_oneshot's (a cleared resampler starts from nothing, and the input is flushed the same way),
// so it does not depend on what this thread resampled before.
class SoxrCache {
 public:
  Expected<soxr_t> get(double in_rate, double out_rate, ResampleQuality quality, int channels) {
    for (Entry& e : entries_) {
      if (e.soxr && e.in_rate == in_rate && e.out_rate == out_rate && e.quality == quality &&
          e.channels == channels) {
        e.last_use = ++clock_;
        soxr_error_t err = soxr_clear(e.soxr.get());
        if (err != nullptr) {
          e.soxr.reset();
          return Status::Internal(std::string("soxr: ") + err);
        }
        return e.soxr.get();
      }
    }
    Entry* victim = &entries_[0];
    for (Entry& e : entries_) {
      if (!e.soxr) {
        victim = &e;
        break;
      }
      if (e.last_use < victim->last_use) victim = &e;
    }
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
    soxr_quality_spec_t q = soxr_quality_spec(recipe(quality), 0);
    soxr_runtime_spec_t rt = soxr_runtime_spec(1);
    soxr_error_t err = nullptr;
    SoxrPtr s(soxr_create(in_rate, out_rate, static_cast<unsigned>(channels), &err, &io, &q, &rt));
    if (err != nullptr || !s) return Status::Internal(std::string("soxr: ") + (err ? err : "?"));
    *victim = Entry{std::move(s), in_rate, out_rate, quality, channels, ++clock_};
    return victim->soxr.get();
  }

 private:
  struct Entry {
    SoxrPtr soxr;
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
  Waveform out;
  out.channels = in.channels;
  out.frames = out_frames;
  out.samples.assign(static_cast<size_t>(out_frames * in.channels), 0.0f);
  thread_local SoxrCache cache;
  Expected<soxr_t> soxr = cache.get(in_rate, out_rate, quality, in.channels);
  if (!soxr.ok()) return soxr.status();
  std::vector<const float*> ins(static_cast<size_t>(in.channels));
  std::vector<float*> outs(static_cast<size_t>(in.channels));
  for (int c = 0; c < in.channels; ++c) {
    ins[c] = in.channel(c);
    outs[c] = out.channel(c);
  }
  size_t done_in = 0, written = 0;
  // One call as soxr_oneshot makes it: all input, marked as the last (~length), so soxr flushes;
  // frames soxr does not fill stay zero.
  soxr_error_t err = soxr_process(*soxr, ins.data(), ~static_cast<size_t>(in.frames), &done_in,
                                  outs.data(), static_cast<size_t>(out_frames), &written);
  if (err != nullptr) return Status::Internal(std::string("soxr: ") + err);
  return out;
}

}  // namespace sluice::audio
