#include "audio/resampler.h"

#include <soxr.h>

#include <cmath>
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

}  // namespace

Expected<Waveform> resample(const Waveform& in, double in_rate, double out_rate,
                            ResampleQuality quality) {
  if (!(in_rate > 0) || !(out_rate > 0)) {
    return Status::BadRecord("resample: rates must be positive, found " + std::to_string(in_rate) +
                             " -> " + std::to_string(out_rate));
  }
  if (in_rate == out_rate) return in;
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
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  soxr_quality_spec_t q = soxr_quality_spec(recipe(quality), 0);
  soxr_runtime_spec_t rt = soxr_runtime_spec(1);
  std::vector<const float*> ins(static_cast<size_t>(in.channels));
  std::vector<float*> outs(static_cast<size_t>(in.channels));
  for (int c = 0; c < in.channels; ++c) {
    ins[c] = in.channel(c);
    outs[c] = out.channel(c);
  }
  size_t done_in = 0, written = 0;
  // One call: all input, then soxr's end-of-input flush; frames soxr does not fill stay zero.
  soxr_error_t err = soxr_oneshot(in_rate, out_rate, static_cast<unsigned>(in.channels), ins.data(),
                                  static_cast<size_t>(in.frames), &done_in, outs.data(),
                                  static_cast<size_t>(out_frames), &written, &io, &q, &rt);
  if (err != nullptr) return Status::Internal(std::string("soxr: ") + err);
  return out;
}

}  // namespace sluice::audio
