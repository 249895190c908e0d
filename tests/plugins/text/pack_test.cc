// text.pack through the op runner and in a pipeline: blocks cut from the stream of text.tokenize's
// own gpt2 ids with <|endoftext|> after each document, shifted by one, the tail dropped or padded,
// `length` leaving padded ids out, bad records rejected with a reason, bad params refused.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Ids = std::vector<int64_t>;
using Lines = std::vector<std::string>;

namespace {

constexpr int64_t kEndOfText = 50256;  // gpt2's <|endoftext|>

// The texts of the tiktoken reference cases, as {"text": ...} lines.
Lines text_lines() {
  std::istringstream lines(sluice::test::read_file(sluice::test::source_dir() +
                                                   "/tests/data/tokenizers/cases.jsonl"));
  Lines out;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    out.push_back(boost::json::serialize(
        boost::json::object{{"text", boost::json::parse(line).as_object().at("text")}}));
  }
  return out;
}

Ids tensor_data(const boost::json::object& record, const char* field) {
  return boost::json::value_to<Ids>(record.at(field).as_object().at("data"));
}

Ids tensor_shape(const boost::json::object& record, const char* field) {
  return boost::json::value_to<Ids>(record.at(field).as_object().at("shape"));
}

// The stream text.pack should build from text.tokenize's records: each one's first `length` ids,
// then <|endoftext|>.
Ids stream_of(const Lines& tokenized) {
  Ids stream;
  for (const auto& record : parse_lines(tokenized)) {
    Ids ids = tensor_data(record, "ids");
    ids.resize(static_cast<size_t>(record.at("length").as_int64()));
    stream.insert(stream.end(), ids.begin(), ids.end());
    stream.push_back(kEndOfText);
  }
  return stream;
}

Ids slice(const Ids& ids, size_t from, size_t to) {
  return Ids(ids.begin() + static_cast<std::ptrdiff_t>(from),
             ids.begin() + static_cast<std::ptrdiff_t>(to));
}

Lines tokenize(const std::string& params) {
  Lines texts = text_lines();
  REQUIRE(texts.size() > 4);
  auto r = run_op("text", "text.tokenize", params, texts);
  REQUIRE(r.outputs.size() == texts.size());
  return r.outputs;
}

}  // namespace

TEST_CASE("text.pack cuts the token stream into blocks of inputs and next-token targets",
          "[pack]") {
  const Lines tokenized = tokenize("{tokenizer: gpt2}");
  const Ids stream = stream_of(tokenized);
  const size_t block_size = GENERATE(1, 7, 64);
  INFO("block_size " << block_size);
  auto r = run_op("text", "text.pack",
                  "{block_size: " + std::to_string(block_size) + ", separator: 50256}", tokenized);
  const size_t blocks = (stream.size() - 1) / block_size;
  REQUIRE(blocks > 0);
  REQUIRE(r.outputs.size() == blocks);
  CHECK(r.rejected.empty());

  Ids inputs;
  for (size_t k = 0; k < blocks; ++k) {
    const auto block = parse_lines({r.outputs[k]})[0];
    CHECK(block.size() == 3);
    CHECK(block.at("block").as_int64() == static_cast<int64_t>(k));
    CHECK(block.at("input_ids").as_object().at("dtype").as_string() == "int32");
    CHECK(block.at("target_ids").as_object().at("dtype").as_string() == "int32");
    CHECK(tensor_shape(block, "input_ids") == Ids{static_cast<int64_t>(block_size)});
    CHECK(tensor_shape(block, "target_ids") == Ids{static_cast<int64_t>(block_size)});
    const Ids input = tensor_data(block, "input_ids");
    const Ids target = tensor_data(block, "target_ids");
    CHECK(slice(input, 1, block_size) == slice(target, 0, block_size - 1));
    CHECK(target == slice(stream, k * block_size + 1, (k + 1) * block_size + 1));
    inputs.insert(inputs.end(), input.begin(), input.end());
    if (k + 1 == blocks) inputs.push_back(target.back());
  }
  // The blocks hold the stream from its start, each token once; only the tail is left out.
  CHECK(inputs == slice(stream, 0, blocks * block_size + 1));
}

