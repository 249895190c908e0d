// text.tokenize through the op runner: ids as Hugging Face gives them (the golden BERT cases),
// special tokens, truncation, padding, bad UTF-8 and bad params.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;

namespace {

struct GoldenCase {
  std::string text;
  std::vector<int64_t> ids;  // with [CLS] and [SEP]
};

// The golden cases of ../shared and those of tools/refgen/bert_cases.py (which include
// special-token text).
std::vector<GoldenCase> golden_cases() {
  std::istringstream lines(
      sluice::test::read_file(sluice::test::shared_data_dir() +
                              "/golden/tokenizers/bert_uncased_cases.jsonl") +
      sluice::test::read_file(sluice::test::source_dir() + "/tests/data/tokenizers/bert_uncased.jsonl"));
  std::vector<GoldenCase> cases;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto c = boost::json::parse(line).as_object();
    GoldenCase g{std::string(c.at("text").as_string()), {}};
    for (const auto& id : c.at("ids").as_array()) g.ids.push_back(id.as_int64());
    cases.push_back(std::move(g));
  }
  return cases;
}

std::string input_line(const std::string& text) {
  return boost::json::serialize(boost::json::object{{"text", text}});
}

std::vector<int64_t> ids_of(const std::string& output_line) {
  auto record = boost::json::parse(output_line).as_object();
  std::vector<int64_t> ids;
  for (const auto& id : record.at("ids").as_object().at("data").as_array()) {
    ids.push_back(id.as_int64());
  }
  return ids;
}

// The id of [PAD]: its 0-based line in the shipped vocabulary.
int64_t pad_id() {
  std::istringstream vocab(
      sluice::test::read_file(sluice::test::source_dir() + "/share/vocab/bert-base-uncased/vocab.txt"));
  int64_t id = 0;
  for (std::string line; std::getline(vocab, line); ++id) {
    if (line == "[PAD]") return id;
  }
  return -1;
}

}  // namespace

TEST_CASE("text.tokenize gives bert-base-uncased ids as Hugging Face does", "[plugins][text]") {
  auto cases = golden_cases();
  REQUIRE(!cases.empty());
  Lines inputs;
  for (const auto& c : cases) inputs.push_back(input_line(c.text));
  auto r = run_op("text", "text.tokenize", "{tokenizer: bert-base-uncased}", inputs);
  REQUIRE(r.outputs.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].text);
    CHECK(ids_of(r.outputs[i]) == cases[i].ids);
    CHECK(parse_lines({r.outputs[i]})[0].at("length").as_int64() ==
          static_cast<int64_t>(cases[i].ids.size()));
  }
}

TEST_CASE("text.tokenize gives bert-base-uncased's tokenizer.json the built-in's ids",
          "[plugins][text][hf]") {
  auto cases = golden_cases();
  Lines inputs;
  for (const auto& c : cases) inputs.push_back(input_line(c.text));
  const std::string json =
      sluice::test::shared_data_dir() + "/vocab/bert-base-uncased/tokenizer.json";
  auto r = run_op("text", "text.tokenize", "{tokenizer: '" + json + "'}", inputs);
  REQUIRE(r.outputs.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].text);
    CHECK(ids_of(r.outputs[i]) == cases[i].ids);
  }
  auto padded =
      run_op("text", "text.tokenize", "{tokenizer: '" + json + "', max_length: 8, padding: true}",
             {input_line("Hello")});
  CHECK(ids_of(padded.outputs[0]) == std::vector<int64_t>{101, 7592, 102, 0, 0, 0, 0, 0});
}

TEST_CASE("text.tokenize truncates, pads and leaves out special tokens", "[plugins][text]") {
  const GoldenCase longest = golden_cases()[1];  // "Hello, World! unaffable tokenization"
  REQUIRE(longest.ids.size() > 6);
  const std::vector<int64_t> content(longest.ids.begin() + 1, longest.ids.end() - 1);

  auto plain = run_op("text", "text.tokenize",
                      "{tokenizer: bert-base-uncased, add_special_tokens: false}",
                      {input_line(longest.text)});
  REQUIRE(plain.outputs.size() == 1);
  CHECK(ids_of(plain.outputs[0]) == content);

  auto cut = run_op("text", "text.tokenize", "{tokenizer: bert-base-uncased, max_length: 5}",
                    {input_line(longest.text)});
  REQUIRE(cut.outputs.size() == 1);
  CHECK(ids_of(cut.outputs[0]) == std::vector<int64_t>{longest.ids[0], content[0], content[1],
                                                       content[2], longest.ids.back()});

  const size_t padded_length = longest.ids.size() + 3;
  auto padded = run_op("text", "text.tokenize",
                       "{tokenizer: bert-base-uncased, max_length: " +
                           std::to_string(padded_length) + ", padding: true}",
                       {input_line(longest.text)});
  REQUIRE(padded.outputs.size() == 1);
  std::vector<int64_t> expected = longest.ids;
  expected.resize(padded_length, pad_id());
  CHECK(ids_of(padded.outputs[0]) == expected);
  CHECK(parse_lines(padded.outputs)[0].at("length").as_int64() ==
        static_cast<int64_t>(longest.ids.size()));

  auto rejected = run_op("text", "text.tokenize",
                         "{tokenizer: bert-base-uncased, max_length: 5, truncation: false}",
                         {input_line(longest.text), "{\"text\": \"a\xff\"}"});
  CHECK(rejected.outputs.empty());
  REQUIRE(rejected.rejected.size() == 2);
  CHECK(rejected.rejected[0] == "0: field 'text': expected at most 5 ids (max_length), found " +
                                    std::to_string(longest.ids.size()));
  CHECK(rejected.rejected[1] ==
        "1: field 'text': expected UTF-8, found the invalid byte 0xff at byte 1");
}

