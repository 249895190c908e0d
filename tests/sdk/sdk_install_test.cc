// Builds the example plugins in sdk/examples out of tree against the *installed* SDK
// (find_package(Sluice)), then runs each in a pipeline with --plugin-path: text_stats (an op) and
// custom_layer (a layer type in a model that is trained and evaluated).
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <sstream>

using sluice::test::run_command;
using sluice::test::shell_quote;

namespace {

// The prefix sluice is installed into, once per process.
const std::string& install_prefix() {
  static const std::string prefix = [] {
    std::string dir = sluice::test::temp_dir() + "/prefix";
    auto install = run_command("cmake --install " + shell_quote(sluice::test::build_dir()) +
                               " --prefix " + shell_quote(dir));
    INFO(install.out << install.err);
    REQUIRE(install.exit_code == 0);
    return dir;
  }();
  return prefix;
}

// Configures and builds sdk/examples/<name> against the installed SDK; returns its build dir.
std::string build_example(const std::string& name) {
  std::string build = sluice::test::temp_dir() + "/build";
  std::string example = sluice::test::source_dir() + "/sdk/examples/" + name;
  auto configure = run_command("cmake -S " + shell_quote(example) + " -B " + shell_quote(build) +
                               " -DCMAKE_PREFIX_PATH=" + shell_quote(install_prefix()));
  INFO(configure.out << configure.err);
  REQUIRE(configure.exit_code == 0);
  auto compile = run_command("cmake --build " + shell_quote(build));
  INFO(compile.out << compile.err);
  REQUIRE(compile.exit_code == 0);
  return build;
}

// `sluice run` of sdk/examples/<name>/pipeline.yaml with the plugins of `build`.
sluice::test::CommandResult run_example(const std::string& name, const std::string& build,
                                        const std::string& out, const std::string& extra) {
  return run_command(
      shell_quote(install_prefix() + "/bin/sluice") + " run " +
      shell_quote(sluice::test::source_dir() + "/sdk/examples/" + name + "/pipeline.yaml") +
      " --plugin-path " + shell_quote(build) + " --progress none --out " + shell_quote(out) + " " +
      extra);
}

}  // namespace

TEST_CASE("an out-of-tree plugin builds against the installed SDK and runs",
          "[integration][sdk][slow]") {
  std::string build = build_example("text_stats");
  std::string dir = sluice::test::temp_dir();
  std::string input = dir + "/in.txt";
  sluice::test::write_file(input, "one two three\nfour\nfive six seven eight\n");
  std::string out = dir + "/run";
  auto run = run_example("text_stats", build, out, "--set input=" + shell_quote(input));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::istringstream lines(sluice::test::read_file(out + "/stats.jsonl"));
  std::string line;
  REQUIRE(std::getline(lines, line));
  auto first = boost::json::parse(line).as_object();
  CHECK(first.at("words").as_int64() == 3);
  CHECK(first.at("chars").as_int64() == 13);
  REQUIRE(std::getline(lines, line));  // "four" has 1 word < min_words 3: filtered out
  auto second = boost::json::parse(line).as_object();
  CHECK(second.at("words").as_int64() == 4);
  CHECK_FALSE(std::getline(lines, line));
}

TEST_CASE("an out-of-tree layer type trains in a model and its parameter is saved",
          "[integration][sdk][slow][layer]") {
  std::string build = build_example("custom_layer");
  std::string out = sluice::test::temp_dir() + "/run";
  auto run = run_example("custom_layer", build, out, "--set epochs=1");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  auto report = boost::json::parse(sluice::test::read_file(out + "/report.json")).as_object();
  const auto& metrics = report.at("metrics").as_object();
  INFO(boost::json::serialize(metrics));
  CHECK(metrics.at("fit.loss_mean").to_number<double>() < 0.69);  // below chance: ln 2
  CHECK(metrics.at("evaluate.accuracy").to_number<double>() > 0.9);

  const std::string weights = sluice::test::read_file(out + "/model.safetensors");
  uint64_t header_size = 0;
  REQUIRE(weights.size() > 8);
  std::memcpy(&header_size, weights.data(), 8);
  auto header = boost::json::parse(weights.substr(8, header_size)).as_object();
  REQUIRE(header.contains("2.beta"));
  CHECK(header.at("2.beta").at("shape").as_array() == boost::json::array{32});
}