TEST_CASE("text.pack pads the tail with remainder: pad and masks the padding", "[pack]") {
  const Lines tokenized = tokenize("{tokenizer: gpt2}");
  const Ids stream = stream_of(tokenized);
  const size_t block_size = 64;
  REQUIRE((stream.size() - 1) % block_size >= 1);
  auto r = run_op("text", "text.pack",
                  "{block_size: 64, separator: 50256, remainder: pad, pad_id: -1}", tokenized);
  const size_t full = (stream.size() - 1) / block_size;
  REQUIRE(r.outputs.size() == full + 1);
  const auto blocks = parse_lines(r.outputs);
  CHECK(boost::json::value_to<std::vector<bool>>(blocks[0].at("mask").as_object().at("data")) ==
        std::vector<bool>(block_size, true));
  CHECK(blocks[0].at("mask").as_object().at("dtype").as_string() == "bool");

  const auto& last = blocks.back();
  CHECK(last.at("block").as_int64() == static_cast<int64_t>(full));
  const size_t real = stream.size() - 1 - full * block_size;
  Ids input = slice(stream, full * block_size, stream.size() - 1);
  Ids target = slice(stream, full * block_size + 1, stream.size());
  input.resize(block_size, -1);
  target.resize(block_size, -1);
  CHECK(tensor_data(last, "input_ids") == input);
  CHECK(tensor_data(last, "target_ids") == target);
  std::vector<bool> mask(block_size, false);
  std::fill(mask.begin(), mask.begin() + static_cast<std::ptrdiff_t>(real), true);
  CHECK(boost::json::value_to<std::vector<bool>>(last.at("mask").as_object().at("data")) == mask);
}

TEST_CASE("text.pack with use_length leaves out the padding text.tokenize added", "[pack]") {
  const Lines plain = tokenize("{tokenizer: gpt2}");
  const Lines padded = tokenize("{tokenizer: gpt2, max_length: 1000, padding: true}");
  REQUIRE(stream_of(padded) == stream_of(plain));
  const std::string params = "{block_size: 16, separator: 50256";
  auto expected = run_op("text", "text.pack", params + "}", plain);
  auto with_length = run_op("text", "text.pack", params + ", use_length: true}", padded);
  CHECK(with_length.outputs == expected.outputs);
  auto without = run_op("text", "text.pack", params + "}", padded);
  CHECK(without.outputs.size() > expected.outputs.size());
}

TEST_CASE("text.pack without a separator joins the documents' ids", "[pack]") {
  auto r = run_op("text", "text.pack", "{block_size: 2}",
                  {R"({"ids": {"dtype": "int32", "shape": [2], "data": [15496, 995]}})",
                   R"({"ids": {"dtype": "int32", "shape": [0], "data": []}})",
                   R"({"ids": {"dtype": "int32", "shape": [3], "data": [1, 2, 3]}})"});
  const auto blocks = parse_lines(r.outputs);
  REQUIRE(blocks.size() == 2);
  CHECK(tensor_data(blocks[0], "input_ids") == Ids{15496, 995});
  CHECK(tensor_data(blocks[0], "target_ids") == Ids{995, 1});
  CHECK(tensor_data(blocks[1], "input_ids") == Ids{1, 2});
  CHECK(tensor_data(blocks[1], "target_ids") == Ids{2, 3});
}

TEST_CASE("text.pack rejects bad records, saying what it expected, and goes on", "[pack]") {
  auto r =
      run_op("text", "text.pack", "{block_size: 2, use_length: true}",
             {R"({"ids": {"dtype": "int32", "shape": [2], "data": [10, 11]}, "length": 2})",
              R"({"text": "no ids", "length": 0})", R"({"ids": "15496", "length": 1})",
              R"({"ids": {"dtype": "int64", "shape": [2], "data": [10, 11]}, "length": 2})",
              R"({"ids": {"dtype": "int32", "shape": [1, 2], "data": [10, 11]}, "length": 2})",
              R"({"ids": {"dtype": "int32", "shape": [2], "data": [10, 11]}, "length": 3})",
              R"({"ids": {"dtype": "int32", "shape": [2], "data": [10, 11]}, "length": -1})",
              R"({"ids": {"dtype": "int32", "shape": [2], "data": [10, 11]}})",
              R"({"ids": {"dtype": "int32", "shape": [3], "data": [12, -5, 13]}, "length": 3})",
              R"({"ids": {"dtype": "int32", "shape": [3], "data": [12, 13, -5]}, "length": 2})"});
  CHECK(r.rejected ==
        Lines{"1: field 'ids': expected a 1-D int32 tensor of token ids, found no such field",
              "2: field 'ids': expected a 1-D int32 tensor of token ids, found string",
              "3: field 'ids': expected a 1-D int32 CPU tensor of token ids, found 1-D int64",
              "4: field 'ids': expected a 1-D int32 CPU tensor of token ids, found 2-D int32",
              "5: field 'length': expected 0 to 2 (the ids in 'ids'), found 3",
              "6: field 'length': expected 0 to 2 (the ids in 'ids'), found -1",
              "7: field 'length': expected int, found no such field",
              "8: field 'ids': expected token ids >= 0, found -5 at index 1"});
  const auto blocks = parse_lines(r.outputs);
  REQUIRE(blocks.size() == 1);
  CHECK(tensor_data(blocks[0], "input_ids") == Ids{10, 11});
  CHECK(tensor_data(blocks[0], "target_ids") == Ids{11, 12});
}

