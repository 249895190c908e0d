// The language-model ops in pipelines: eval.perplexity's token-weighted mean, train.evaluate's
// loss against train.fit's, and text.generate's sampling (prompt kept, context cropped to the
// model's block size, the same draws for the same record seed, greedy decoding, top_p, stop ids).
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

namespace sluice::test {
namespace {

const Registry& registry() {
  return plugin_registry(std::vector<std::string>{"io", "core", "nn", "train", "eval", "text"});
}

TEST_CASE("eval.perplexity weighs each batch's loss by its token count", "[plugins][eval]") {
  const std::string dir = temp_dir();
  write_file(dir + "/losses.jsonl",
             "{\"loss\": 2.0, \"count\": 10}\n{\"loss\": 1.0, \"count\": 30}\n"
             "{\"loss\": 4.0, \"count\": 0}\n{\"loss\": -1.0, \"count\": -2}\n");
  RunReport report = run_pipeline_text(registry(),
                                       R"(
sluice: 1
name: perplexity
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                           dir + R"(/losses.jsonl"}}
      - {id: ppl, op: eval.perplexity, on_error: skip}
)",
                                       dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  const double mean = (2.0 * 10 + 1.0 * 30) / 40;
  CHECK(report.metrics.at("ppl.loss") == Approx(mean).epsilon(1e-12));
  CHECK(report.metrics.at("ppl.perplexity") == Approx(std::exp(mean)).epsilon(1e-12));
  CHECK(report.metrics.at("ppl.tokens") == 40);
  CHECK(report.stages.at(0).nodes.back().rejected == 1);
}

// A tiny language model over 11 tokens with block size 4.
constexpr const char* kModel = R"(
resources:
  lm:
    type: nn.model
    seed: 4
    layers:
      - {type: token_position_embedding, num_embeddings: 11, block_size: 4, dim: 8}
      - {type: transformer_block, dim: 8, heads: 2}
      - {type: layer_norm, dim: 8}
      - {type: linear, in: 8, out: 11}
)";

// The run directory of the last generate() call.
std::string& last_run_dir() {
  static std::string dir;
  return dir;
}

// The records text.generate with `params` writes for `prompts`; with `skip`, rejected records
// are left out (on_error: skip), else the run must reject none.
std::vector<boost::json::object> generate(const std::string& params, const std::string& prompts,
                                          bool skip = false) {
  const std::string dir = temp_dir();
  last_run_dir() = dir + "/run";
  write_file(dir + "/prompts.jsonl", prompts);
  RunReport report =
      run_pipeline_text(registry(),
                        std::string("sluice: 1\nname: gen\n") + kModel + R"(
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                            dir + R"(/prompts.jsonl"}}
      - {id: gen, op: text.generate, on_error: )" +
                            (skip ? "skip" : "fail") + R"(, params: {model: lm, )" + params + R"(}}
      - {id: write, op: io.write_jsonl, params: {path: out.jsonl}}
)",
                        dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  std::vector<std::string> lines;
  std::string text = read_file(dir + "/run/out.jsonl");
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return parse_lines(lines);
}

std::vector<int64_t> ids_of(const boost::json::object& record) {
  std::vector<int64_t> ids;
  for (const auto& v : record.at("ids").at("data").as_array()) ids.push_back(v.as_int64());
  return ids;
}

