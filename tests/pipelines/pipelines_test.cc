// Every file under pipelines/ validates and runs to completion with the built plugins; the
// example SMS spam pipeline is checked for what it promises (both splits encoded and written),
// the classifiers for their targets, and the SMS cross-validation for scikit-learn's folds and
// the same scores on any number of threads.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;
using sluice::test::run_command;
using sluice::test::shell_quote;

namespace {

std::string sluice_cmd(const std::string& args) {
  return shell_quote(sluice::test::sluice_binary()) + " " + args;
}

boost::json::object run_pipeline(const std::string& file, const std::string& out,
                                 const std::string& options = "") {
  auto r = run_command(sluice_cmd("run " + shell_quote(file) + " --progress log --out " +
                                  shell_quote(out) + options));
  INFO(file << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return boost::json::parse(sluice::test::read_file(out + "/report.json")).as_object();
}

// The options of a quick run of a pipeline whose defaults train for long (its header gives them),
// "" for the others.
std::string quick_options(const std::string& filename) {
  return filename == "digits_cnn.yaml" ? " --set epochs=1 --set steps=63" : "";
}

}  // namespace

TEST_CASE("every pipeline validates and runs", "[integration][pipelines]") {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(sluice::test::source_dir() + "/pipelines")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    std::string file = entry.path().string();
    SECTION(entry.path().filename().string()) {
      auto v = run_command(sluice_cmd("validate " + shell_quote(file)));
      INFO(v.err);
      CHECK(v.exit_code == 0);
      auto report = run_pipeline(file, sluice::test::temp_dir() + "/run",
                                 quick_options(entry.path().filename().string()));
      CHECK(report.at("status").as_string() == "ok");
    }
  }
  CHECK(count > 0);
}

TEST_CASE("the SMS spam example encodes both splits of every message", "[integration][pipelines]") {
  std::string out = sluice::test::temp_dir() + "/run";
  auto report = run_pipeline(sluice::test::source_dir() + "/pipelines/sms_spam.yaml", out);
  int64_t read = -1;
  for (const auto& stage : report.at("stages").as_array()) {
    for (const auto& node : stage.at("nodes").as_array()) {
      if (node.at("op").as_string() == "io.read_csv" && read < 0) {
        read = node.at("records_out").as_int64();
      }
    }
  }
  CHECK(read == 5574);
  bool has_safetensors = false, has_jsonl = false;
  for (const auto& f : fs::recursive_directory_iterator(out)) {
    has_safetensors |= f.path().extension() == ".safetensors";
    has_jsonl |= f.path().extension() == ".jsonl";
  }
  CHECK(has_safetensors);
  CHECK(has_jsonl);
}

// The digits CNN on its quick run (1 epoch, 0.962; its defaults reach 0.978).
TEST_CASE("the classifiers reach their targets on the held-out splits",
          "[integration][pipelines]") {
  struct Target {
    const char* file;
    const char* metric;
    double at_least;
  };
  for (const Target& t : {Target{"sms_spam_classifier.yaml", "evaluate.macro_f1", 0.95},
                          Target{"sentence_polarity_classifier.yaml", "evaluate.accuracy", 0.74},
                          Target{"digits_cnn.yaml", "evaluate.accuracy", 0.95}}) {
    SECTION(t.file) {
      auto report = run_pipeline(sluice::test::source_dir() + "/pipelines/" + t.file,
                                 sluice::test::temp_dir() + "/run", quick_options(t.file));
      const double value = report.at("metrics").at(t.metric).to_number<double>();
      INFO(t.metric << " = " << value);
      CHECK(value >= t.at_least);
      CHECK(report.at("metrics").at("fit.loss").to_number<double>() <
            report.at("metrics").at("fit.loss_mean").to_number<double>());
    }
  }
}

TEST_CASE("the SMS spam cross-validation has scikit-learn's folds and thread-independent scores",
          "[integration][pipelines]") {
  const std::string file = sluice::test::source_dir() + "/pipelines/sms_spam_cv.yaml";
  const std::string out = sluice::test::temp_dir();
  auto one = run_pipeline(file, out + "/1", " --set epochs=1 --threads 1");
  auto two = run_pipeline(file, out + "/2", " --set epochs=1 --threads 2");
  const auto& metrics = one.at("metrics").as_object();
  auto value = [&](const std::string& name) {
    INFO(name);
    REQUIRE(metrics.contains(name));
    return metrics.at(name).to_number<double>();
  };
  std::vector<double> accuracy;
  for (int f = 1; f <= 5; ++f) {
    accuracy.push_back(value("cv.fold" + std::to_string(f) + ".accuracy"));
  }
  double mean = 0, squares = 0;
  for (double a : accuracy) mean += a / 5;
  for (double a : accuracy) squares += (a - mean) * (a - mean);
  CHECK(value("cv.accuracy.mean") == Approx(mean).epsilon(1e-12));
  CHECK(value("cv.accuracy.std") == Approx(std::sqrt(squares / 5)).epsilon(1e-9));
  CHECK(value("cv.accuracy.mean") >= 0.95);
  CHECK(value("cv.spam.f1.mean") >= 0.8);
  for (const auto& [name, v] : metrics) {
    if (std::string(name).find("fit_seconds") != std::string::npos) continue;  // a time
    INFO(name);
    CHECK(two.at("metrics").at(name) == v);
  }
  // scikit-learn's StratifiedKFold(5) on the same labels (tests/data/cv/folds.json).
  const auto ref = boost::json::parse(sluice::test::read_file(sluice::test::source_dir() +
                                                              "/tests/data/cv/folds.json"))
                       .as_object();
  const boost::json::array* sklearn = nullptr;
  for (const auto& c : ref.at("cases").as_array()) {
    if (c.at("name").as_string() == "stratified, SMS spam labels, 5 folds") {
      sklearn = &c.at("test_folds").as_array();
    }
  }
  REQUIRE(sklearn != nullptr);
  const auto cv = boost::json::parse(sluice::test::read_file(out + "/1/cv.json")).as_object();
  const auto& test_fold = cv.at("test_fold").as_array();
  REQUIRE(test_fold.size() == sklearn->size());
  size_t same = 0;
  for (size_t i = 0; i < test_fold.size(); ++i) {
    same += test_fold[i].as_int64() == (*sklearn)[i].as_int64() + 1 ? 1 : 0;
  }
  CHECK(same == sklearn->size());
}
