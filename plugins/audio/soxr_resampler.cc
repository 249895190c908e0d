#include "audio/soxr_resampler.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <string>

namespace sluice::audio {
namespace {

constexpr int64_t kScratchFrames = 8192;  // output frames per soxr_process call
constexpr int64_t kZeroFrames = 4096;     // zeros per soxr_process call
constexpr int64_t kMaxPeriod = 16384;     // longer block periods (very_high): not streamed
constexpr int kBursts = 8;                // output bursts the probe looks at
constexpr int kProbeSignals = 32;
constexpr int64_t kRestartAfter = int64_t{1} << 30;  // input frames, then a fresh stream
constexpr int kMaxFlushPeriods = 64;

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

soxr_t create_soxr(double in_rate, double out_rate, ResampleQuality quality, int channels,
                   soxr_error_t* err) {
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  soxr_quality_spec_t q = soxr_quality_spec(recipe(quality), 0);
  soxr_runtime_spec_t rt = soxr_runtime_spec(1);
  return soxr_create(in_rate, out_rate, static_cast<unsigned>(channels), err, &io, &q, &rt);
}

Status soxr_status(soxr_error_t err) { return Status::Internal(std::string("soxr: ") + err); }

const float* zeros() {
  static const std::vector<float> z(kZeroFrames, 0.0f);
  return z.data();
}

// out_rate / in_rate as up / down in lowest terms, when both rates are whole numbers below 2^31.
bool whole_ratio(double in_rate, double out_rate, int64_t* up, int64_t* down) {
  auto whole = [](double r) { return r == std::floor(r) && r < 2147483648.0; };
  if (!whole(in_rate) || !whole(out_rate)) return false;
  const auto in = static_cast<int64_t>(in_rate), out = static_cast<int64_t>(out_rate);
  const int64_t g = std::gcd(in, out);
  *up = out / g;
  *down = in / g;
  return true;
}

// The whole of `in` through a cleared `soxr`, marked as the end (soxr_oneshot's way).
Status resample_whole(soxr_t soxr, WaveformView in, Waveform& out) {
  soxr_error_t err = soxr_clear(soxr);
  if (err != nullptr) return soxr_status(err);
  std::vector<const float*> ins(static_cast<size_t>(in.channels));
  std::vector<float*> outs(static_cast<size_t>(in.channels));
  for (int c = 0; c < in.channels; ++c) {
    ins[c] = in.channel(c);
    outs[c] = out.channel(c);
  }
  size_t used = 0, written = 0;
  err = soxr_process(soxr, ins.data(), ~static_cast<size_t>(in.frames), &used, outs.data(),
                     static_cast<size_t>(out.frames), &written);
  return err == nullptr ? Status{} : soxr_status(err);
}

Waveform zero_output(int channels, int64_t in_frames, int64_t up, int64_t down) {
  const auto frames = static_cast<int64_t>(
      std::llround(static_cast<double>(in_frames) * static_cast<double>(up) / down));
  return Waveform{channels, frames, std::vector<float>(static_cast<size_t>(frames * channels))};
}

}  // namespace

Expected<std::unique_ptr<SoxrResampler>> SoxrResampler::create(double in_rate, double out_rate,
                                                               ResampleQuality quality,
                                                               int channels) {
  soxr_error_t err = nullptr;
  soxr_t soxr = create_soxr(in_rate, out_rate, quality, channels, &err);
  if (err != nullptr || soxr == nullptr) {
    if (soxr != nullptr) soxr_delete(soxr);
    return soxr_status(err != nullptr ? err : "soxr_create gave nothing");
  }
  int64_t up = 0, down = 0;
  if (!whole_ratio(in_rate, out_rate, &up, &down)) up = down = 0;
  std::unique_ptr<SoxrResampler> r(new SoxrResampler(soxr, channels, up, down));
  if (up == 0) return r;
  r->period_ = r->probe_block_period();
  if (r->period_ == 0) return r;  // cleared for each signal: nothing to start from
  Status s = r->restart();
  if (!s.ok()) return s;
  soxr_t reference = create_soxr(in_rate, out_rate, quality, channels, &err);
  if (reference == nullptr || err != nullptr ||
      !r->streaming_matches_cleared(reference, kProbeSignals)) {
    r->period_ = 0;
  }
  if (reference != nullptr) soxr_delete(reference);
  s = r->restart();
  if (!s.ok()) return s;
  return r;
}

SoxrResampler::SoxrResampler(struct soxr* soxr, int channels, int64_t up, int64_t down)
    : soxr_(soxr),
      channels_(channels),
      up_(up),
      down_(down),
      scratch_(static_cast<size_t>(channels * kScratchFrames)) {}

SoxrResampler::~SoxrResampler() { soxr_delete(soxr_); }

Status SoxrResampler::restart() {
  fed_ = produced_ = 0;
  soxr_error_t err = soxr_clear(soxr_);
  return err == nullptr ? Status{} : soxr_status(err);
}

Status SoxrResampler::resample(WaveformView in, Waveform& out) {
  Status s = streamed() ? resample_streamed(in, out) : resample_whole(soxr_, in, out);
  // Start over cleanly next time; failing that, clear before each signal from now on.
  if (!s.ok() && !restart().ok()) period_ = 0;
  return s;
}

Status SoxrResampler::resample_streamed(WaveformView in, Waveform& out) {
  if (out.frames == 0) return {};
  if (fed_ >= kRestartAfter) {
    Status s = restart();
    if (!s.ok()) return s;
  }
  // fed_ is a multiple of the period, itself a multiple of down_: the signal's output starts at
  // a whole output frame, with nothing of it given yet.
  const int64_t out_begin = fed_ / down_ * up_;
  if (produced_ > out_begin) {
    return Status::Internal("soxr stream gave " + std::to_string(produced_) +
                            " frames before a signal starting at output frame " +
                            std::to_string(out_begin));
  }
  std::vector<const float*> channels(static_cast<size_t>(channels_));
  for (int c = 0; c < channels_; ++c) channels[c] = in.channel(c);
  Status s = feed(channels.data(), in.frames, out_begin, out);
  // Zeros: at least a period (more than the filter's length), up to a block boundary, and more
  // periods until all of the signal's output is out.
  int64_t boundary = (fed_ + 2 * period_ - 1) / period_ * period_;
  for (int i = 0; s.ok() && i < kMaxFlushPeriods; ++i, boundary += period_) {
    s = feed(nullptr, boundary - fed_, out_begin, out);
    if (produced_ >= out_begin + out.frames) return s;
  }
  if (!s.ok()) return s;
  return Status::Internal("soxr stream gave " + std::to_string(produced_ - out_begin) + " of " +
                          std::to_string(out.frames) + " frames after " +
                          std::to_string(kMaxFlushPeriods) + " periods of zeros");
}

Status SoxrResampler::feed(const float* const* channels, int64_t frames, int64_t out_begin,
                           Waveform& out) {
  std::vector<const float*> ins(static_cast<size_t>(channels_));
  std::vector<float*> outs(static_cast<size_t>(channels_));
  for (int c = 0; c < channels_; ++c) outs[c] = scratch_.data() + c * kScratchFrames;
  const int64_t out_end = out_begin + out.frames;
  int64_t done = 0;
  while (true) {
    const int64_t chunk =
        channels != nullptr ? frames - done : std::min(frames - done, kZeroFrames);
    for (int c = 0; c < channels_; ++c) ins[c] = channels != nullptr ? channels[c] + done : zeros();
    size_t used = 0, written = 0;
    soxr_error_t err = soxr_process(soxr_, ins.data(), static_cast<size_t>(chunk), &used,
                                    outs.data(), static_cast<size_t>(kScratchFrames), &written);
    if (err != nullptr) return soxr_status(err);
    const auto got = static_cast<int64_t>(written);
    const int64_t from = std::max(produced_, out_begin), to = std::min(produced_ + got, out_end);
    for (int c = 0; c < channels_ && from < to; ++c) {
      std::memcpy(out.channel(c) + (from - out_begin), outs[c] + (from - produced_),
                  static_cast<size_t>(to - from) * sizeof(float));
    }
    produced_ += got;
    fed_ += static_cast<int64_t>(used);
    done += static_cast<int64_t>(used);
    if (done == frames && got < kScratchFrames) return {};
  }
}

int64_t SoxrResampler::probe_block_period() {
  std::vector<const float*> ins(static_cast<size_t>(channels_), zeros());
  std::vector<float*> outs(static_cast<size_t>(channels_));
  for (int c = 0; c < channels_; ++c) outs[c] = scratch_.data() + c * kScratchFrames;
  int bursts = 0;
  int64_t last = 0, interval = 0, burst_frames = 0;
  for (int64_t fed = 1; fed <= (kBursts + 1) * kMaxPeriod && bursts < kBursts; ++fed) {
    size_t used = 0, written = 0;
    soxr_error_t err =
        soxr_process(soxr_, ins.data(), 1, &used, outs.data(), kScratchFrames, &written);
    if (err != nullptr || used != 1 || written == static_cast<size_t>(kScratchFrames)) return 0;
    if (written == 0) continue;
    // The first burst also holds soxr's preload; uniformity is asked of the gaps after it.
    if (++bursts == 2) {
      interval = fed - last;
      burst_frames = static_cast<int64_t>(written);
    } else if (bursts > 2 &&
               (fed - last != interval || static_cast<int64_t>(written) != burst_frames)) {
      return 0;
    }
    last = fed;
  }
  if (bursts < kBursts || interval > kMaxPeriod) return 0;
  // Output per burst matches the ratio, and signals starting at block boundaries start at whole
  // output frames.
  if (burst_frames * down_ != interval * up_ || interval % down_ != 0) return 0;
  return interval;
}

bool SoxrResampler::streaming_matches_cleared(struct soxr* reference, int count) {
  std::mt19937 rng(20261204);
  std::uniform_real_distribution<float> sample(-1.0f, 1.0f);
  for (int k = 0; k < count; ++k) {
    // Lengths spread over three periods, so the signals end at all sorts of places in a block.
    const int64_t frames = 1 + (k * int64_t{7919} + 13) % (3 * period_);
    Waveform in{channels_, frames, std::vector<float>(static_cast<size_t>(channels_ * frames))};
    for (float& v : in.samples) v = sample(rng);
    Waveform streamed = zero_output(channels_, frames, up_, down_);
    Waveform cleared = streamed;
    if (!resample_streamed(in, streamed).ok() || !resample_whole(reference, in, cleared).ok() ||
        (!streamed.samples.empty() && std::memcmp(streamed.samples.data(), cleared.samples.data(),
                                                  streamed.samples.size() * sizeof(float)) != 0)) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice::audio
