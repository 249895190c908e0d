// Cross-validation folds and their summary (train_kernels) against scikit-learn's KFold and
// StratifiedKFold and numpy's mean and std (tests/data/cv/folds.json, made by
// tools/refgen/cv_folds.py): the same test fold for every row without shuffling and shuffled
// (random_state 0 and 12345), scikit-learn's fold sizes and class counts for any seed, every row
// in exactly one test fold, and population standard deviations.
#include "train/folds.h"
#include "support/paths.h"
#include "train/fold_scores.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

namespace sluice::train {
namespace {

const boost::json::object& reference() {
  static const boost::json::object ref =
      boost::json::parse(test::read_file(test::source_dir() + "/tests/data/cv/folds.json"))
          .as_object();
  return ref;
}

template <class T>
std::vector<T> ints(const boost::json::value& v) {
  std::vector<T> out;
  for (const auto& x : v.as_array()) out.push_back(static_cast<T>(x.as_int64()));
  return out;
}

std::vector<int64_t> fold_sizes(const std::vector<int32_t>& fold_of, int64_t folds) {
  std::vector<int64_t> sizes(static_cast<size_t>(folds), 0);
  for (int32_t f : fold_of) ++sizes.at(static_cast<size_t>(f));
  return sizes;
}

// counts[f][c]: rows of classes[c] in fold f.
std::vector<std::vector<int64_t>> class_counts(const std::vector<int32_t>& fold_of,
                                               const std::vector<int64_t>& labels,
                                               const std::vector<int64_t>& classes, int64_t folds) {
  std::vector<std::vector<int64_t>> counts(static_cast<size_t>(folds),
                                           std::vector<int64_t>(classes.size(), 0));
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto c = std::find(classes.begin(), classes.end(), labels[i]) - classes.begin();
    ++counts.at(static_cast<size_t>(fold_of[i])).at(static_cast<size_t>(c));
  }
  return counts;
}

Expected<std::vector<int32_t>> assign(const boost::json::object& c, bool shuffle, uint64_t seed,
                                      std::string* warning) {
  FoldOptions options{c.at("folds").as_int64(), shuffle, seed};
  if (c.at("stratified").as_bool()) {
    return stratified_kfold_assignment(ints<int64_t>(c.at("labels")), options, warning);
  }
  warning->clear();
  return kfold_assignment(c.at("rows").as_int64(), options);
}

TEST_CASE("fold assignment is scikit-learn's KFold and StratifiedKFold", "[plugins][train]") {
  for (const auto& v : reference().at("cases").as_array()) {
    const boost::json::object& c = v.as_object();
    const std::string name(c.at("name").as_string());
    SECTION(name) {
      const int64_t folds = c.at("folds").as_int64(), rows = c.at("rows").as_int64();
      std::string warning;
      Expected<std::vector<int32_t>> plain = assign(c, false, 0, &warning);
      if (c.contains("error")) {
        INFO(c.at("error").as_string());
        REQUIRE_FALSE(plain.ok());
        CHECK_THAT(plain.status().message(),
                   Catch::Contains("expected at most as many folds as") &&
                       Catch::Contains("found " + std::to_string(folds) + " folds"));
        continue;
      }
      REQUIRE(plain.ok());
      CHECK(*plain == ints<int32_t>(c.at("test_folds")));
      CHECK(!warning.empty() == c.at("warning").as_bool());

      const std::vector<int64_t> sklearn_sizes = ints<int64_t>(c.at("shuffled_fold_sizes"));
      for (uint64_t seed : {0ull, 1ull, 12345ull}) {
        Expected<std::vector<int32_t>> shuffled = assign(c, true, seed, &warning);
        REQUIRE(shuffled.ok());
        REQUIRE(shuffled->size() == static_cast<size_t>(rows));
        // Every row in exactly one test fold, folds within one row of each other.
        for (int32_t f : *shuffled) REQUIRE((f >= 0 && f < folds));
        const std::vector<int64_t> sizes = fold_sizes(*shuffled, folds);
        CHECK(sizes == sklearn_sizes);
        CHECK(*std::max_element(sizes.begin(), sizes.end()) -
                  *std::min_element(sizes.begin(), sizes.end()) <=
              1);
        if (c.at("stratified").as_bool()) {
          const std::vector<int64_t> labels = ints<int64_t>(c.at("labels"));
          const std::vector<int64_t> classes = ints<int64_t>(c.at("classes"));
          std::vector<std::vector<int64_t>> sklearn_counts;
          for (const auto& row : c.at("shuffled_class_counts").as_array()) {
            sklearn_counts.push_back(ints<int64_t>(row));
          }
          CHECK(class_counts(*shuffled, labels, classes, folds) == sklearn_counts);
        }
        if (rows >= 20) CHECK(*shuffled != *plain);
        CHECK(*assign(c, true, seed, &warning) == *shuffled);
      }
      // Row for row scikit-learn's shuffled folds (random_state = seed): NumPy's shuffle.
      for (const auto& [seed, folds_of_rows] : c.at("shuffled_test_folds").as_object()) {
        INFO("random_state " << std::string(seed));
        Expected<std::vector<int32_t>> shuffled =
            assign(c, true, std::stoull(std::string(seed)), &warning);
        REQUIRE(shuffled.ok());
        CHECK(*shuffled == ints<int32_t>(folds_of_rows));
      }
      if (rows >= 20) CHECK(*assign(c, true, 1, &warning) != *assign(c, true, 2, &warning));
    }
  }
}

TEST_CASE("fewer than 2 folds are refused, saying what was found", "[plugins][train]") {
  Expected<std::vector<int32_t>> one = kfold_assignment(10, {1, false, 0});
  REQUIRE_FALSE(one.ok());
  CHECK(one.status().message() == "expected at least 2 folds, found 1");
}

TEST_CASE("fold scores summarise as numpy's mean and population std", "[plugins][train]") {
  for (const auto& v : reference().at("summaries").as_array()) {
    const boost::json::object& s = v.as_object();
    std::vector<double> values;
    for (const auto& x : s.at("values").as_array()) values.push_back(x.to_number<double>());
    const MeanStd m = mean_std(values);
    INFO(boost::json::serialize(s));
    CHECK(m.mean == Approx(s.at("mean").as_double()).epsilon(1e-15));
    CHECK(m.std == Approx(s.at("std").as_double()).epsilon(1e-9).margin(1e-15));
    if (s.at("std").as_double() > 0) {
      CHECK(m.std != Approx(s.at("sample_std").as_double()).epsilon(1e-6));
    }
  }
}

TEST_CASE("fold_summary names each fold's scores and their mean and std", "[plugins][train]") {
  const std::vector<FoldScores> folds{{{"accuracy", 0.5}, {"loss", 2.0}},
                                      {{"accuracy", 1.0}, {"loss", 1.0}}};
  Expected<FoldScores> summary = fold_summary(folds);
  REQUIRE(summary.ok());
  const std::map<std::string, double> got(summary->begin(), summary->end());
  CHECK(got == std::map<std::string, double>{{"fold1.accuracy", 0.5},
                                             {"fold1.loss", 2.0},
                                             {"fold2.accuracy", 1.0},
                                             {"fold2.loss", 1.0},
                                             {"accuracy.mean", 0.75},
                                             {"accuracy.std", 0.25},
                                             {"loss.mean", 1.5},
                                             {"loss.std", 0.5}});
  Expected<FoldScores> mismatched = fold_summary({{{"accuracy", 0.5}}, {{"loss", 1.0}}});
  REQUIRE_FALSE(mismatched.ok());
  CHECK(mismatched.status().message() ==
        "fold 2: expected score 'accuracy' as fold 1, found 'loss'");
}

}  // namespace
}  // namespace sluice::train
