// text/byte_bpe.h, text/pretokenize.h and text/tiktoken_ranks.h against tiktoken: the golden ids
// of ../shared/data/golden/tokenizers (all of tinyshakespeare as one string; edge_cases.jsonl)
// and of tests/data/tokenizers/cases.jsonl (tools/refgen/tokenizer_cases.py); exact round trips
// on any bytes; linear time on pathological input; the loaders' errors; a model built where a
// destroyed one was does not reuse its cached merges.
#include "text/byte_bpe.h"
#include "base64.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <sstream>

namespace {

using sluice::text::ByteBpe;
using sluice::text::PretokenPattern;
using sluice::text::RankTable;

std::string shared(const std::string& path) { return sluice::test::shared_data_dir() + "/" + path; }

template <class T>
T checked(sluice::Expected<T> value) {
  if (!value.ok()) throw std::runtime_error(value.status().message());
  return std::move(*value);
}

const ByteBpe& model(const std::string& name) {
  static const ByteBpe gpt2 = checked(ByteBpe::gpt2(
      checked(sluice::text::load_tiktoken_ranks(shared("vocab/tiktoken/r50k_base.tiktoken")))));
  static const ByteBpe cl100k = checked(ByteBpe::cl100k_base(
      checked(sluice::text::load_tiktoken_ranks(shared("vocab/tiktoken/cl100k_base.tiktoken")))));
  if (name == "gpt2") return gpt2;
  if (name == "cl100k_base") return cl100k;
  throw std::invalid_argument("no model " + name);
}

std::vector<int32_t> ids_of(const boost::json::value& json) {
  std::vector<int32_t> ids;
  for (const auto& id : json.as_array()) ids.push_back(static_cast<int32_t>(id.as_int64()));
  return ids;
}

std::vector<boost::json::object> read_jsonl(const std::string& path) {
  std::istringstream lines(sluice::test::read_file(path));
  std::vector<boost::json::object> objects;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) objects.push_back(boost::json::parse(line).as_object());
  }
  return objects;
}

std::string round_trip(const std::string& name, std::string_view text) {
  return checked(model(name).decode(model(name).encode(text)));
}

double seconds_to_encode(const std::string& name, const std::string& text) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<int32_t> ids = model(name).encode(text);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(checked(model(name).decode(ids)) == text);
  return seconds;
}

// The error of loading `text` as a tiktoken rank file written to `path`.
std::string tiktoken_error(const std::string& path, const std::string& text) {
  sluice::test::write_file(path, text);
  auto ranks = sluice::text::load_tiktoken_ranks(path);
  REQUIRE_FALSE(ranks.ok());
  return ranks.status().message();
}

}  // namespace

TEST_CASE("GPT-2's encoder.json + vocab.bpe give the ranks of r50k_base.tiktoken",
          "[plugins][text][bpe]") {
  const RankTable from_json = checked(sluice::text::load_gpt2_ranks(
      shared("vocab/gpt2/encoder.json"), shared("vocab/gpt2/vocab.bpe")));
  const RankTable from_tiktoken =
      checked(sluice::text::load_tiktoken_ranks(shared("vocab/tiktoken/r50k_base.tiktoken")));
  CHECK(from_json.size() == from_tiktoken.size());
  CHECK(from_json == from_tiktoken);
}

TEST_CASE("GPT-2 and cl100k encode all of tinyshakespeare as tiktoken does",
          "[plugins][text][bpe]") {
  const std::string text = sluice::test::read_file(shared("text/tinyshakespeare.txt"));
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    INFO(name);
    const std::vector<int32_t> expected = ids_of(boost::json::parse(sluice::test::read_file(
        shared("golden/tokenizers/tinyshakespeare." + name + ".ids.json"))));
    const std::vector<int32_t> ids = model(name).encode(text);
    REQUIRE(ids.size() == expected.size());
    CHECK(ids == expected);
    CHECK(checked(model(name).decode(ids)) == text);
  }
}

// edge_cases.jsonl holds the same texts three times: gpt2 ids (the lines with a gpt3_encoder
// field), then cl100k_base, then o200k_base, which sluice does not have.
TEST_CASE("GPT-2 and cl100k match tiktoken on the golden edge cases", "[plugins][text][bpe]") {
  std::map<std::string, int> seen;
  int checked_lines = 0;
  for (const auto& line : read_jsonl(shared("golden/tokenizers/edge_cases.jsonl"))) {
    const std::string text(line.at("text").as_string());
    const int occurrence = seen[text]++;
    if (occurrence > 1) continue;
    const std::string name = occurrence == 0 ? "gpt2" : "cl100k_base";
    REQUIRE(line.contains("gpt3_encoder") == (name == "gpt2"));
    INFO(name << ": " << text);
    for (const char* reference : {"js_tiktoken", "tiktoken_wasm"}) {
      CHECK(model(name).encode(text) == ids_of(line.at(reference)));
    }
    ++checked_lines;
  }
  CHECK(checked_lines == 8);
}

