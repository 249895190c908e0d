// sluice apply: a chain of ops over JSON lines on stdin, as a user runs it from the shell.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

using sluice::test::run_command;
using sluice::test::shell_quote;

namespace {

std::string apply(const std::string& chain) {
  return shell_quote(sluice::test::sluice_binary()) + " apply --plugin-path " +
         shell_quote(sluice::test::test_plugin_dir() + "/cli") + " " + chain;
}

std::vector<boost::json::value> json_lines(const std::string& text) {
  std::vector<boost::json::value> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(boost::json::parse(line));
  }
  return out;
}

}  // namespace

TEST_CASE("apply runs a chain and passes other fields through unchanged", "[cli][apply]") {
  std::string input =
      "{\"text\": \"hi\", \"ids\": {\"dtype\": \"int32\", \"shape\": [2], \"data\": [15496, 995]},"
      " \"raw\": {\"base64\": \"AAEC/w==\"}, \"n\": 3, \"x\": 0.5, \"ok\": true}\n"
      "{\"text\": \"yo\"}\n";
  auto r = run_command(apply("cli.shout suffix=? ! cli.shout"), input);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto out = json_lines(r.out);
  REQUIRE(out.size() == 2);
  const auto& first = out[0].as_object();
  CHECK(first.at("text").as_string() == "HI?!");
  CHECK(first.at("ids").at("dtype").as_string() == "int32");
  CHECK(first.at("ids").at("data").as_array() == boost::json::array{15496, 995});
  CHECK(first.at("raw").at("base64").as_string() == "AAEC/w==");
  CHECK(first.at("n").as_int64() == 3);
  CHECK(first.at("x").as_double() == 0.5);
  CHECK(first.at("ok").as_bool());
  CHECK(out[1].at("text").as_string() == "YO?!");
}

TEST_CASE("apply writes a rejected record to stderr and goes on", "[cli][apply]") {
  auto r = run_command(apply("cli.shout"), "{\"text\": \"a\"}\n{\"text\": 5}\n{\"text\": \"c\"}\n");
  REQUIRE(r.exit_code == 0);
  auto out = json_lines(r.out);
  REQUIRE(out.size() == 2);
  CHECK(out[1].at("text").as_string() == "C!");
  auto rejected = json_lines(r.err);
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].at("line").as_int64() == 2);
  CHECK(rejected[0].at("op").as_string() == "cli.shout");
  std::string reason(rejected[0].at("reason").as_string());
  CHECK(reason.find("expected string, found int") != std::string::npos);
}

TEST_CASE("apply rejects a malformed JSON line with its line number", "[cli][apply]") {
  auto r = run_command(apply("cli.shout"), "{\"text\": \"a\"}\n{\"text\": \n{\"text\": \"c\"}\n");
  REQUIRE(r.exit_code == 0);
  CHECK(json_lines(r.out).size() == 2);
  auto rejected = json_lines(r.err);
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].at("line").as_int64() == 2);
  CHECK(rejected[0].at("op").as_string() == "io.read_jsonl");
}

TEST_CASE("apply reads KEY=VALUE as YAML and checks it against the schema", "[cli][apply]") {
  auto r = run_command(apply("cli.shout suffix=[1,2]"), "{\"text\": \"a\"}\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("suffix") != std::string::npos);
  CHECK(r.err.find("expected") != std::string::npos);

  auto unknown = run_command(apply("cli.shot"), "");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("did you mean 'cli.shout'?") != std::string::npos);

  auto dangling = run_command(apply("cli.shout !"), "");
  CHECK(dangling.exit_code == 2);
}
