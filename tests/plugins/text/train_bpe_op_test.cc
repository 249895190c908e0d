// text.train_bpe in pipelines: trained in one stage into a text.tokenizer resource and a
// tokenizer.json in the run directory, used by text.tokenize and text.detokenize in the next;
// its params are checked at load.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>

namespace {

const sluice::Registry& registry() {
  return sluice::test::plugin_registry(std::vector<std::string>{"io", "text"});
}

std::string message_of(const std::string& params) {
  return sluice::test::params_error("text", "text.train_bpe", params).message();
}

}  // namespace

TEST_CASE("text.train_bpe builds a tokenizer that a later stage uses", "[plugins][text][train]") {
  const std::string dir = sluice::test::temp_dir();
  sluice::test::write_file(dir + "/in.txt",
                           "the cat sat on the mat\nthe cat ate the rat\nthat rat, the cat\n");
  const std::string pipeline =
      "sluice: 1\n"
      "name: train-bpe\n"
      "resources: {tok: {type: text.tokenizer}}\n"
      "stages:\n"
      "  - name: train\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_lines, params: {path: '" +
      dir +
      "/in.txt'}}\n"
      "      - {id: bpe, op: text.train_bpe, params: {resource: tok, path: bpe/tokenizer.json,\n"
      "         vocab_size: 270, special_tokens: ['<|endoftext|>', '<pad>']}}\n"
      "  - name: encode\n"
      "    nodes:\n"
      "      - {id: read2, op: io.read_lines, params: {path: '" +
      dir +
      "/in.txt'}}\n"
      "      - {id: tokenize, op: text.tokenize, params: {resource: tok}}\n"
      "      - {id: detokenize, op: text.detokenize, params: {resource: tok},\n"
      "         outputs: {text: back}}\n"
      "      - {id: write, op: io.write_jsonl, params: {path: out.jsonl, fields: [text, ids, "
      "back]}}\n";
  auto report = sluice::test::run_pipeline_text(registry(), pipeline, dir);
  INFO(report.error);
  REQUIRE(report.status == "ok");
  // Fewer than 12 merges: min_frequency 2 stops it first.
  CHECK(report.metrics.at("bpe.merges") == 8);
  CHECK(report.metrics.at("bpe.vocab_size") == 258 + 8);
  CHECK(report.metrics.at("bpe.pieces") == 16);
  CHECK(report.metrics.at("bpe.distinct") == 10);

  std::istringstream lines(sluice::test::read_file(dir + "/out.jsonl"));
  std::vector<std::string> texts;
  for (std::string line; std::getline(lines, line);) {
    const auto o = boost::json::parse(line).as_object();
    CHECK(o.at("back") == o.at("text"));
    texts.push_back(boost::json::serialize(boost::json::object{{"text", o.at("text")}}));
    // " the" and " cat" are tokens, so the first line has fewer ids than bytes.
    if (texts.size() == 1) CHECK(o.at("ids").as_object().at("data").as_array().size() < 18);
  }
  REQUIRE(texts.size() == 3);
  // The written file loads as a tokenizer and gives the same ids.
  auto via_file = sluice::test::run_op("text", "text.tokenize",
                                       "{tokenizer: '" + dir + "/bpe/tokenizer.json'}", texts);
  std::istringstream again(sluice::test::read_file(dir + "/out.jsonl"));
  for (const std::string& out : via_file.outputs) {
    std::string line;
    std::getline(again, line);
    CHECK(boost::json::parse(out).at("ids") == boost::json::parse(line).at("ids"));
  }
}

TEST_CASE("text.train_bpe checks its params at load", "[plugins][text][train]") {
  CHECK(message_of("{path: t.json, vocab_size: 256}")
            .find("param 'vocab_size': expected at least 257 (the 256 bytes and 1 special "
                  "tokens), found 256") != std::string::npos);
  CHECK(message_of("{path: t.json, vocab_size: 300, special_tokens: [x, x]}")
            .find("expected tokens of more than one byte's character, found \"x\"") !=
        std::string::npos);
  CHECK(message_of("{vocab_size: 300}")
            .find("param 'resource': expected a tokenizer resource to fill or a `path` to write, "
                  "found neither") != std::string::npos);
  CHECK(message_of("{path: t.json, pattern: llama}").find("pattern") != std::string::npos);
}