TEST_CASE("GPT-2 and cl100k match tiktoken in many scripts and on edge cases",
          "[plugins][text][bpe]") {
  const auto cases = read_jsonl(sluice::test::source_dir() + "/tests/data/tokenizers/cases.jsonl");
  REQUIRE(cases.size() > 40);
  for (const auto& line : cases) {
    const std::string text(line.at("text").as_string());
    for (const std::string name : {"gpt2", "cl100k_base"}) {
      INFO(name << ": " << text);
      CHECK(model(name).encode(text) == ids_of(line.at(name)));
      CHECK(round_trip(name, text) == text);
    }
  }
}

TEST_CASE("byte-level BPE round-trips any bytes, UTF-8 or not", "[plugins][text][bpe]") {
  std::vector<std::string> texts = {
      "",
      "\xff",
      "\xc3",                                    // cut short
      "a\xe2\x82 b\xe2\x82\xac",                 // cut-short euro sign, then a whole one
      "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80",  // overlong, surrogate, above U+10FFFF
      "  \xff\xfe  x \x80\n\x80",
      "line one\r\nline two\r\n\r\n\r\n  \r\n",
      std::string(5000, ' ') + "x",
      std::string(5000, 'a'),
      std::string(3000, '\n') + std::string(3000, '\t'),
      "👩‍👩‍👧‍👦👍🏽🇫🇷❤️‍🔥",
      "a\u200bb\u200cc\u200dd\ufeffe\u2060f",
      "Съешь же ещё этих мягких французских булок",
      "العربية لغة جميلة",
      "Ελληνικά γράμματα",
      "हिन्दी भाषा",
      "漢字かな交じり文",
      std::string("nul\0byte", 8),
  };
  std::mt19937 random(20261122);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int length : {1, 7, 64, 65, 300, 5000}) {
    std::string bytes;
    for (int i = 0; i < length; ++i) bytes.push_back(static_cast<char>(byte(random)));
    texts.push_back(bytes);
  }
  for (const std::string& text : texts) {
    for (const std::string name : {"gpt2", "cl100k_base"}) {
      INFO(name << ": " << text.size() << " bytes");
      CHECK(round_trip(name, text) == text);
      const auto pattern = name == "gpt2" ? PretokenPattern::kGpt2 : PretokenPattern::kCl100k;
      std::string joined;
      for (std::string_view piece : sluice::text::pretokenize(pattern, text)) {
        CHECK_FALSE(piece.empty());
        joined += piece;
      }
      CHECK(joined == text);
    }
  }
}

TEST_CASE("the pre-tokenizers cut as the patterns do", "[plugins][text][bpe]") {
  using Pieces = std::vector<std::string_view>;
  const auto gpt2 = [](std::string_view t) {
    return sluice::text::pretokenize(PretokenPattern::kGpt2, t);
  };
  const auto cl100k = [](std::string_view t) {
    return sluice::text::pretokenize(PretokenPattern::kCl100k, t);
  };
  CHECK(gpt2("I'm  here 12345!!") == Pieces{"I", "'m", " ", " here", " 12345", "!!"});
  CHECK(cl100k("I'M  here 12345!!\n\n") ==
        Pieces{"I", "'M", " ", " here", " ", "123", "45", "!!\n\n"});
  CHECK(gpt2("a \n\n b") == Pieces{"a", " \n\n", " b"});
  CHECK(cl100k("a \n\n b") == Pieces{"a", " \n\n", " b"});
  CHECK(cl100k("x\u00a0y") == Pieces{"x", "\u00a0y"});  // NBSP is white space, not a letter
  CHECK(gpt2("x\u00a0y") == Pieces{"x", "\u00a0", "y"});
  CHECK(gpt2("\xff\xfe"
             "ab") == Pieces{"\xff\xfe", "ab"});  // invalid bytes: neither \s, L nor N
}

