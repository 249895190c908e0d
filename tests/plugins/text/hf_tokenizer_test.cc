// text/hf_tokenizer.h on Hugging Face tokenizer.json files: bert-base-uncased's gives the
// built-in WordPiece's ids and special-token rules; what is not supported fails naming the file,
// the key, what was expected and what was found; malformed JSON names the line.
#include "text/hf_tokenizer.h"
#include "support/paths.h"
#include "text/wordpiece.h"

#include <catch2/catch.hpp>

namespace {

using sluice::text::read_hf_tokenizer;

std::string bert_json() {
  return sluice::test::shared_data_dir() + "/vocab/bert-base-uncased/tokenizer.json";
}

// The trained tokenizer of tools/refgen/bpe_train_cases.py, with `from` replaced by `to`,
// written to a temporary file.
std::string edited_bpe(const std::string& from, const std::string& to) {
  std::string text = sluice::test::read_file(sluice::test::source_dir() +
                                             "/tests/data/tokenizers/tinyshakespeare_bpe1000.json");
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  const std::string path = sluice::test::temp_dir() + "/tokenizer.json";
  sluice::test::write_file(path, text);
  return path;
}

std::string error_of(const std::string& path) {
  auto file = read_hf_tokenizer(path);
  REQUIRE(!file.ok());
  return file.status().message();
}

}  // namespace

TEST_CASE("bert-base-uncased's tokenizer.json is WordPiece with [CLS] and [SEP] added",
          "[plugins][text][hf]") {
  auto file = read_hf_tokenizer(bert_json());
  INFO(file.status().message());
  REQUIRE(file.ok());
  REQUIRE(file->wordpiece.has_value());
  CHECK(file->rules.prefix == std::vector<int32_t>{101});
  CHECK(file->rules.suffix == std::vector<int32_t>{102});
  CHECK(file->rules.added_by_default);
  CHECK(file->rules.matched_by_default);
  CHECK(file->rules.pad_id == 0);
  CHECK(file->rules.specials.size() == 5);
  auto builtin = sluice::text::WordPiece::load_vocab_txt(
      sluice::test::shared_data_dir() + "/vocab/bert-base-uncased/vocab.txt", {});
  REQUIRE(builtin.ok());
  std::vector<int32_t> ids, expected;
  file->wordpiece->encode("Héllo, WORLD! 你好 [MASK]", false, ids);
  builtin->encode("Héllo, WORLD! 你好 [MASK]", false, expected);
  CHECK(ids == expected);
}

TEST_CASE("tokenizer.json options that are not supported fail, saying what was found",
          "[plugins][text][hf]") {
  CHECK(error_of(edited_bpe("\"type\":\"BPE\"", "\"type\":\"Unigram\""))
            .find(": model.type: expected BPE or WordPiece, found \"Unigram\"") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"pre_tokenizer\":{\"type\":\"ByteLevel\"",
                            "\"pre_tokenizer\":{\"type\":\"Metaspace\""))
            .find(": pre_tokenizer: expected ByteLevel (add_prefix_space false), or a Sequence "
                  "of a Split by cl100k_base's pattern and a ByteLevel with use_regex false, "
                  "found \"Metaspace\"") != std::string::npos);
  CHECK(error_of(edited_bpe("\"add_prefix_space\":false", "\"add_prefix_space\":true"))
            .find(": pre_tokenizer.add_prefix_space: expected false, found true") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"normalizer\":null", "\"normalizer\":{\"type\":\"NFC\"}"))
            .find(": normalizer: expected none with a BPE model, found {\"type\":\"NFC\"}") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"ignore_merges\":false", "\"ignore_merges\":true"))
            .find(": model.ignore_merges: expected null or off (not supported), found true") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("[\"Ġ\",\"t\"]", "[\"Ġ\",\"nope\"]"))
            .find(": model.merges[0]: expected tokens of model.vocab, found \"nope\"") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"post_processor\":null", "\"post_processor\":{\"type\":\"Weird\"}"))
            .find(": post_processor.type: expected TemplateProcessing, BertProcessing, "
                  "RobertaProcessing, ByteLevel or Sequence, found \"Weird\"") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"lstrip\":false", "\"lstrip\":true"))
            .find(": added_tokens[0].lstrip: expected null or off (not supported), found true") !=
        std::string::npos);
  CHECK(error_of(edited_bpe("\"Ġ\":", "\"Ġ\":1,\"x\":")).find("model.vocab") != std::string::npos);
  // An id past the vocabulary (1000 entries) and the added tokens (1) is refused before a
  // table is sized by it (a fuzzed file asked for 15 GB this way).
  CHECK(error_of(edited_bpe("\"am\":386", "\"am\":467555555"))
            .find(": model.vocab[\"am\"]: expected an id below 1001 (the vocabulary's entries and "
                  "the added tokens, numbered from 0), found 467555555") != std::string::npos);
  CHECK(error_of(edited_bpe("{\"id\":0,", "{\"id\":18446744073709551615,"))
            .find(": added_tokens[0].id: expected a token id from 0 to 2147483646, found "
                  "18446744073709551615") != std::string::npos);
  CHECK(error_of(edited_bpe(",\"added_tokens\"", ",\n\n\"added_tokens\"::"))
            .find("tokenizer.json:3:16: expected JSON, found syntax error") != std::string::npos);
  CHECK(error_of("/nonexistent/tokenizer.json") ==
        "cannot open the tokenizer file '/nonexistent/tokenizer.json'");
}

TEST_CASE("a BPE tokenizer.json's post-processor puts its tokens around the sequence",
          "[plugins][text][hf]") {
  auto file = read_hf_tokenizer(edited_bpe(
      "\"post_processor\":null",
      "\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":"
      "\"<|endoftext|>\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],"
      "\"special_tokens\":{\"<|endoftext|>\":{\"id\":\"<|endoftext|>\",\"ids\":[0],"
      "\"tokens\":[\"<|endoftext|>\"]}}}"));
  INFO(file.status().message());
  REQUIRE(file.ok());
  CHECK(file->rules.prefix == std::vector<int32_t>{0});
  CHECK(file->rules.suffix.empty());
  CHECK(file->rules.added_by_default);
}
