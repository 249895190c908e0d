// text.detokenize: the exact inverse of text.tokenize for byte-level BPE, through the op runner
// and in a pipeline; bad ids are rejected with a reason; WordPiece is refused at load.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;

TEST_CASE("text.detokenize inverts text.tokenize for gpt2 and cl100k_base", "[plugins][text]") {
  std::istringstream lines(sluice::test::read_file(
      sluice::test::source_dir() + "/tests/data/tokenizers/cases.jsonl"));
  Lines texts;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    texts.push_back(boost::json::serialize(boost::json::object{
        {"text", boost::json::parse(line).as_object().at("text")}}));
  }
  REQUIRE(!texts.empty());
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    auto tokens = run_op("text", "text.tokenize",
                         "{tokenizer: " + name + ", max_length: 400, padding: true}", texts);
    REQUIRE(tokens.outputs.size() == texts.size());
    Lines without_text;
    for (const auto& out : parse_lines(tokens.outputs)) {
      boost::json::object o = out;
      o.erase("text");
      without_text.push_back(boost::json::serialize(o));
    }
    auto back = run_op("text", "text.detokenize", "{tokenizer: " + name + ", use_length: true}",
                       without_text);
    REQUIRE(back.outputs.size() == texts.size());
    auto decoded = parse_lines(back.outputs);
    for (size_t i = 0; i < texts.size(); ++i) {
      INFO(name << ": " << texts[i]);
      CHECK(decoded[i].at("text") == boost::json::parse(texts[i]).as_object().at("text"));
    }
  }
}

TEST_CASE("text.detokenize rejects ids that are no token and refuses WordPiece",
          "[plugins][text]") {
  auto r = run_op("text", "text.detokenize", "{tokenizer: gpt2}",
                  {R"({"ids": {"dtype": "int32", "shape": [3], "data": [15496, 50256, 995]}})",
                   R"({"ids": {"dtype": "int64", "shape": [2], "data": [15496, 60000]}})",
                   R"({"ids": {"dtype": "float32", "shape": [1], "data": [1.0]}})"});
  REQUIRE(r.outputs.size() == 1);
  CHECK(parse_lines(r.outputs)[0].at("text").as_string() == "Hello<|endoftext|> world");
  CHECK(r.rejected == Lines{"1: field 'ids': id 1: expected a token id from 0 to 50256 (vocabulary size 50257), found "
                            "60000",
                            "2: field 'ids': expected a 1-D int32 or int64 CPU tensor of ids, "
                            "found 1-D float32"});
  CHECK(sluice::test::params_error("text", "text.detokenize", "{tokenizer: bert-base-uncased}")
            .message()
            .find("param 'tokenizer': expected a byte-level BPE tokenizer (gpt2, cl100k_base) to "
                  "decode exactly, found WordPiece") != std::string::npos);
}