TEST_CASE("pathological inputs take time linear in their length", "[plugins][text][bpe][slow]") {
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    for (char c : {'a', ' ', '\n'}) {
      INFO(name << ": runs of byte " << static_cast<int>(c));
      seconds_to_encode(name, std::string(1000, c));  // warm up
      const double small = seconds_to_encode(name, std::string(100'000, c));
      const double large = seconds_to_encode(name, std::string(1'000'000, c));
      INFO("100 KB: " << small << " s, 1 MB: " << large << " s");
      // Quadratic time would take 100 times as long. Linear time takes 10 times, up to about 40
      // where the merge's working set of the larger run (about 24 bytes a byte) leaves the cache.
      CHECK(large < 60 * std::max(small, 1e-3));
      // A bound on the whole, loose enough for a sanitizer build on a busy machine (which took
      // 5.3 s here once), tight beside quadratic time (several minutes).
      CHECK(large < 30.0);
    }
  }
}

TEST_CASE("a model built where a destroyed one was does not get its cached pieces",
          "[plugins][text][bpe]") {
  // Ranks: the 256 bytes (token r is byte r), then merges. "abcd" is no token, so its ids come
  // from merging, which each thread caches per model.
  auto model = [](std::vector<std::string> merges) {
    std::vector<std::string> tokens;
    for (int b = 0; b < 256; ++b) tokens.emplace_back(1, static_cast<char>(b));
    tokens.insert(tokens.end(), merges.begin(), merges.end());
    return checked(ByteBpe::gpt2(checked(RankTable::from_tokens(std::move(tokens)))));
  };
  std::optional<ByteBpe> slot;  // the second model lives where the first one did
  slot.emplace(model({"ab", "cd"}));
  CHECK(slot->encode("abcd") == std::vector<int32_t>{256, 257});
  slot.reset();
  slot.emplace(model({"bc"}));
  CHECK(slot->encode("abcd") == std::vector<int32_t>{'a', 256, 'd'});
}

TEST_CASE("decode names an id that is no token and the vocabulary size", "[plugins][text][bpe]") {
  const ByteBpe& gpt2 = model("gpt2");
  auto too_big = gpt2.decode(std::vector<int32_t>{15, 50257});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.status().code() == SLUICE_BAD_RECORD);
  CHECK(too_big.status().message() ==
        "id 1: expected a token id from 0 to 50256 (vocabulary size 50257), found 50257");
  auto negative = gpt2.decode(std::vector<int32_t>{-1});
  REQUIRE_FALSE(negative.ok());
  CHECK_THAT(negative.status().message(), Catch::Contains("found -1"));
  // cl100k_base leaves ids between its ranks and special tokens unused.
  auto unused = model("cl100k_base").decode(std::vector<int32_t>{100256});
  REQUIRE_FALSE(unused.ok());
  CHECK(unused.status().message() ==
        "id 0: expected a token id, found 100256, which no token has (vocabulary size 100277)");
}

TEST_CASE("a malformed rank file names the file and line", "[plugins][text][bpe]") {
  std::string valid;
  for (int byte = 0; byte < 256; ++byte) {
    valid += sluice::base64_encode(std::string(1, static_cast<char>(byte))) + " " +
             std::to_string(byte) + "\n";
  }
  const std::string path = sluice::test::temp_dir() + "/ranks.tiktoken";
  sluice::test::write_file(path, valid);
  CHECK(checked(sluice::text::load_tiktoken_ranks(path)).size() == 256);

  CHECK(tiktoken_error(path, valid + "YWI=\n") ==
        path + ":257: expected \"<base64 token> <rank>\", found \"YWI=\"");
  CHECK(tiktoken_error(path, valid + "YWI= twelve\n") ==
        path + ":257: expected a rank from 0 to 2147483647, found \"twelve\"");
  CHECK(tiktoken_error(path, valid + "YWI= 3\n") ==
        path + ":257: expected each rank once, found rank 3 again (first on line 4)");
  CHECK_THAT(tiktoken_error(path, "YW*= 0\n"),
             Catch::StartsWith(path + ":1: token: invalid base64 at offset 2"));
  CHECK(tiktoken_error(path, "YWI= 0\n") ==
        path + ": expected a rank for every single byte, found none for byte 0x00");
  CHECK(tiktoken_error(path, valid + "AA== 256\n") ==
        path + ": expected each token once, found the token of rank 0 again with rank 256");
  // A rank past the file's lines is refused before the table is sized by it (a fuzzed file of
  // two lines asked for 44 million ranks' room this way).
  CHECK(tiktoken_error(path, valid + "YWI= 44445444\n") ==
        path + ":257: expected a rank below 258 (the file's lines, ranked from 0), found 44445444");
}

TEST_CASE("malformed GPT-2 vocabulary files name the file and line", "[plugins][text][bpe]") {
  const std::string dir = sluice::test::temp_dir();
  const std::string encoder = shared("vocab/gpt2/encoder.json");
  sluice::test::write_file(dir + "/vocab.bpe", "#version: 0.2\nĠ t\nĠt\n");
  auto bad_merge = sluice::text::load_gpt2_ranks(encoder, dir + "/vocab.bpe");
  REQUIRE_FALSE(bad_merge.ok());
  CHECK(bad_merge.status().message() ==
        dir + "/vocab.bpe:3: expected a merge \"<first> <second>\", found \"Ġt\"");
  sluice::test::write_file(dir + "/vocab.bpe", "#version: 0.2\nĠ t\nĠ xyz\n");
  auto unknown_part = sluice::text::load_gpt2_ranks(encoder, dir + "/vocab.bpe");
  REQUIRE_FALSE(unknown_part.ok());
  CHECK_THAT(unknown_part.status().message(), Catch::StartsWith(dir + "/vocab.bpe:3: expected"));
  // The merges disagree with encoder.json from the second one on.
  sluice::test::write_file(dir + "/vocab.bpe", "#version: 0.2\nĠ t\nĠ b\n");
  auto disagree = sluice::text::load_gpt2_ranks(encoder, dir + "/vocab.bpe");
  REQUIRE_FALSE(disagree.ok());
  CHECK_THAT(disagree.status().message(), Catch::StartsWith(encoder + ": token \""));
}
