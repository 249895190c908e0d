// text.vocabulary, text.vocabulary_update and text.encode: through OpRunner, and built then used
// across the stages of a pipeline.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <sstream>

using sluice::test::parse_lines;
using sluice::test::read_file;
using sluice::test::temp_dir;
using sluice::test::write_file;
using Lines = std::vector<std::string>;

namespace {

const Lines kWords = {R"({"words": "free entry free"})", R"({"words": "free call"})",
                      R"({"words": "call me"})"};

// Runs text.vocabulary_update over kWords with a fresh vocabulary of `vocab_params`; returns the
// vocabulary file it wrote and the result.
std::pair<std::string, sluice::OpRunResult> update(const std::string& vocab_params) {
  std::string dir = temp_dir();
  sluice::OpRunner run(sluice::test::plugin_registry("text"), "text.vocabulary_update",
                       "{vocabulary: v, path: out/vocab.txt}");
  REQUIRE(run.status().ok());
  REQUIRE(run.add_resource("v", "text.vocabulary", vocab_params).ok());
  run.set_run_dir(dir);
  auto r = run.process_all(kWords);
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  return {dir + "/out/vocab.txt", r};
}

sluice::OpRunResult encode(const std::string& vocab_file, const std::string& params,
                           const Lines& inputs) {
  sluice::OpRunner run(sluice::test::plugin_registry("text"), "text.encode", params);
  INFO(run.status().message());
  REQUIRE(run.status().ok());
  sluice::Status added = run.add_resource("v", "text.vocabulary", "{path: '" + vocab_file + "'}");
  INFO(added.message());
  REQUIRE(added.ok());
  return run.process_all(inputs);
}

}  // namespace

TEST_CASE("text.vocabulary_update counts words, passes records on and writes the vocabulary",
          "[plugins][text]") {
  auto [file, r] = update("{}");
  CHECK(r.outputs == kWords);
  CHECK(read_file(file) == "<pad>\n<unk>\nfree\ncall\nentry\nme\n");
  auto [limited, r2] = update("{min_count: 2, specials: ['[PAD]']}");
  CHECK(read_file(limited) == "[PAD]\nfree\ncall\n");
}

TEST_CASE("text.encode maps words to padded int32 ids with unknown words", "[plugins][text]") {
  auto [file, built] = update("{}");
  auto r = encode(file, "{vocabulary: v, max_length: 4}",
                  {R"({"words": "free me now"})", R"({"words": "call free entry me free"})",
                   R"({"words": ""})"});
  REQUIRE(r.error.ok());
  CHECK(r.outputs ==
        Lines{R"({"words": "free me now", "ids": {"dtype": "int32", "shape": [4], )"
              R"("data": [2, 5, 1, 0]}, "length": 3})",
              R"({"words": "call free entry me free", "ids": {"dtype": "int32", "shape": [4], )"
              R"("data": [3, 2, 4, 5]}, "length": 4})",
              R"({"words": "", "ids": {"dtype": "int32", "shape": [4], "data": [0, 0, 0, 0]}, )"
              R"("length": 0})"});
  auto unpadded = encode(file, "{vocabulary: v}", {R"({"words": "me free"})"});
  CHECK(unpadded.outputs[0] ==
        R"({"words": "me free", "ids": {"dtype": "int32", "shape": [2], "data": [5, 2]}, )"
        R"("length": 2})");
  auto strict = encode(file, "{vocabulary: v, max_length: 1, truncate: false}",
                       {R"({"words": "me free"})", R"({"n": 1})"});
  CHECK(strict.rejected ==
        Lines{"0: field 'words': expected at most 1 words (max_length), found 2",
              "1: field 'words': expected string, found no such field"});
}

