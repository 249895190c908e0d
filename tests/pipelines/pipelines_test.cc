// Every file under pipelines/ validates and runs to completion with the built plugins; the
// example SMS spam pipeline is checked for what it promises (both splits encoded and written).
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using sluice::test::run_command;
using sluice::test::shell_quote;

namespace {

std::string sluice_cmd(const std::string& args) {
  return shell_quote(sluice::test::sluice_binary()) + " " + args;
}

boost::json::object run_pipeline(const std::string& file, const std::string& out) {
  auto r = run_command(sluice_cmd("run " + shell_quote(file) + " --progress log --out " +
                                  shell_quote(out)));
  INFO(file << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return boost::json::parse(sluice::test::read_file(out + "/report.json")).as_object();
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
      auto report = run_pipeline(file, sluice::test::temp_dir() + "/run");
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

TEST_CASE("the text classifiers reach their targets on the held-out splits",
          "[integration][pipelines]") {
  struct Target {
    const char* file;
    const char* metric;
    double at_least;
  };
  for (const Target& t : {Target{"sms_spam_classifier.yaml", "evaluate.macro_f1", 0.95},
                          Target{"sentence_polarity_classifier.yaml", "evaluate.accuracy", 0.74}}) {
    SECTION(t.file) {
      auto report = run_pipeline(sluice::test::source_dir() + "/pipelines/" + t.file,
                                 sluice::test::temp_dir() + "/run");
      const double value = report.at("metrics").at(t.metric).to_number<double>();
      INFO(t.metric << " = " << value);
      CHECK(value >= t.at_least);
      CHECK(report.at("metrics").at("fit.loss").to_number<double>() <
            report.at("metrics").at("fit.loss_mean").to_number<double>());
    }
  }
}
