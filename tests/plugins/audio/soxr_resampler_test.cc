// SoxrResampler against soxr_oneshot: whether it streams signals through one soxr or clears it
// for each, every signal's output is bit for bit what a new soxr gives it, in any order.
#include "audio/soxr_resampler.h"

#include <soxr.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace sluice::audio;  // NOLINT

namespace {

// `count` signals of `channels`, white noise with a tone, with lengths from 1 frame to ~3 s at
// 16 kHz (FSDD's clips are 0.2-2 s), each a different length.
std::vector<Waveform> signals(int channels, int count) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> noise(-0.3f, 0.3f);
  std::vector<Waveform> out;
  for (int k = 0; k < count; ++k) {
    const int64_t frames = k == 0 ? 1 : 1 + (k * int64_t{104729}) % 48000;
    Waveform w{channels, frames, std::vector<float>(static_cast<size_t>(channels * frames))};
    for (int64_t i = 0; i < channels * frames; ++i) {
      w.samples[i] =
          noise(rng) + 0.5f * static_cast<float>(std::sin(0.05 * static_cast<double>(i)));
    }
    out.push_back(std::move(w));
  }
  return out;
}

unsigned long soxr_recipe(ResampleQuality q) {  // NOLINT(runtime/int): soxr's type
  return q == ResampleQuality::kMedium ? SOXR_MQ : q == ResampleQuality::kLow ? SOXR_LQ : SOXR_HQ;
}

// What a new soxr gives: soxr_oneshot, planar float32, into a zeroed buffer of
// round(frames * ratio) frames.
std::vector<float> oneshot(const Waveform& in, double from, double to, ResampleQuality q) {
  const auto frames =
      static_cast<int64_t>(std::llround(static_cast<double>(in.frames) * to / from));
  std::vector<float> out(static_cast<size_t>(frames * in.channels), 0.0f);
  std::vector<const float*> ins;
  std::vector<float*> outs;
  for (int c = 0; c < in.channels; ++c) {
    ins.push_back(in.channel(c));
    outs.push_back(out.data() + c * frames);
  }
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  soxr_quality_spec_t qs = soxr_quality_spec(soxr_recipe(q), 0);
  soxr_runtime_spec_t rt = soxr_runtime_spec(1);
  size_t done = 0;
  soxr_error_t err = soxr_oneshot(from, to, static_cast<unsigned>(in.channels), ins.data(),
                                  static_cast<size_t>(in.frames), nullptr, outs.data(),
                                  static_cast<size_t>(frames), &done, &io, &qs, &rt);
  REQUIRE(err == nullptr);
  return out;
}

std::vector<float> through(SoxrResampler& r, const Waveform& in, double from, double to) {
  const auto frames =
      static_cast<int64_t>(std::llround(static_cast<double>(in.frames) * to / from));
  Waveform out{in.channels, frames, std::vector<float>(static_cast<size_t>(frames * in.channels))};
  REQUIRE(r.resample(in, out).ok());
  return out.samples;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

TEST_CASE("soxr resampler: each signal as a new soxr gives it, streamed or cleared", "[audio]") {
  struct Conversion {
    double from, to;
    ResampleQuality quality;
    int channels;
    bool streamed;  // one block stage with uniform bursts
  };
  for (const Conversion& c : {Conversion{8000, 16000, ResampleQuality::kHigh, 1, true},
                              Conversion{16000, 8000, ResampleQuality::kHigh, 2, true},
                              Conversion{32000, 16000, ResampleQuality::kMedium, 1, true},
                              Conversion{22050, 44100, ResampleQuality::kLow, 1, true},
                              Conversion{44100, 16000, ResampleQuality::kHigh, 1, false},
                              Conversion{8000, 22050, ResampleQuality::kHigh, 2, false},
                              Conversion{8000, 8800.5, ResampleQuality::kHigh, 1, false}}) {
    INFO(c.from << " -> " << c.to << " Hz, " << c.channels << " channel(s)");
    auto r = SoxrResampler::create(c.from, c.to, c.quality, c.channels);
    REQUIRE(r.ok());
    CHECK((*r)->streamed() == c.streamed);
    const std::vector<Waveform> in = signals(c.channels, 12);
    std::vector<std::vector<float>> expected;
    for (const Waveform& w : in) expected.push_back(oneshot(w, c.from, c.to, c.quality));
    for (size_t k = 0; k < in.size(); ++k) {
      INFO("signal " << k << " of " << in[k].frames << " frames, in order");
      CHECK(same_bits(through(**r, in[k], c.from, c.to), expected[k]));
    }
    for (size_t k = in.size(); k-- > 0;) {  // again, after all the others, in reverse
      INFO("signal " << k << " of " << in[k].frames << " frames, reversed");
      CHECK(same_bits(through(**r, in[k], c.from, c.to), expected[k]));
    }
  }
}
