// WordPiece (bert-base-uncased) against Hugging Face tokenizers: the golden cases in
// ../shared/data/golden/tokenizers and the multilingual cases of tools/refgen/bert_cases.py
// (tests/data/tokenizers/bert_uncased.jsonl); and the vocabulary file's errors.
#include "text/wordpiece.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>

namespace {

using sluice::text::WordPiece;
using sluice::text::WordPieceOptions;

const WordPiece& bert_uncased() {
  static const WordPiece wp = [] {
    auto loaded = WordPiece::load_vocab_txt(
        sluice::test::shared_data_dir() + "/vocab/bert-base-uncased/vocab.txt", {});
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    return std::move(*loaded);
  }();
  return wp;
}

std::vector<int32_t> ids_of(const boost::json::value& v) {
  std::vector<int32_t> ids;
  for (const auto& id : v.as_array()) ids.push_back(static_cast<int32_t>(id.as_int64()));
  return ids;
}

void check_cases(const std::string& path) {
  std::istringstream lines(sluice::test::read_file(path));
  int cases = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto c = boost::json::parse(line).as_object();
    // Special-token text is matched by the tokenizer above WordPiece (text.tokenize's test).
    if (c.if_contains("special_text") && c.at("special_text").as_bool()) continue;
    std::string text(c.at("text").as_string());
    std::vector<int32_t> ids;
    bert_uncased().encode(text, true, ids);
    INFO(path << ": " << text);
    CHECK(ids == ids_of(c.at("ids")));
    ++cases;
  }
  CHECK(cases > 0);
}

}  // namespace

TEST_CASE("WordPiece gives Hugging Face's bert-base-uncased ids on the golden cases",
          "[plugins][text][wordpiece]") {
  check_cases(sluice::test::shared_data_dir() + "/golden/tokenizers/bert_uncased_cases.jsonl");
}

TEST_CASE("WordPiece matches Hugging Face in many scripts and on edge cases",
          "[plugins][text][wordpiece]") {
  check_cases(sluice::test::source_dir() + "/tests/data/tokenizers/bert_uncased.jsonl");
}

TEST_CASE("WordPiece leaves out [CLS] and [SEP] when asked", "[plugins][text][wordpiece]") {
  std::vector<int32_t> with, without;
  bert_uncased().encode("Hello world", true, with);
  bert_uncased().encode("Hello world", false, without);
  REQUIRE(with.size() == without.size() + 2);
  CHECK(with.front() == bert_uncased().cls_id());
  CHECK(with.back() == bert_uncased().sep_id());
  CHECK(std::vector<int32_t>(with.begin() + 1, with.end() - 1) == without);
  CHECK(bert_uncased().token(without[0]) == "hello");
}

TEST_CASE("WordPiece without [CLS] and [SEP] adds nothing when asked for them",
          "[plugins][text][wordpiece]") {
  // A tokenizer.json's WordPiece model: its post-processor, not the model, adds [CLS] and [SEP].
  WordPieceOptions options;
  options.cls_token = "";
  options.sep_token = "";
  options.pad_token = "";
  sluice::Expected<WordPiece> wp =
      WordPiece::from_tokens({"[UNK]", "hello", "world", "##s"}, options, "test tokens");
  REQUIRE(wp.ok());
  std::vector<int32_t> with, without;
  wp->encode("Hello worlds!", true, with);
  wp->encode("Hello worlds!", false, without);
  CHECK(with == std::vector<int32_t>{1, 2, 3, 0});
  CHECK(with == without);
}

TEST_CASE("a WordPiece vocabulary names the file and line of what is wrong",
          "[plugins][text][wordpiece]") {
  std::string dir = sluice::test::temp_dir();
  sluice::test::write_file(dir + "/empty_line.txt", "[PAD]\n[UNK]\n\n[CLS]\n[SEP]\n");
  auto r = WordPiece::load_vocab_txt(dir + "/empty_line.txt", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == dir + "/empty_line.txt:3: expected a token, found an empty line");

  sluice::test::write_file(dir + "/repeated.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nword\nword\n");
  r = WordPiece::load_vocab_txt(dir + "/repeated.txt", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == dir +
                                    "/repeated.txt:6: expected each token once, found 'word' "
                                    "again (first on line 5)");

  sluice::test::write_file(dir + "/no_unk.txt", "[PAD]\n[CLS]\n[SEP]\n");
  r = WordPiece::load_vocab_txt(dir + "/no_unk.txt", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("expected the unknown token '[UNK]'") != std::string::npos);

  r = WordPiece::load_vocab_txt(dir + "/missing.txt", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("cannot open the WordPiece vocabulary") != std::string::npos);
}
