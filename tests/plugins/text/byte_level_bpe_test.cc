// Byte-level BPE (GPT-2 / r50k_base and cl100k_base) against tiktoken: the golden files of
// ../shared/data/golden/tokenizers (all of tinyshakespeare as one string; edge cases) and the
// cases of tools/refgen/tiktoken_cases.py (tests/data/tokenizers/tiktoken_cases.jsonl); exact
// round trips on any bytes; linear time on pathological input; the rank file's errors.
#include "support/paths.h"
#include "text/byte_level_bpe.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <sstream>

namespace {

using sluice::text::BpePattern;
using sluice::text::BpeRanks;
using sluice::text::ByteLevelBpe;

const ByteLevelBpe& model(const std::string& name) {
  static const ByteLevelBpe gpt2 = [] {
    auto r = BpeRanks::load_tiktoken(sluice::test::shared_data_dir() +
                                     "/vocab/tiktoken/r50k_base.tiktoken");
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return ByteLevelBpe(std::move(*r), BpePattern::kGpt2);
  }();
  static const ByteLevelBpe cl100k = [] {
    auto r = BpeRanks::load_tiktoken(sluice::test::shared_data_dir() +
                                     "/vocab/tiktoken/cl100k_base.tiktoken");
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return ByteLevelBpe(std::move(*r), BpePattern::kCl100k);
  }();
  return name == "gpt2" ? gpt2 : cl100k;
}

std::vector<int32_t> ids_of(const boost::json::value& v) {
  std::vector<int32_t> ids;
  for (const auto& id : v.as_array()) ids.push_back(static_cast<int32_t>(id.as_int64()));
  return ids;
}

std::vector<int32_t> encode(const std::string& name, std::string_view text) {
  std::vector<int32_t> ids;
  model(name).encode(text, ids);
  return ids;
}

std::string decode(const std::string& name, const std::vector<int32_t>& ids) {
  std::string out;
  sluice::Status s = model(name).decode(ids, out);
  if (!s.ok()) throw std::runtime_error(s.message());
  return out;
}

std::vector<boost::json::object> jsonl(const std::string& path) {
  std::istringstream lines(sluice::test::read_file(path));
  std::vector<boost::json::object> out;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(boost::json::parse(line).as_object());
  }
  return out;
}

double seconds_to_encode(const std::string& name, const std::string& text) {
  auto start = std::chrono::steady_clock::now();
  std::vector<int32_t> ids = encode(name, text);
  CHECK(decode(name, ids) == text);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("GPT-2 and cl100k encode all of tinyshakespeare exactly as tiktoken does",
          "[plugins][text][bpe]") {
  const std::string text =
      sluice::test::read_file(sluice::test::shared_data_dir() + "/text/tinyshakespeare.txt");
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    INFO(name);
    auto golden = boost::json::parse(sluice::test::read_file(
        sluice::test::shared_data_dir() + "/golden/tokenizers/tinyshakespeare." + name +
        ".ids.json"));
    std::vector<int32_t> ids = encode(name, text);
    CHECK(ids.size() == golden.as_array().size());
    CHECK(ids == ids_of(golden));
    CHECK(decode(name, ids) == text);
  }
}

TEST_CASE("GPT-2 and cl100k match tiktoken on the golden edge cases", "[plugins][text][bpe]") {
  // The file holds four texts per encoding, in the order gpt2, cl100k_base, o200k_base.
  auto cases = jsonl(sluice::test::shared_data_dir() + "/golden/tokenizers/edge_cases.jsonl");
  REQUIRE(cases.size() >= 8);
  for (size_t i = 0; i < 8; ++i) {
    const std::string name = i < 4 ? "gpt2" : "cl100k_base";
    const std::string text(cases[i].at("text").as_string());
    INFO(name << ": " << text);
    CHECK(encode(name, text) == ids_of(cases[i].at("js_tiktoken")));
  }
}

