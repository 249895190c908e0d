// audio.decode and audio.encode: real files, bytes, round trips, and a corpus of bad files made
// here at test time (empty, truncated, non-audio, zero channels, absurd sample rates and sizes),
// each rejected with a reason naming the file, without allocating what the header claims.
#include "audio/sound_file.h"
#include "audio_test_util.h"
#include "common/base64.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>

namespace json = boost::json;
using namespace sluice::audio;  // NOLINT
using sluice::test::parse_lines;
using sluice::test::run_op;

namespace {

std::string fsdd(const std::string& name) {
  return sluice::test::shared_data_dir() + "/audio/fsdd/" + name;
}

std::string ogg_data(const std::string& name) {
  return sluice::test::source_dir() + "/tests/data/audio/ogg/" + name;
}

std::string path_record(const std::string& path) {
  return json::serialize(json::object{{"path", path}});
}

std::string pcm16(int64_t frames, int channels) {
  std::string s(static_cast<size_t>(frames * channels * 2), '\0');
  for (size_t i = 0; i < s.size(); i += 2) s[i] = static_cast<char>(i & 0x7f);
  return s;
}

struct BadFile {
  std::string name;
  std::string bytes;
  std::string why;  // a word the reason must contain
};

// The bad corpus: every file libsndfile must not be trusted with.
std::vector<BadFile> bad_corpus() {
  const std::string one_second = pcm16(8000, 1);
  std::string wav = test::wav_bytes(1, 8000, 16, 16000, one_second);
  std::vector<BadFile> v;
  v.push_back({"empty.wav", "", "empty"});
  v.push_back({"header_only.wav", wav.substr(0, 20), "sound file"});
  v.push_back({"truncated_data.wav", wav.substr(0, 44 + 100), "truncated"});
  v.push_back(
      {"text.wav", "this is not audio, just some text that is long enough\n", "sound file"});
  v.push_back(
      {"png.wav", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\0'), "sound file"});
  v.push_back({"zero_channels.wav", test::wav_bytes(0, 8000, 16, 16000, one_second), ""});
  v.push_back({"zero_rate.wav", test::wav_bytes(1, 0, 16, 16000, one_second), ""});
  v.push_back({"huge_rate.wav", test::wav_bytes(1, 4000000000u, 16, 16000, one_second), ""});
  v.push_back({"huge_data_size.wav", test::wav_bytes(1, 8000, 16, 0xFFFFFFF0u, one_second), ""});
  v.push_back({"huge_channels.wav", test::wav_bytes(65535, 8000, 16, 16000, one_second), ""});
  const std::string ogg = sluice::test::read_file(ogg_data("george_0.ogg"));
  v.push_back({"truncated.ogg", ogg.substr(0, ogg.size() / 2), ""});
  v.push_back({"ogg_header_only.ogg", ogg.substr(0, 200), ""});
  v.push_back({"no_frames.wav", test::wav_bytes(1, 8000, 16, 0, ""), ""});
  return v;
}

}  // namespace

TEST_CASE("audio.decode reads an FSDD file from a path and from bytes", "[audio]") {
  auto out = run_op("audio", "audio.decode", "{}", {path_record(fsdd("0_george_0.wav"))});
  REQUIRE(out.rejected.empty());
  auto rec = parse_lines(out.outputs).at(0);
  CHECK(rec.at("sample_rate").as_int64() == 8000);
  Waveform w = test::waveform_of(rec);
  CHECK(w.channels == 1);
  CHECK(w.frames > 1000);
  for (float v : w.samples) REQUIRE(std::abs(v) <= 1.0f);

  std::string bytes = sluice::test::read_file(fsdd("0_george_0.wav"));
  json::object with_bytes{{"bytes", json::object{{"base64", sluice::base64_encode(bytes)}}}};
  auto from_bytes = run_op("audio", "audio.decode", "{}", {json::serialize(with_bytes)});
  REQUIRE(from_bytes.rejected.empty());
  CHECK(test::waveform_of(parse_lines(from_bytes.outputs).at(0)).samples == w.samples);
}

TEST_CASE("audio.decode: mono mixes down, max_seconds rejects from the header", "[audio]") {
  Waveform st;
  st.channels = 2;
  st.frames = 800;
  st.samples.resize(1600);
  for (int t = 0; t < 800; ++t) st.samples[t] = 0.5f, st.samples[800 + t] = -0.25f;
  auto bytes = encode_bytes(st, 8000, {FileFormat::kWav, SampleFormat::kFloat});
  REQUIRE(bytes.ok());
  auto d = decode_bytes(*bytes, "stereo.wav", {true, 0.0});
  REQUIRE(d.ok());
  CHECK(d->audio.channels == 1);
  CHECK(d->audio.samples[10] == Approx(0.125f));
  auto too_long = decode_bytes(*bytes, "stereo.wav", {false, 0.05});
  CHECK(too_long.status().code() == SLUICE_BAD_RECORD);
  CHECK_THAT(too_long.status().message(),
             Catch::Contains("stereo.wav") && Catch::Contains("max_seconds"));
}

TEST_CASE("audio.decode reads OGG/Vorbis as another libsndfile/libvorbis build decodes it",
          "[audio]") {
  // george_0.ogg and its samples as python-soundfile decodes them: tools/refgen/audio_ogg.py.
  const std::string raw = sluice::test::read_file(ogg_data("george_0.decoded.f32"));
  std::vector<float> expected(raw.size() / sizeof(float));
  std::memcpy(expected.data(), raw.data(), expected.size() * sizeof(float));
  auto out = run_op("audio", "audio.decode", "{}", {path_record(ogg_data("george_0.ogg"))});
  REQUIRE(out.rejected.empty());
  auto rec = parse_lines(out.outputs).at(0);
  CHECK(rec.at("sample_rate").as_int64() == 8000);
  Waveform w = test::waveform_of(rec);
  REQUIRE(w.channels == 1);
  REQUIRE(w.frames == static_cast<int64_t>(expected.size()));
  float worst = 0.0f;
  for (size_t t = 0; t < expected.size(); ++t) {
    worst = std::max(worst, std::abs(w.samples[t] - expected[t]));
  }
  CHECK(worst <= 1e-4f);
}

TEST_CASE("bad sound files are rejected naming the file, never allocated", "[audio][bad_input]") {
  const std::string dir = sluice::test::temp_dir();
  std::vector<std::string> records;
  auto corpus = bad_corpus();
  for (const auto& f : corpus) {
    const std::string path = dir + "/" + f.name;
    sluice::test::write_file(path, f.bytes);
    records.push_back(path_record(path));
    // the kernel from bytes too
    auto d = decode_bytes(f.bytes, f.name, {});
    INFO(f.name << ": " << d.status().message());
    CHECK(d.status().code() == SLUICE_BAD_RECORD);
    CHECK_THAT(d.status().message(), Catch::Contains(f.name));
    if (!f.why.empty()) CHECK_THAT(d.status().message(), Catch::Contains(f.why));
  }
  records.push_back(path_record(dir + "/missing.wav"));
  auto out = run_op("audio", "audio.decode", "{}", records);
  CHECK(out.outputs.empty());
  REQUIRE(out.rejected.size() == corpus.size() + 1);
  for (size_t i = 0; i < corpus.size(); ++i) {
    INFO(out.rejected[i]);
    CHECK_THAT(out.rejected[i], Catch::Contains(corpus[i].name));
  }
  CHECK_THAT(out.rejected.back(), Catch::Contains("missing.wav"));
}

TEST_CASE("audio.encode writes OGG/Vorbis that decodes back to the same tone", "[audio]") {
  Waveform w = test::tone(16000, 1.0, {440.0}, {0.5});
  auto out = run_op("audio", "audio.encode", "{to: bytes, format: ogg, quality: 0.6}",
                    {test::audio_record(w, 16000)});
  REQUIRE(out.rejected.empty());
  std::string bytes =
      sluice::base64_decode(
          std::string(parse_lines(out.outputs).at(0).at("encoded").at("base64").as_string()))
          .value();
  CHECK(bytes.substr(0, 4) == "OggS");
  CHECK(bytes.size() < w.samples.size() * 2 / 4);  // lossy: well under a quarter of 16-bit PCM
  auto d = decode_bytes(bytes, "tone.ogg", {});
  REQUIRE(d.ok());
  CHECK(d->sample_rate == 16000);
  REQUIRE(d->audio.frames == w.frames);
  // Waveform kept (Vorbis is not phase-free at this quality): correlation and level, away from
  // the edges where the codec's windows start and end.
  double dot = 0, ww = 0, dd = 0;
  for (int64_t t = 1000; t < w.frames - 1000; ++t) {
    dot += double(w.samples[t]) * d->audio.samples[t];
    ww += double(w.samples[t]) * w.samples[t];
    dd += double(d->audio.samples[t]) * d->audio.samples[t];
  }
  CHECK(dot / std::sqrt(ww * dd) > 0.99);
  CHECK(std::abs(10 * std::log10(dd / ww)) < 0.5);
}

TEST_CASE("audio.encode writes WAV and FLAC that decode back", "[audio]") {
  Waveform w = test::tone(16000, 0.25, {440.0}, {0.5});
  const std::string run_dir = sluice::test::temp_dir();
  for (const char* format : {"wav", "flac"}) {
    INFO(format);
    sluice::OpRunner runner(sluice::test::plugin_registry("audio"), "audio.encode",
                            std::string("{format: ") + format + ", subtype: pcm24, dir: out}");
    REQUIRE(runner.status().ok());
    runner.set_run_dir(run_dir);
    auto r = runner.process_all({test::audio_record(w, 16000)});
    REQUIRE(r.error.ok());
    REQUIRE(r.rejected.empty());
    std::string file(parse_lines(r.outputs).at(0).at("file").as_string());
    CHECK(file == run_dir + "/out/00000000." + format);
    auto d = decode_file(file, {});
    REQUIRE(d.ok());
    CHECK(d->sample_rate == 16000);
    REQUIRE(d->audio.frames == w.frames);
    for (int64_t t = 0; t < w.frames; ++t)
      REQUIRE(d->audio.samples[t] == Approx(w.samples[t]).margin(1e-6));
  }
  CHECK(sluice::test::params_error("audio", "audio.encode", "{format: ogg, quality: 1.5}")
            .message()
            .find("quality") != std::string::npos);
  auto b =
      run_op("audio", "audio.encode", "{to: bytes, format: flac}", {test::audio_record(w, 16000)});
  auto rec = parse_lines(b.outputs).at(0);
  CHECK_FALSE(rec.contains("file"));
  std::string bytes =
      sluice::base64_decode(std::string(rec.at("encoded").at("base64").as_string())).value();
  auto d = decode_bytes(bytes, "flac bytes", {});
  REQUIRE(d.ok());
  CHECK(d->audio.frames == w.frames);
  CHECK(sluice::test::params_error("audio", "audio.encode", "{format: flac, subtype: float}")
            .message()
            .find("FLAC") != std::string::npos);
}
