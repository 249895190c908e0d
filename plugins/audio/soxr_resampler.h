// One libsoxr resampler for one conversion (rates, quality, channel count), kept by one thread and
// used for signal after signal. Each signal's output is, bit for bit, what a new resampler gives
// it (soxr_oneshot's, flushed), whatever this one resampled before.
//
// Rebuilding soxr's filter for a signal (soxr_clear) costs about 40 us, more than resampling a
// 0.4 s clip. So where the conversion allows, signals go through one long soxr stream instead:
// each is followed by zeros up to the next of the stream's block boundaries, and the next signal
// meets the filter there as a new resampler's first block does (the same zeros before it, the same
// place in a block, so the same arithmetic). The block period is probed from the stream's output:
// streaming is used only where output comes in uniform bursts (the same input between bursts and
// the same output from each: one block stage, no phase carried from block to block), and 32 probe
// signals of varied lengths then resample bit for bit as by a new resampler. Otherwise, and for
// fractional rates, each signal gets soxr_clear.
//
// Not thread-safe: one per thread.
#pragma once

#include "audio/resampler.h"
#include "audio/waveform.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <vector>

struct soxr;

namespace sluice::audio {

class SoxrResampler {
 public:
  static Expected<std::unique_ptr<SoxrResampler>> create(double in_rate, double out_rate,
                                                         ResampleQuality quality, int channels);
  ~SoxrResampler();
  SoxrResampler(const SoxrResampler&) = delete;
  SoxrResampler& operator=(const SoxrResampler&) = delete;

  // Resamples `in` (this resampler's channel count) into `out`, which has the same channel count
  // and round(in.frames * out_rate / in_rate) frames, all zero; frames soxr does not fill stay
  // zero, as with soxr_oneshot.
  Status resample(WaveformView in, Waveform& out);

  // Whether signals share one soxr stream (else each gets soxr_clear).
  bool streamed() const { return period_ > 0; }

 private:
  SoxrResampler(struct soxr* soxr, int channels, int64_t up, int64_t down);

  Status resample_cleared(WaveformView in, Waveform& out);
  Status resample_streamed(WaveformView in, Waveform& out);
  // Feeds `frames` frames of `channels` (nullptr: zeros) into the stream, copying the output that
  // falls in [out_begin, out_begin + out.frames) of the stream's output into `out`.
  Status feed(const float* const* channels, int64_t frames, int64_t out_begin, Waveform& out);
  // The stream's block period in input frames, if its output bursts are uniform (probed on zeros
  // from a fresh stream, which this leaves cleared).
  int64_t probe_block_period();
  // Whether `count` probe signals come out of the stream bit for bit as out of `reference`, a
  // resampler for the same conversion cleared for each.
  bool streaming_matches_cleared(struct soxr* reference, int count);
  Status restart();

  struct soxr* soxr_;
  int channels_;
  int64_t up_ = 0, down_ = 0;   // out_rate / in_rate = up_ / down_ in lowest terms; 0 if fractional
  int64_t period_ = 0;          // block period in input frames; 0 when not streamed
  int64_t fed_ = 0;             // input frames fed into the stream since its start
  int64_t produced_ = 0;        // output frames it gave
  std::vector<float> scratch_;  // channels_ x kScratchFrames of output
};

}  // namespace sluice::audio
