// text.generate's sampling distribution against Hugging Face transformers' logits warpers
// (temperature, top-k, top-p, as its generate() samples; tests/data/text/sampling_cases.json,
// made by tools/refgen/sampling_cases.py), and its draws: greedy at temperature 0, and
// frequencies that follow the distribution.
#include "text/sampling.h"

#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>

namespace sluice::text {
namespace {

TEST_CASE("sampling keeps the tokens and probabilities transformers' warpers keep",
          "[plugins][text]") {
  const boost::json::value data = boost::json::parse(
      test::read_file(test::source_dir() + "/tests/data/text/sampling_cases.json"));
  const boost::json::array& cases = data.at("cases").as_array();
  REQUIRE(cases.size() == 8);
  std::vector<double> probs;
  for (const boost::json::value& c : cases) {
    SamplingParams params;
    params.temperature = c.at("temperature").to_number<double>();
    params.top_k = c.at("top_k").to_number<int64_t>();
    params.top_p = c.at("top_p").to_number<double>();
    std::vector<float> logits;
    for (const auto& v : c.at("logits").as_array()) logits.push_back(v.to_number<float>());
    const boost::json::array& expected = c.at("probabilities").as_array();
    INFO("temperature " << params.temperature << " top_k " << params.top_k << " top_p "
                        << params.top_p);
    sampling_probabilities(logits.data(), static_cast<int64_t>(logits.size()), params, probs);
    REQUIRE(probs.size() == expected.size());
    for (size_t v = 0; v < probs.size(); ++v) {
      const double want = expected[v].to_number<double>();
      CHECK((probs[v] == 0) == (want == 0));
      CHECK(std::abs(probs[v] - want) <= 1e-6);
    }
  }
}

TEST_CASE("sample_token is greedy at temperature 0 and otherwise draws as often as the odds",
          "[plugins][text]") {
  const std::vector<float> logits{0.5f, 2.0f, -1.0f, 2.0f, 1.0f};
  std::mt19937_64 rng(7);
  std::vector<double> scratch;
  SamplingParams greedy;
  greedy.temperature = 0;
  CHECK(sample_token(logits.data(), 5, greedy, rng, scratch) == 1);  // the first of the largest

  SamplingParams params;
  params.top_k = 4;
  std::vector<double> probs;
  sampling_probabilities(logits.data(), 5, params, probs);
  CHECK(probs[2] == 0);
  std::vector<int> counts(5, 0);
  const int draws = 200000;
  for (int i = 0; i < draws; ++i) ++counts[sample_token(logits.data(), 5, params, rng, scratch)];
  CHECK(counts[2] == 0);
  for (size_t v = 0; v < 5; ++v) {
    // within 5 standard deviations of a binomial count
    const double mean = draws * probs[v], sd = std::sqrt(draws * probs[v] * (1 - probs[v]));
    CHECK(std::abs(counts[v] - mean) <= 5 * sd + 1e-9);
  }
}

}  // namespace
}  // namespace sluice::text
