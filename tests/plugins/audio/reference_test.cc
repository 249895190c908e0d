// audio.mel_spectrogram, audio.log_mel and audio.mfcc against torchaudio 0.13 (references made by
// tools/refgen/audio_features.py into tests/data/audio/torchaudio_features.json) over a grid of
// parameters, on FSDD files (../shared/data/audio/fsdd) and synthetic tones.
//
// Bounds: mel power/magnitude within 1e-4 relative for every value within 50 dB of the case's
// peak on its own dB scale (power: 10 log10, magnitude: 20 log10; below that, float32 FFT
// rounding of the loud bins dominates the quiet ones: torch's own float32 and float64 results
// part there too); log-mel within 1e-3 dB for values at least 1 dB above the floor (the higher
// of top_db's and 50 dB below the peak); MFCC within 1e-4 of the largest coefficient of the frames
// kept; whole-output sums within 1e-4 relative.
#include "audio/sound_file.h"
#include "audio_test_util.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

namespace json = boost::json;
using namespace sluice::audio;  // NOLINT

namespace {

Waveform input_of(const json::object& source, int* rate) {
  if (source.contains("file")) {
    std::string path =
        sluice::test::shared_data_dir() + "/" + std::string(source.at("file").as_string());
    auto d = decode_file(path, {});
    INFO(d.status().message());
    REQUIRE(d.ok());
    *rate = d->sample_rate;
    return std::move(d->audio);
  }
  const auto& t = source.at("tone").as_object();
  std::vector<double> freqs, amps;
  for (const auto& f : t.at("freqs").as_array()) freqs.push_back(f.to_number<double>());
  for (const auto& a : t.at("amps").as_array()) amps.push_back(a.to_number<double>());
  *rate = static_cast<int>(t.at("sample_rate").to_number<int64_t>());
  return test::tone(*rate, t.at("seconds").to_number<double>(), freqs, amps, true,
                    t.at("noise").to_number<double>());
}

struct Worst {
  double error = 0;
  std::string where;
  void see(double e, const std::string& w) {
    if (e > error) error = e, where = w;
  }
};

}  // namespace

TEST_CASE("mel, log-mel and MFCC match torchaudio over a parameter grid", "[audio][reference]") {
  const std::string file =
      sluice::test::source_dir() + "/tests/data/audio/torchaudio_features.json";
  json::object refs = json::parse(sluice::test::read_file(file)).as_object();
  std::map<std::string, Worst> worst;  // per op: the bounded error
  std::map<std::string, Worst> sums;
  int cases = 0;
  for (const auto& cv : refs.at("cases").as_array()) {
    const auto& c = cv.as_object();
    const std::string op(c.at("op").as_string());
    json::object params = c.at("params").as_object();
    if (op == "log_mel")
      params["stype"] = params.at("power").to_number<double>() == 2.0 ? "power" : "magnitude";
    const std::string where =
        op + " " + json::serialize(c.at("source")) + " " + json::serialize(params);
    INFO(where);
    int rate = 0;
    Waveform w = input_of(c.at("source").as_object(), &rate);
    auto r = sluice::test::run_op("audio", "audio." + op, json::serialize(params),
                                  {test::audio_record(w, rate)});
    REQUIRE(r.rejected.empty());
    REQUIRE(r.outputs.size() == 1);
    test::JsonTensor out = test::tensor_of(json::parse(r.outputs[0]).as_object(), "features");
    std::vector<int64_t> shape;
    for (const auto& d : c.at("shape").as_array()) shape.push_back(d.to_number<int64_t>());
    REQUIRE(out.shape == shape);
    const int64_t bins = shape[0], frames = shape[1];
    const double peak = c.at("max").to_number<double>();
    double floor = -1e30;
    const double mel_floor = params.at("power").to_number<double>() == 2.0 ? 1e-5 : 3.1623e-3;
    if (op == "log_mel") {
      floor = peak - 50;
      if (params.contains("top_db")) {
        floor = std::max(floor, peak - params.at("top_db").to_number<double>());
      }
    }
    const auto& picks = c.at("frames").as_array();
    const auto& values = c.at("values").as_array();
    double scale = 0;  // MFCC: the largest coefficient of the frames kept
    for (const auto& col : values) {
      for (const auto& v : col.as_array()) scale = std::max(scale, std::abs(v.to_number<double>()));
    }
    for (size_t i = 0; i < picks.size(); ++i) {
      const int64_t t = picks[i].to_number<int64_t>();
      const auto& ref = values[i].as_array();
      for (int64_t b = 0; b < bins; ++b) {
        const double want = ref[b].to_number<double>(), got = out.data[b * frames + t];
        if (op == "mel_spectrogram") {
          if (want >= peak * mel_floor) worst[op].see(std::abs(got - want) / want, where);
        } else if (op == "log_mel") {
          if (want >= floor + 1.0) worst[op].see(std::abs(got - want), where);
        } else {
          worst[op].see(std::abs(got - want) / scale, where);
        }
      }
    }
    double sum = 0;
    for (double v : out.data) sum += v;
    const double want_sum = c.at("sum").to_number<double>();
    sums[op].see(std::abs(sum - want_sum) / c.at("abs_sum").to_number<double>(), where);
    ++cases;
  }
  CHECK(cases >= 50);
  for (const auto& [op, w] : worst) {
    std::cout << "torchaudio reference: " << op << " max error " << w.error
              << (op == "log_mel" ? " dB" : " relative") << ", sum error " << sums[op].error
              << " relative\n";
    INFO(op << " worst at " << w.where);
    CHECK(w.error <= (op == "log_mel" ? 1e-3 : 1e-4));
    INFO(op << " worst sum at " << sums[op].where);
    CHECK(sums[op].error <= 1e-4);
  }
}
