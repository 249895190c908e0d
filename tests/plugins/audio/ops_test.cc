// Every audio op through OpRunner: resample, the waveform edits and augmentations (random ones
// the same for the same record seed and different across records), spectrogram, spec_augment,
// and the params checked at load.
#include "audio_test_util.h"
#include "plugins/support/plugin_test.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>

namespace json = boost::json;
using namespace sluice::audio;  // NOLINT
using sluice::test::parse_lines;
using sluice::test::run_op;

namespace {

Waveform run_one(const std::string& op, const std::string& params, const Waveform& in,
                 int rate = 8000) {
  auto r = run_op("audio", op, params, {test::audio_record(in, rate)});
  INFO(op << " " << params << (r.rejected.empty() ? "" : r.rejected[0]));
  REQUIRE(r.rejected.empty());
  return test::waveform_of(parse_lines(r.outputs).at(0));
}

// Runs `op` on three copies of `in` (three record seeds) with runner seed `seed`.
std::vector<Waveform> run_seeded(const std::string& op, const std::string& params,
                                 const Waveform& in, uint64_t seed) {
  sluice::OpRunner runner(sluice::test::plugin_registry("audio"), op, params);
  REQUIRE(runner.status().ok());
  runner.set_seed(seed);
  const std::string rec = test::audio_record(in, 8000);
  auto r = runner.process_all({rec, rec, rec});
  REQUIRE(r.error.ok());
  REQUIRE(r.rejected.empty());
  std::vector<Waveform> out;
  for (const auto& o : parse_lines(r.outputs)) out.push_back(test::waveform_of(o));
  return out;
}

double rms(const Waveform& w) {
  double s = 0;
  for (float v : w.samples) s += double(v) * v;
  return std::sqrt(s / w.samples.size());
}

}  // namespace

TEST_CASE("audio.resample sets the new rate and length", "[audio]") {
  Waveform w = test::tone(8000, 0.5, {440.0}, {0.5});
  auto r = run_op("audio", "audio.resample", "{sample_rate: 16000, quality: very_high}",
                  {test::audio_record(w, 8000)});
  auto rec = parse_lines(r.outputs).at(0);
  CHECK(rec.at("sample_rate").as_int64() == 16000);
  Waveform out = test::waveform_of(rec);
  CHECK(out.frames == 8000);
  CHECK(test::amplitude_at(out.channel(0), 2000, 6000, 440.0, 16000) == Approx(0.5).epsilon(0.005));
  // already at the rate: unchanged
  CHECK(run_one("audio.resample", "{sample_rate: 8000}", w).samples == w.samples);
}

TEST_CASE("audio.trim_silence, pad_or_crop, gain, time_shift", "[audio]") {
  Waveform w;
  w.channels = 1;
  w.frames = 8000;
  w.samples.assign(8000, 0.0f);
  for (int n = 3000; n < 5000; ++n) w.samples[n] = 0.25f * std::sin(n * 0.3f);
  Waveform t = run_one("audio.trim_silence", "{top_db: 40, frame_length: 512, hop_length: 128}", w);
  CHECK(t.frames < 3000);
  CHECK(t.frames >= 2000);

  Waveform c = run_one("audio.pad_or_crop", "{length: 4000, crop: center}", w);
  CHECK(c.frames == 4000);
  CHECK(c.samples[0] == w.samples[2000]);
  Waveform p = run_one("audio.pad_or_crop", "{length: 9000, pad: both}", w);
  CHECK(p.frames == 9000);
  CHECK(p.samples[500 + 3500] == w.samples[3500]);

  Waveform g = run_one("audio.gain", "{db: 6.0206}", w);
  CHECK(g.samples[3500] == Approx(2 * w.samples[3500]).epsilon(1e-4));

  Waveform s = run_one("audio.time_shift", "{max_shift: 0.1, roll: true}", w);
  CHECK(s.frames == w.frames);
  CHECK(rms(s) == Approx(rms(w)).epsilon(1e-6));
}

TEST_CASE("random ops: the same per record seed, different across records", "[audio]") {
  Waveform w = test::tone(8000, 0.5, {300.0}, {0.5});
  for (auto [op, params] : {std::pair{"audio.add_noise", "{snr_db: 10}"},
                            std::pair{"audio.pad_or_crop", "{length: 1000}"},
                            std::pair{"audio.time_shift", "{max_shift: 0.05}"},
                            std::pair{"audio.gain", "{db: -6, max_db: 6}"},
                            std::pair{"audio.speed", "{factor: 0.9, max_factor: 1.1}"}}) {
    INFO(op);
    auto a = run_seeded(op, params, w, 7);
    auto b = run_seeded(op, params, w, 7);
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].samples == b[i].samples);
    CHECK(a[0].samples != a[1].samples);
    auto c = run_seeded(op, params, w, 8);
    CHECK(c[0].samples != a[0].samples);
  }
}

TEST_CASE("audio.add_noise mixes at the asked SNR", "[audio]") {
  Waveform w = test::tone(8000, 1.0, {300.0}, {0.5});
  Waveform n = run_one("audio.add_noise", "{snr_db: 20}", w);
  double ps = 0, pn = 0;
  for (size_t i = 0; i < w.samples.size(); ++i) {
    ps += double(w.samples[i]) * w.samples[i];
    pn += std::pow(double(n.samples[i]) - w.samples[i], 2);
  }
  CHECK(10 * std::log10(ps / pn) == Approx(20.0).margin(0.01));
}