TEST_CASE("GPT-2 and cl100k match tiktoken in many scripts and on edge cases",
          "[plugins][text][bpe]") {
  auto cases = jsonl(sluice::test::source_dir() + "/tests/data/tokenizers/tiktoken_cases.jsonl");
  REQUIRE(cases.size() > 20);
  for (const auto& c : cases) {
    const std::string text(c.at("text").as_string());
    for (const std::string name : {"gpt2", "cl100k_base"}) {
      INFO(name << ": " << text);
      std::vector<int32_t> ids = encode(name, text);
      CHECK(ids == ids_of(c.at(name)));
      CHECK(decode(name, ids) == text);
    }
  }
}

TEST_CASE("byte-level BPE round-trips any bytes, UTF-8 or not", "[plugins][text][bpe]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 300);
  for (int i = 0; i < 200; ++i) {
    std::string text(static_cast<size_t>(length(rng)), '\0');
    for (char& c : text) c = static_cast<char>(byte(rng));
    for (const std::string name : {"gpt2", "cl100k_base"}) {
      INFO(name << " sample " << i);
      CHECK(decode(name, encode(name, text)) == text);
    }
  }
  CHECK(decode("gpt2", encode("gpt2", "\xff\xfe caf\xc3 \xe2\x82 ok")) ==
        "\xff\xfe caf\xc3 \xe2\x82 ok");
}

TEST_CASE("pathological inputs take time linear in their length", "[plugins][text][bpe]") {
  for (const std::string name : {"gpt2", "cl100k_base"}) {
    for (char c : {'a', ' ', '\n', '7'}) {
      INFO(name << ", runs of '" << c << "'");
      const double small = seconds_to_encode(name, std::string(100'000, c));
      const double large = seconds_to_encode(name, std::string(1'000'000, c));
      CHECK(large < 25 * small + 0.05);  // 10x the input: ~10x the time, never ~100x
    }
  }
}

TEST_CASE("decode rejects an id that is no token", "[plugins][text][bpe]") {
  std::string out;
  sluice::Status s = model("gpt2").decode({15496, 50257, 995}, out);
  CHECK(s.code() == SLUICE_BAD_RECORD);
  CHECK(s.message() == "id 1: expected a token id from 0 to 50255, found 50257");
  CHECK(out == "Hello");
}

TEST_CASE("a tiktoken rank file names the file and line of what is wrong",
          "[plugins][text][bpe]") {
  const std::string dir = sluice::test::temp_dir();
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) {
    static const char* kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // base64 of the single byte b: two characters and "==".
    all_bytes += std::string(1, kAlphabet[b >> 2]) + kAlphabet[(b & 3) << 4] + "== " +
                 std::to_string(b) + "\n";
  }
  auto load = [&](const std::string& name, const std::string& text) {
    sluice::test::write_file(dir + "/" + name, text);
    return BpeRanks::load_tiktoken(dir + "/" + name);
  };
  auto ok = load("ok.tiktoken", all_bytes + "aGk= 256\n");
  REQUIRE(ok.ok());
  CHECK(ok->rank("hi") == 256);

  auto no_rank = load("no_rank.tiktoken", all_bytes + "aGk=\n");
  REQUIRE_FALSE(no_rank.ok());
  CHECK(no_rank.status().message() ==
        dir + "/no_rank.tiktoken:257: expected \"<base64 token> <rank>\", found 'aGk='");

  auto bad_rank = load("bad_rank.tiktoken", all_bytes + "aGk= x1\n");
  REQUIRE_FALSE(bad_rank.ok());
  CHECK(bad_rank.status().message() ==
        dir + "/bad_rank.tiktoken:257: expected a rank from 0 to 2147483647, found 'x1'");

  auto twice = load("twice.tiktoken", all_bytes + "aGk= 7\n");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message() ==
        dir + "/twice.tiktoken:257: expected each rank once, found 7 again (first on line 8)");

  auto bad_base64 = load("bad_base64.tiktoken", all_bytes + "a*k= 256\n");
  REQUIRE_FALSE(bad_base64.ok());
  CHECK(bad_base64.status().message().rfind(dir + "/bad_base64.tiktoken:257: token: ", 0) == 0);

  auto missing_byte = load("missing_byte.tiktoken", "aGk= 0\n");
  REQUIRE_FALSE(missing_byte.ok());
  CHECK(missing_byte.status().message() ==
        dir + "/missing_byte.tiktoken: expected a rank for every single byte, found none for "
              "0x00");
}