TEST_CASE("text.encode needs a vocabulary holding its tokens", "[plugins][text]") {
  std::string dir = temp_dir();
  write_file(dir + "/v.txt", "[PAD]\n[UNK]\nhello\n");
  auto missing_unk = encode(dir + "/v.txt", "{vocabulary: v}", {});
  CHECK(missing_unk.error.message().find(
            "param 'unk_token': expected a token of vocabulary 'v', found '<unk>', which it "
            "lacks") != std::string::npos);
  auto bert_style = encode(dir + "/v.txt",
                           "{vocabulary: v, max_length: 3, pad_token: '[PAD]', unk_token: '[UNK]'}",
                           {R"({"words": "hello you"})"});
  CHECK(bert_style.outputs[0].find("\"data\": [2, 1, 0]") != std::string::npos);

  sluice::OpRunner empty(sluice::test::plugin_registry("text"), "text.encode", "{vocabulary: v}");
  REQUIRE(empty.add_resource("v", "text.vocabulary", "{}").ok());
  CHECK(empty.process_all({}).error.message().find(
            "vocabulary 'v': expected it built by text.vocabulary_update in an earlier stage or "
            "loaded from `path`, found it empty") != std::string::npos);
}

TEST_CASE("text.vocabulary checks its params and its file", "[plugins][text]") {
  sluice::OpRunner run(sluice::test::plugin_registry("text"), "text.encode", "{vocabulary: v}");
  CHECK(run.add_resource("v", "text.vocabulary", "{specials: [a, a]}").message().find(
            "param 'specials': expected each token once, found 'a' twice") != std::string::npos);
  CHECK(run.add_resource("v", "text.vocabulary", "{max_size: 1}").message().find(
            "param 'max_size': expected room for the 2 specials, found 1") != std::string::npos);
  CHECK(run.add_resource("v", "text.vocabulary", "{path: /nonexistent/v.txt}").message().find(
            "cannot open the vocabulary '/nonexistent/v.txt'") != std::string::npos);
}

TEST_CASE("a vocabulary built in one stage encodes the next stage's records", "[plugins][text]") {
  std::string dir = temp_dir();
  write_file(dir + "/in.jsonl",
             "{\"text\": \"Free entry, FREE!\"}\n{\"text\": \"Call me\"}\n{\"text\": \"free call\"}\n");
  const std::string pipeline =
      "sluice: 1\n"
      "name: vocab-test\n"
      "resources: {vocab: {type: text.vocabulary, min_count: 2}}\n"
      "stages:\n"
      "  - name: build\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_jsonl, params: {path: '" + dir + "/in.jsonl'}}\n"
      "      - {id: words, op: text.split_words, params: {pattern: '\\w+', lowercase: true}}\n"
      "      - {id: count, op: text.vocabulary_update, params: {vocabulary: vocab, path: v.txt}}\n"
      "  - name: encode\n"
      "    nodes:\n"
      "      - {id: read2, op: io.read_jsonl, params: {path: '" + dir + "/in.jsonl'}}\n"
      "      - {id: words2, op: text.split_words, params: {pattern: '\\w+', lowercase: true}}\n"
      "      - {id: encode, op: text.encode, params: {vocabulary: vocab, max_length: 3}}\n"
      "      - {id: write, op: io.write_jsonl, params: {path: out.jsonl, fields: [ids, length]}}\n";
  auto report = sluice::test::run_pipeline_text(sluice::test::plugin_registry(std::vector<std::string>{"io", "text"}),
                                                pipeline, dir);
  INFO(report.error);
  REQUIRE(report.status == "ok");
  CHECK(read_file(dir + "/v.txt") == "<pad>\n<unk>\nfree\ncall\n");
  CHECK(report.metrics.at("count.size") == 4);
  CHECK(report.metrics.at("count.distinct") == 4);
  CHECK(read_file(dir + "/out.jsonl") ==
        "{\"ids\":{\"dtype\":\"int32\",\"shape\":[3],\"data\":[2,1,2]},\"length\":3}\n"
        "{\"ids\":{\"dtype\":\"int32\",\"shape\":[3],\"data\":[3,1,0]},\"length\":2}\n"
        "{\"ids\":{\"dtype\":\"int32\",\"shape\":[3],\"data\":[2,3,0]},\"length\":2}\n");
}