TEST_CASE("text.generate continues the prompt with the model's tokens, from the record's seed",
          "[plugins][train]") {
  const std::string prompt = R"({"prompt": {"dtype": "int32", "shape": [2], "data": [3, 7]}})";
  const std::string prompts = prompt + "\n" + prompt + "\n";
  auto sampled = generate("max_new_tokens: 9, temperature: 1.0", prompts);
  REQUIRE(sampled.size() == 2);
  for (const auto& r : sampled) {
    const std::vector<int64_t> ids = ids_of(r);
    REQUIRE(ids.size() == 11);  // longer than the block size: the context is cropped
    CHECK(ids[0] == 3);
    CHECK(ids[1] == 7);
    for (int64_t id : ids) CHECK((id >= 0 && id < 11));
  }
  // Records at other positions draw from other seeds; a second run draws the same.
  CHECK(ids_of(sampled[0]) != ids_of(sampled[1]));
  auto again = generate("max_new_tokens: 9, temperature: 1.0", prompts);
  CHECK(ids_of(again[0]) == ids_of(sampled[0]));

  SECTION("greedy decoding and top_k 1 take the most likely token, whatever the seed") {
    auto greedy = generate("max_new_tokens: 9, temperature: 0", prompts);
    REQUIRE(greedy.size() == 2);
    auto top1 = generate("max_new_tokens: 9, temperature: 2.0, top_k: 1", prompts);
    REQUIRE(top1.size() == 2);
    CHECK(ids_of(greedy[0]) == ids_of(greedy[1]));
    CHECK(ids_of(top1[0]) == ids_of(greedy[0]));
    CHECK(ids_of(top1[1]) == ids_of(greedy[1]));
    // a top_p below every probability keeps the most likely token alone
    auto nucleus = generate("max_new_tokens: 9, temperature: 1.0, top_p: 0.000001", prompts);
    REQUIRE(nucleus.size() == 2);
    CHECK(ids_of(nucleus[0]) == ids_of(greedy[0]));
  }
  SECTION("prompts sampled in batches get the samples they get one at a time") {
    const std::string three = prompts +
                              R"({"prompt": {"dtype": "int64", "shape": [1], "data": [5]}})"
                              "\n";
    for (const std::string params : {"max_new_tokens: 9, temperature: 0", "max_new_tokens: 9"}) {
      INFO(params);
      auto one = generate(params + ", batch_size: 1", three);
      auto batched = generate(params + ", batch_size: 2", three);
      REQUIRE(one.size() == 3);
      REQUIRE(batched.size() == 3);
      for (size_t i = 0; i < 3; ++i) CHECK(ids_of(batched[i]) == ids_of(one[i]));
    }
  }
  SECTION("a prompt outside the model's vocabulary is rejected, naming the id; the rest go on") {
    const std::string bad = R"({"prompt": {"dtype": "int32", "shape": [2], "data": [3, 11]}})";
    auto sampled = generate("max_new_tokens: 2", prompt + "\n" + bad + "\n" + prompt + "\n", true);
    REQUIRE(sampled.size() == 2);
    const std::string rejected = read_file(last_run_dir() + "/rejected.jsonl");
    CHECK(
        rejected.find("expected ids in [0, 11) (the model's vocabulary), found 11 at position 1") !=
        std::string::npos);
  }
  SECTION("a stop id ends the sample, and is kept") {
    auto greedy = generate("max_new_tokens: 9, temperature: 0", prompts);
    REQUIRE(greedy.size() == 2);
    const std::vector<int64_t> full = ids_of(greedy[0]);
    REQUIRE(full.size() == 11);
    const int64_t stop = full[4];
    auto stopped = generate(
        "max_new_tokens: 9, temperature: 0, stop_ids: [" + std::to_string(stop) + "]", prompts);
    REQUIRE(stopped.size() == 2);
    const std::vector<int64_t> ids = ids_of(stopped[0]);
    const auto first = std::find(full.begin() + 2, full.end(), stop);
    CHECK(ids == std::vector<int64_t>(full.begin(), first + 1));
  }
}

TEST_CASE("text.generate fails the run, saying why, for a head wider than the vocabulary",
          "[plugins][train]") {
  const std::string dir = temp_dir();
  write_file(dir + "/prompts.jsonl",
             R"({"prompt": {"dtype": "int32", "shape": [2], "data": [3, 7]}})"
             "\n");
  RunReport report = run_pipeline_text(registry(),
                                       R"(
sluice: 1
name: wide
resources:
  lm:
    type: nn.model
    layers:
      - {type: embedding, num_embeddings: 11, dim: 8}
      - {type: linear, in: 8, out: 16}
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                           dir + R"(/prompts.jsonl"}}
      - {id: gen, op: text.generate, params: {model: lm, max_new_tokens: 3}}
)",
                                       dir + "/run");
  CHECK(report.status == "failed");
  CHECK(report.error.find("sampling a batch of 1 records: model: expected at most 11 logits (the "
                          "rows of its embedding), found 16") != std::string::npos);
}

}  // namespace
}  // namespace sluice::test