TEST_CASE("text.tokenize checks its params", "[plugins][text]") {
  CHECK(sluice::test::params_error("text", "text.tokenize", "{tokenizer: bert-base-cased}")
            .message()
            .find("param 'tokenizer': expected a built-in name (gpt2, cl100k_base, "
                  "bert-base-uncased), the path of a tiktoken rank file named "
                  "r50k_base.tiktoken or cl100k_base.tiktoken, of GPT-2's encoder.json (with "
                  "vocab.bpe beside it), of a WordPiece vocab.txt or of a Hugging Face "
                  "tokenizer.json, found 'bert-base-cased'") != std::string::npos);
  CHECK(sluice::test::params_error("text", "text.tokenize",
                                   "{tokenizer: bert-base-uncased, padding: true}")
            .message()
            .find("param 'padding': expected max_length with it, found none") !=
        std::string::npos);
  CHECK(sluice::test::params_error("text", "text.tokenize",
                                   "{tokenizer: bert-base-uncased, max_length: 1}")
            .message()
            .find("param 'max_length': expected room for the 2 special tokens, found 1") !=
        std::string::npos);
  // Padding to 10^12 ids once rejected every record with "out of memory".
  CHECK_THAT(
      sluice::test::params_error("text", "text.tokenize",
                                 "{tokenizer: gpt2, max_length: 1000000000000, padding: true}")
          .message(),
      Catch::Contains("expected an int in [1, 16777216], found 1000000000000"));
  CHECK(sluice::test::params_error("text", "text.tokenize",
                                   "{tokenizer: gpt2, allowed_special: [<|endoftext|>, <|im_end|>]}")
            .message()
            .find("param 'allowed_special': expected 'all' or special tokens of the model "
                  "(\"<|endoftext|>\"), found \"<|im_end|>\"") != std::string::npos);
  CHECK(sluice::test::params_error("text", "text.tokenize",
                                   "{tokenizer: gpt2, allowed_special: {a: 1}}")
            .message()
            .find("param 'allowed_special': expected 'all', 'none' or a list of special-token "
                  "texts") != std::string::npos);
}

TEST_CASE("text.tokenize matches special-token text only where allowed, as tiktoken does",
          "[plugins][text]") {
  std::istringstream lines(sluice::test::read_file(
      sluice::test::source_dir() + "/tests/data/tokenizers/cases.jsonl"));
  std::vector<boost::json::object> cases;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto c = boost::json::parse(line).as_object();
    if (c.contains("gpt2_all")) cases.push_back(std::move(c));
  }
  REQUIRE(cases.size() >= 3);
  Lines inputs;
  for (const auto& c : cases) inputs.push_back(input_line(std::string(c.at("text").as_string())));
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    auto all = run_op("text", "text.tokenize", "{tokenizer: " + name + ", allowed_special: all}",
                      inputs);
    auto none = run_op("text", "text.tokenize", "{tokenizer: " + name + ", allowed_special: none}",
                       inputs);
    REQUIRE(all.outputs.size() == cases.size());
    REQUIRE(none.outputs.size() == cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      INFO(name << ": " << cases[i].at("text").as_string());
      CHECK(ids_of(all.outputs[i]) ==
            boost::json::value_to<std::vector<int64_t>>(cases[i].at(name + "_all")));
      CHECK(ids_of(none.outputs[i]) ==
            boost::json::value_to<std::vector<int64_t>>(cases[i].at(name)));
    }
  }
  // Only the listed ones: <|endoftext|> is an id, <|endofprompt|> stays text.
  auto some = run_op("text", "text.tokenize",
                     "{tokenizer: cl100k_base, allowed_special: [<|endoftext|>]}",
                     {input_line("<|endoftext|><|endofprompt|>")});
  REQUIRE(some.outputs.size() == 1);
  const auto ids = ids_of(some.outputs[0]);
  REQUIRE(ids.size() > 2);
  CHECK(ids[0] == 100257);
  CHECK(std::find(ids.begin(), ids.end(), 100276) == ids.end());
}

