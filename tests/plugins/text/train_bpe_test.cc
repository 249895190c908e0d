// text/bpe_trainer.h and text/hf_tokenizer.h against Hugging Face tokenizers
// (tools/refgen/bpe_train_cases.py): BpeTrainer's tokenizer.json for tinyshakespeare (vocab_size
// 1000, min_frequency 2, <|endoftext|>) and its ids of sample texts. Trained here on the same
// lines, the merges and vocabulary are HF's, the written tokenizer.json is HF's byte for byte,
// the samples get HF's ids, and they decode back.
#include "support/paths.h"
#include "text/bpe_trainer.h"
#include "text/hf_tokenizer.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>

namespace {

using sluice::text::BpeTrainer;
using sluice::text::BpeTrainerOptions;
using sluice::text::ByteBpe;
using sluice::text::PretokenPattern;

std::string data(const std::string& name) {
  return sluice::test::source_dir() + "/tests/data/tokenizers/" + name;
}

template <class T>
T checked(sluice::Expected<T> value) {
  if (!value.ok()) throw std::runtime_error(value.status().message());
  return std::move(*value);
}

// tinyshakespeare's lines, as io.read_lines gives them.
std::vector<std::string> corpus_lines() {
  std::istringstream text(
      sluice::test::read_file(sluice::test::source_dir() + "/share/data/tinyshakespeare.txt"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

ByteBpe train(int64_t vocab_size) {
  BpeTrainer trainer(PretokenPattern::kGpt2);
  for (const std::string& line : corpus_lines()) trainer.add(line);
  return checked(trainer.train(BpeTrainerOptions{vocab_size, 2, {"<|endoftext|>"}}));
}

const ByteBpe& trained() {
  static const ByteBpe bpe = train(1000);
  return bpe;
}

// Ids as Hugging Face gives them: special-token text matched.
std::vector<int32_t> encode(const ByteBpe& bpe, std::string_view text) {
  std::vector<const sluice::text::SpecialToken*> all;
  for (const auto& s : bpe.specials()) all.push_back(&s);
  std::vector<int32_t> ids;
  for (const auto& segment : sluice::text::split_on_special(text, all)) {
    if (segment.special != nullptr) {
      ids.push_back(segment.special->id);
    } else {
      bpe.encode(segment.text, ids);
    }
  }
  return ids;
}

struct Case {
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<Case> hf_cases() {
  std::istringstream lines(sluice::test::read_file(data("tinyshakespeare_bpe1000_cases.jsonl")));
  std::vector<Case> cases;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const auto o = boost::json::parse(line).as_object();
    Case c{std::string(o.at("text").as_string()), {}};
    for (const auto& id : o.at("ids").as_array())
      c.ids.push_back(static_cast<int32_t>(id.as_int64()));
    cases.push_back(std::move(c));
  }
  return cases;
}

const boost::json::object& hf_model() {
  static const boost::json::object model =
      boost::json::parse(sluice::test::read_file(data("tinyshakespeare_bpe1000.json")))
          .as_object()
          .at("model")
          .as_object();
  return model;
}

}  // namespace

TEST_CASE("trained BPE merges are Hugging Face BpeTrainer's, in order", "[plugins][text][train]") {
  const auto json = boost::json::parse(sluice::text::hf_tokenizer_json(trained())).as_object();
  const auto& ours = json.at("model").as_object();
  const auto& merges = hf_model().at("merges").as_array();
  REQUIRE(merges.size() == 743);
  REQUIRE(ours.at("merges").as_array().size() == merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    INFO("merge " << i);
    CHECK(ours.at("merges").as_array()[i] == merges[i]);
  }
  CHECK(ours.at("vocab") == hf_model().at("vocab"));
  CHECK(trained().vocabulary_size() == 1000);
}

TEST_CASE("the trained tokenizer.json is the one Hugging Face saves", "[plugins][text][train]") {
  std::string hf = sluice::test::read_file(data("tinyshakespeare_bpe1000.json"));
  if (!hf.empty() && hf.back() == '\n') hf.pop_back();
  CHECK(sluice::text::hf_tokenizer_json(trained()) == hf);
}

TEST_CASE("the trained tokenizer gives Hugging Face's ids and decodes them back",
          "[plugins][text][train]") {
  const auto cases = hf_cases();
  REQUIRE(cases.size() >= 50);
  const auto loaded =
      checked(sluice::text::read_hf_tokenizer(data("tinyshakespeare_bpe1000.json")));
  REQUIRE(loaded.bpe.has_value());
  const std::string dir = sluice::test::temp_dir();
  sluice::test::write_file(dir + "/tokenizer.json", sluice::text::hf_tokenizer_json(trained()));
  const auto reloaded = checked(sluice::text::read_hf_tokenizer(dir + "/tokenizer.json"));
  REQUIRE(reloaded.bpe.has_value());
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(encode(trained(), c.text) == c.ids);
    CHECK(encode(*loaded.bpe, c.text) == c.ids);
    CHECK(encode(*reloaded.bpe, c.text) == c.ids);
    CHECK(checked(trained().decode(c.ids)) == c.text);
    CHECK(checked(trained().decode(trained().encode(c.text))) == c.text);
  }
  CHECK(loaded.rules.matched_by_default);
  CHECK(!loaded.rules.added_by_default);
  CHECK(loaded.rules.specials.size() == 1);
}

TEST_CASE("BPE training merges ties by the smallest pair and stops at min_frequency",
          "[plugins][text][train]") {
  BpeTrainer trainer(PretokenPattern::kGpt2);
  for (const char* text : {"ab ab ab", "cd cd cd", "aaaa"}) trainer.add(text);
  const ByteBpe bpe = checked(trainer.train(BpeTrainerOptions{300, 3, {}}));
  // Counts: " a"+"b" 2 each side... "ab" 3, " a" 2, "cd" 3, " c" 2, "aa" 3 (overlapping in aaaa).
  std::vector<std::string> merged;
  for (const auto& [left, right] : bpe.merges()) {
    std::string_view a, b;
    REQUIRE(bpe.ranks().token(left, &a));
    REQUIRE(bpe.ranks().token(right, &b));
    merged.push_back(std::string(a) + "+" + std::string(b));
  }
  // 'a' < 'c' in id order, so "aa" and "ab" come before "cd"; "aa" merges "aaaa" into "aa aa",
  // whose ("aa", "aa") is seen once, below min_frequency.
  CHECK(merged == std::vector<std::string>{"a+a", "a+b", "c+d"});
  CHECK(bpe.encode("aaaa") == std::vector<int32_t>{bpe.ranks().rank("aa"), bpe.ranks().rank("aa")});
}

TEST_CASE("BPE training options are checked", "[plugins][text][train]") {
  BpeTrainer trainer(PretokenPattern::kGpt2);
  auto error = [&](BpeTrainerOptions options) { return trainer.train(options).status().message(); };
  CHECK(
      error({257, 0, {"<s>", "</s>"}}) ==
      "param 'vocab_size': expected at least 258 (the 256 bytes and 2 special tokens), found 257");
  CHECK(error({300, 0, {"<s>", "<s>"}}) ==
        "param 'special_tokens': expected each token once, found \"<s>\" twice");
  CHECK(error({300, 0, {"a"}}).find("expected tokens of more than one byte's character") !=
        std::string::npos);
  CHECK(error({300, -1, {}}) == "param 'min_frequency': expected 0 or more, found -1");
  CHECK(checked(trainer.train({256, 0, {}})).merges().empty());
}

TEST_CASE("BPE training of vocab_size 2000 on tinyshakespeare takes seconds",
          "[plugins][text][train][slow]") {
  const auto start = std::chrono::steady_clock::now();
  const ByteBpe bpe = train(2000);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("vocab_size 2000 on tinyshakespeare: " << seconds << " s");
  CHECK(bpe.vocabulary_size() == 2000);
  CHECK(seconds < 20);
}

TEST_CASE("BPE training with cl100k_base's pattern gives Hugging Face's tokenizer.json",
          "[plugins][text][train]") {
  BpeTrainer trainer(PretokenPattern::kCl100k);
  for (const std::string& line : corpus_lines()) trainer.add(line);
  const ByteBpe bpe = checked(trainer.train(BpeTrainerOptions{300, 2, {"<|endoftext|>"}}));
  std::string hf = sluice::test::read_file(data("tinyshakespeare_cl100k_bpe300.json"));
  if (!hf.empty() && hf.back() == '\n') hf.pop_back();
  CHECK(sluice::text::hf_tokenizer_json(bpe) == hf);
  const auto loaded =
      checked(sluice::text::read_hf_tokenizer(data("tinyshakespeare_cl100k_bpe300.json")));
  REQUIRE(loaded.bpe.has_value());
  CHECK(loaded.bpe->pattern() == PretokenPattern::kCl100k);
  for (const Case& c : hf_cases()) CHECK(encode(*loaded.bpe, c.text) == encode(bpe, c.text));
}
