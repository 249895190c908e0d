// Builds the example plugin in sdk/examples/text_stats out of tree against the *installed* SDK
// (find_package(Sluice)), then runs it in a pipeline with --plugin-path.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>

using sluice::test::run_command;
using sluice::test::shell_quote;

TEST_CASE("an out-of-tree plugin builds against the installed SDK and runs",
          "[integration][sdk][slow]") {
  std::string dir = sluice::test::temp_dir();
  std::string prefix = dir + "/prefix", build = dir + "/build";
  auto install = run_command("cmake --install " + shell_quote(sluice::test::build_dir()) +
                             " --prefix " + shell_quote(prefix));
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);

  std::string example = sluice::test::source_dir() + "/sdk/examples/text_stats";
  auto configure = run_command("cmake -S " + shell_quote(example) + " -B " + shell_quote(build) +
                               " -DCMAKE_PREFIX_PATH=" + shell_quote(prefix));
  INFO(configure.out << configure.err);
  REQUIRE(configure.exit_code == 0);
  auto compile = run_command("cmake --build " + shell_quote(build));
  INFO(compile.out << compile.err);
  REQUIRE(compile.exit_code == 0);

  std::string input = dir + "/in.txt";
  sluice::test::write_file(input, "one two three\nfour\nfive six seven eight\n");
  std::string out = dir + "/run";
  auto run = run_command(shell_quote(prefix + "/bin/sluice") + " run " +
                         shell_quote(example + "/pipeline.yaml") + " --plugin-path " +
                         shell_quote(build) + " --set input=" + shell_quote(input) +
                         " --progress none --out " + shell_quote(out));
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