TEST_CASE("text.tokenize gives tiktoken's gpt2 and cl100k_base ids, padded with <|endoftext|>",
          "[plugins][text]") {
  std::istringstream lines(sluice::test::read_file(
      sluice::test::source_dir() + "/tests/data/tokenizers/cases.jsonl"));
  std::vector<boost::json::object> cases;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) cases.push_back(boost::json::parse(line).as_object());
  }
  REQUIRE(!cases.empty());
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    Lines inputs;
    for (const auto& c : cases) inputs.push_back(input_line(std::string(c.at("text").as_string())));
    auto r = run_op("text", "text.tokenize", "{tokenizer: " + name + "}", inputs);
    REQUIRE(r.outputs.size() == cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      INFO(name << ": " << cases[i].at("text").as_string());
      std::vector<int64_t> expected;
      for (const auto& id : cases[i].at(name).as_array()) expected.push_back(id.as_int64());
      CHECK(ids_of(r.outputs[i]) == expected);
    }
  }
  auto padded = run_op("text", "text.tokenize", "{tokenizer: gpt2, max_length: 4, padding: true}",
                       {input_line("Hello world")});
  REQUIRE(padded.outputs.size() == 1);
  auto hello = boost::json::value_to<std::vector<int64_t>>(cases[0].at("gpt2"));
  REQUIRE(hello.size() == 2);
  CHECK(ids_of(padded.outputs[0]) == std::vector<int64_t>{hello[0], hello[1], 50256, 50256});
}

TEST_CASE("text.tokenize loads GPT-2's encoder.json + vocab.bpe as gpt2", "[plugins][text]") {
  Lines inputs;
  for (const char* text : {"Hello world", "naïve café 😀 日本語", "  x\r\n\n<|endoftext|>"}) {
    inputs.push_back(input_line(text));
  }
  auto builtin = run_op("text", "text.tokenize", "{tokenizer: gpt2, allowed_special: all}", inputs);
  auto files = run_op("text", "text.tokenize",
                      "{tokenizer: '" + sluice::test::shared_data_dir() +
                          "/vocab/gpt2/encoder.json', allowed_special: all}",
                      inputs);
  REQUIRE(builtin.outputs.size() == inputs.size());
  CHECK(files.outputs == builtin.outputs);
}

TEST_CASE("text.tokenize and text.detokenize take a text.tokenizer resource", "[plugins][text]") {
  const Lines inputs = {input_line("Hello world"), input_line("naïve café")};
  const auto direct = run_op("text", "text.tokenize", "{tokenizer: cl100k_base}", inputs);
  sluice::OpRunner run(sluice::test::plugin_registry("text"), "text.tokenize", "{resource: tok}");
  REQUIRE(run.add_resource("tok", "text.tokenizer", "{tokenizer: cl100k_base}").ok());
  auto via_resource = run.process_all(inputs);
  CHECK(via_resource.outputs == direct.outputs);

  CHECK(sluice::test::params_error("text", "text.tokenize", "{}").message().find(
            "param 'tokenizer': expected either a tokenizer or a tokenizer resource (param "
            "'resource'), found neither") != std::string::npos);
  sluice::OpRunner both(sluice::test::plugin_registry("text"), "text.tokenize",
                        "{tokenizer: gpt2, resource: tok}");
  CHECK(both.status().message().find("found both") != std::string::npos);
  sluice::OpRunner bad(sluice::test::plugin_registry("text"), "text.detokenize", "{resource: t}");
  CHECK(bad.add_resource("t", "text.tokenizer", "{tokenizer: nope}").message().find(
            "param 'tokenizer': expected a built-in name") != std::string::npos);
}

TEST_CASE("a text.tokenizer resource that nothing built fails the stage that uses it",
          "[plugins][text]") {
  const std::string dir = sluice::test::temp_dir();
  sluice::test::write_file(dir + "/in.jsonl", "{\"text\": \"hi\"}\n");
  const std::string pipeline =
      "sluice: 1\n"
      "name: empty-tokenizer\n"
      "resources: {tok: {type: text.tokenizer}}\n"
      "stages:\n"
      "  - name: encode\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_jsonl, params: {path: '" + dir + "/in.jsonl'}}\n"
      "      - {id: tokenize, op: text.tokenize, params: {resource: tok}}\n";
  auto report = sluice::test::run_pipeline_text(
      sluice::test::plugin_registry(std::vector<std::string>{"io", "text"}), pipeline, dir);
  CHECK(report.status == "failed");
  CHECK(report.failed_node == "tokenize");
  CHECK(report.error.find("tokenizer resource 'tok': expected a tokenizer built by "
                          "text.train_bpe in an earlier stage, found none yet") !=
        std::string::npos);
}