TEST_CASE("audio.speed changes the length and the pitch", "[audio]") {
  Waveform w = test::tone(8000, 1.0, {400.0}, {0.5});
  Waveform f = run_one("audio.speed", "{factor: 2.0}", w);
  CHECK(f.frames == 4000);
  CHECK(test::amplitude_at(f.channel(0), 1000, 3000, 800.0, 8000) == Approx(0.5).epsilon(0.01));
  Waveform s = run_one("audio.speed", "{factor: 0.5}", w);
  CHECK(s.frames == 16000);
}

TEST_CASE("audio.spectrogram: shape, and a stereo record gives (channels, bins, frames)",
          "[audio]") {
  Waveform w = test::tone(16000, 0.5, {1000.0}, {1.0});
  auto r = run_op("audio", "audio.spectrogram", "{n_fft: 400, hop_length: 160}",
                  {test::audio_record(w, 16000)});
  auto f = test::tensor_of(parse_lines(r.outputs).at(0), "features");
  CHECK(f.shape == std::vector<int64_t>{201, 51});
  CHECK(std::sqrt(f.data[25 * 51 + 20]) == Approx(100.0).epsilon(1e-3));
  Waveform st;
  st.channels = 2;
  st.frames = w.frames;
  st.samples = w.samples;
  st.samples.insert(st.samples.end(), w.samples.begin(), w.samples.end());
  auto m = run_op("audio", "audio.log_mel", "{n_mels: 40, hop_length: 160}",
                  {test::audio_record(st, 16000)});
  auto mf = test::tensor_of(parse_lines(m.outputs).at(0), "features");
  CHECK(mf.shape == std::vector<int64_t>{2, 40, 51});
}

TEST_CASE("feature ops reject a wrong sample rate and too-short audio", "[audio]") {
  Waveform w = test::tone(8000, 0.5, {440.0}, {0.5});
  Waveform tiny = test::tone(16000, 0.005, {440.0}, {0.5});
  auto r = run_op("audio", "audio.mel_spectrogram", "{sample_rate: 16000}",
                  {test::audio_record(w, 8000), test::audio_record(tiny, 16000)});
  REQUIRE(r.rejected.size() == 2);
  CHECK_THAT(r.rejected[0], Catch::Contains("8000 Hz"));
  CHECK_THAT(r.rejected[1], Catch::Contains("samples"));
  CHECK_THAT(
      sluice::test::params_error("audio", "audio.mfcc", "{n_mels: 20, n_mfcc: 40}").message(),
      Catch::Contains("param 'n_mfcc': expected at most n_mels (20), found 40"));
  CHECK_THAT(sluice::test::params_error("audio", "audio.mel_spectrogram",
                                        "{sample_rate: 8000, f_max: 6000}")
                 .message(),
             Catch::Contains("params 'f_min' and 'f_max': expected f_min < f_max <= sample_rate "
                             "/ 2 (4000), found f_min 0, f_max 6000"));
  CHECK_THAT(
      sluice::test::params_error("audio", "audio.spectrogram", "{n_fft: 256, win_length: 400}")
          .message(),
      Catch::Contains("param 'win_length': expected at most n_fft (256), found 400"));
  // Lengths past int32 are refused, not wrapped (trim_silence once trimmed everything away).
  CHECK_THAT(
      sluice::test::params_error("audio", "audio.trim_silence", "{frame_length: 1000000000000}")
          .message(),
      Catch::Contains("expected an int in [1, 2147483647], found 1000000000000"));
  CHECK_THAT(sluice::test::params_error("audio", "audio.spectrogram", "{win_length: 1000000000000}")
                 .message(),
             Catch::Contains("expected an int in [1, 1048576], found 1000000000000"));
}

TEST_CASE("audio.spec_augment masks bands and spans from the record seed", "[audio]") {
  std::string rec = R"({"features": {"dtype": "float32", "shape": [40, 100], "data": [)";
  for (int i = 0; i < 4000; ++i) rec += (i ? ",1" : "1");
  rec += "]}}";
  sluice::OpRunner runner(sluice::test::plugin_registry("audio"), "audio.spec_augment",
                          "{freq_mask_param: 10, time_mask_param: 20, freq_masks: 2, "
                          "time_masks: 2, mask_value: -5}");
  REQUIRE(runner.status().ok());
  auto a = runner.process_all({rec, rec});
  auto b = runner.process_all({rec, rec});
  REQUIRE(a.outputs.size() == 2);
  CHECK(a.outputs == b.outputs);
  CHECK(a.outputs[0] != a.outputs[1]);
  auto f = test::tensor_of(parse_lines(a.outputs).at(0), "features");
  CHECK(f.shape == std::vector<int64_t>{40, 100});
  int masked = 0;
  for (double v : f.data) {
    CHECK((v == 1.0 || v == -5.0));
    masked += v == -5.0;
  }
  CHECK(masked <= 2 * 10 * 100 + 2 * 20 * 40);
}