TEST_CASE("text.pack checks its params", "[pack]") {
  auto error = [](const std::string& params) {
    return sluice::test::params_error("text", "text.pack", params).message();
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(error("{}"), Contains("missing required param 'block_size': expected an int in "
                                   "[1, 16777216]"));
  CHECK_THAT(error("{block_size: 0}"), Contains("param 'block_size'") &&
                                           Contains("expected an int in [1, 16777216], found 0"));
  // A padded tail of 10^12 tokens once failed at the end of the run with "out of memory".
  CHECK_THAT(error("{block_size: 1000000000000, remainder: pad, pad_id: 0}"),
             Contains("expected an int in [1, 16777216], found 1000000000000"));
  CHECK_THAT(
      error("{block_size: 4, separator: -1}"),
      Contains("param 'separator'") && Contains("expected an int in [0, 2147483647], found -1"));
  CHECK_THAT(
      error("{block_size: 4, remainder: keep}"),
      Contains("param 'remainder'") && Contains("expected one of 'drop', 'pad', found 'keep'"));
  CHECK_THAT(error("{block_size: 4, remainder: pad}"),
             Contains("param 'pad_id': expected it with remainder: pad, found none"));
  CHECK_THAT(error("{block_size: 4, pad_id: 0}"),
             Contains("param 'pad_id': expected it only with remainder: pad, found remainder: "
                      "drop"));
}

TEST_CASE("text.pack in a pipeline packs tokenized JSON lines and reports its counts",
          "[pack][integration]") {
  const std::string dir = sluice::test::temp_dir();
  Lines texts = text_lines();
  std::string jsonl;
  for (const auto& line : texts) jsonl += line + "\n";
  sluice::test::write_file(dir + "/in.jsonl", jsonl);
  const Ids stream = stream_of(tokenize("{tokenizer: gpt2}"));
  const std::string pipeline =
      "sluice: 1\n"
      "name: pack-test\n"
      "stages:\n"
      "  - name: pack\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_jsonl, params: {path: '" +
      dir +
      "/in.jsonl'}}\n"
      "      - {id: tokenize, op: text.tokenize, params: {tokenizer: gpt2}}\n"
      "      - {id: pack, op: text.pack, params: {block_size: 32, separator: 50256}}\n"
      "      - {id: write, op: io.write_jsonl, params: {path: blocks.jsonl}}\n";
  auto report = sluice::test::run_pipeline_text(
      sluice::test::plugin_registry(std::vector<std::string>{"io", "text"}), pipeline, dir);
  INFO(report.error);
  REQUIRE(report.status == "ok");
  const size_t blocks = (stream.size() - 1) / 32;
  CHECK(report.metrics.at("pack.documents") == static_cast<double>(texts.size()));
  CHECK(report.metrics.at("pack.tokens") == static_cast<double>(stream.size()));
  CHECK(report.metrics.at("pack.blocks") == static_cast<double>(blocks));
  CHECK(report.metrics.at("pack.dropped_tokens") ==
        static_cast<double>(stream.size() - (blocks * 32 + 1)));

  std::istringstream written(sluice::test::read_file(dir + "/blocks.jsonl"));
  Lines lines;
  for (std::string line; std::getline(written, line);) lines.push_back(line);
  REQUIRE(lines.size() == blocks);
  for (size_t k = 0; k < blocks; ++k) {
    const auto block = parse_lines({lines[k]})[0];
    CHECK(block.at("block").as_int64() == static_cast<int64_t>(k));
    CHECK(tensor_data(block, "input_ids") == slice(stream, k * 32, (k + 1) * 32));
  }
}

TEST_CASE("text.pack refuses use_length at load when no upstream node writes the length",
          "[pack]") {
  const std::string pipeline =
      "sluice: 1\n"
      "name: pack-check\n"
      "stages:\n"
      "  - name: pack\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_lines, params: {path: in.txt}}\n"
      "      - {id: tokenize, op: text.tokenize, params: {tokenizer: gpt2}}\n"
      "      - {id: pack, op: text.pack, params: {block_size: 8, use_length: true},\n"
      "         inputs: {length: n}}\n"
      "      - {id: write, op: io.write_jsonl, params: {path: out.jsonl}}\n";
  const auto& registry = sluice::test::plugin_registry(std::vector<std::string>{"io", "text"});
  CHECK_THAT(sluice::test::validation_errors(registry, pipeline),
             Catch::Matchers::Contains("node 'pack' (text.pack): param 'use_length': expected an "
                                       "upstream field 'n' holding the number of ids, found "
                                       "none"));
}
