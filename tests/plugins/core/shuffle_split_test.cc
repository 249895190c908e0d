// core.shuffle and core.split, on the SMS spam messages.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;

namespace {

// The SMS spam messages as {"label", "text"} JSON lines.
const Lines& sms_records() {
  static const Lines records = [] {
    Lines out;
    std::istringstream in(sluice::test::read_file(sluice::test::shared_data_dir() +
                                                  "/text/sms_spam.tsv"));
    for (std::string line; std::getline(in, line);) {
      size_t tab = line.find('\t');
      boost::json::object o{{"label", line.substr(0, tab)}, {"text", line.substr(tab + 1)}};
      out.push_back(boost::json::serialize(o));
    }
    return out;
  }();
  return records;
}

Lines numbered(int n) {
  Lines out;
  for (int i = 0; i < n; ++i) out.push_back("{\"i\": " + std::to_string(i) + "}");
  return out;
}

Lines shuffled(const std::string& params, const Lines& in, uint64_t seed) {
  sluice::OpRunner run(sluice::test::plugin_registry("core"), "core.shuffle", params);
  REQUIRE(run.status().ok());
  run.set_seed(seed);
  auto r = run.process_all(in);
  REQUIRE(r.error.ok());
  return r.outputs;
}

std::string split_params(const std::string& by, const std::string& keep) {
  return "{by: " + by + ", ratios: {train: 0.8, test: 0.2}, keep: " + keep + "}";
}

}  // namespace

TEST_CASE("core.shuffle permutes the stream, the same way for the same seed", "[plugins][core]") {
  const Lines in = numbered(200);
  Lines a = shuffled("{buffer_size: 1000}", in, 7);
  CHECK(a != in);
  CHECK(a == shuffled("{buffer_size: 1000}", in, 7));
  CHECK(a != shuffled("{buffer_size: 1000}", in, 8));
  Lines sorted = a;
  std::sort(sorted.begin(), sorted.end());
  Lines expected = in;
  std::sort(expected.begin(), expected.end());
  CHECK(sorted == expected);
  CHECK(shuffled("{buffer_size: 1}", in, 7) == in);
}

TEST_CASE("core.shuffle with a small buffer only moves records a little", "[plugins][core]") {
  Lines out = shuffled("{buffer_size: 4}", numbered(100), 3);
  REQUIRE(out.size() == 100);
  // Record i cannot leave before records i+4.. arrive: a bounded buffer delays, never hoards.
  for (size_t k = 0; k < out.size(); ++k) {
    int64_t i = parse_lines({out[k]})[0].at("i").as_int64();
    CHECK(i <= static_cast<int64_t>(k) + 4);
  }
}

TEST_CASE("core.split by hash cuts the SMS messages 80/20, disjoint and complete",
          "[plugins][core]") {
  const Lines& in = sms_records();
  auto train = run_op("core", "core.split", split_params("hash", "train"), in).outputs;
  auto test = run_op("core", "core.split", split_params("hash", "test"), in).outputs;
  CHECK(train.size() + test.size() == in.size());
  CHECK((train.size() > 4359 && train.size() < 4559));  // 80% of 5574, within 2.5 sigma
  std::set<std::string> train_texts, test_texts;
  for (const auto& o : parse_lines(train)) train_texts.emplace(o.at("text").as_string());
  for (const auto& o : parse_lines(test)) test_texts.emplace(o.at("text").as_string());
  for (const auto& t : test_texts) CHECK(train_texts.count(t) == 0);  // duplicates stay together
  // A record's share depends on its key alone, not on the rest of the record.
  size_t kept = run_op("core", "core.split", split_params("hash", "train"),
                       {R"({"text": "free entry"})", R"({"text": "free entry", "n": 1})"})
                    .outputs.size();
  CHECK((kept == 0 || kept == 2));
}

TEST_CASE("core.split by ratio follows positions", "[plugins][core]") {
  auto train = run_op("core", "core.split", split_params("ratio", "train"), numbered(1000)).outputs;
  CHECK((train.size() >= 798 && train.size() <= 802));
}

TEST_CASE("core.split rejects a key it cannot hash and checks its params", "[plugins][core]") {
  auto r = run_op("core", "core.split", split_params("hash", "train"), {R"({"n": 1})"});
  CHECK(r.rejected ==
        Lines{"0: field 'text' (the split key): expected a string, bytes or int, found no such "
              "field"});
  using sluice::test::params_error;
  CHECK(params_error("core", "core.split", "{ratios: {train: 0.8, test: 0.2}, keep: val}")
            .message()
            .find("param 'keep': expected one of the shares in `ratios` (test, train), found "
                  "'val'") != std::string::npos);
  CHECK(params_error("core", "core.split", "{ratios: {train: 0.7, test: 0.2}, keep: train}")
            .message()
            .find("expected ratios summing to 1, found 2 summing to 0.9") != std::string::npos);
}
