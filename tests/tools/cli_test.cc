// sluice plugins / inspect / validate / graph, run as subprocesses.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

using sluice::test::run_command;
using sluice::test::shell_quote;

namespace {

std::string sluice_cmd(const std::string& args) {
  return shell_quote(sluice::test::sluice_binary()) + " " + args;
}

std::string cli_plugin_flag() {
  return "--plugin-path " + shell_quote(sluice::test::test_plugin_dir() + "/cli");
}

}  // namespace

TEST_CASE("plugins lists the built-in plugins with version, path and ops", "[cli]") {
  auto r = run_command(sluice_cmd("plugins"));
  REQUIRE(r.exit_code == 0);
  for (const char* plugin : {"io ", "core ", "text "}) CHECK(r.out.find(plugin) != std::string::npos);
  CHECK(r.out.find(sluice::test::plugin_dir()) != std::string::npos);
  CHECK(r.out.find("io.read_jsonl") != std::string::npos);

  auto j = run_command(sluice_cmd("plugins --json " + cli_plugin_flag()));
  REQUIRE(j.exit_code == 0);
  boost::json::array all = boost::json::parse(j.out).as_array();
  bool found_cli = false;
  for (const auto& p : all) {
    if (p.at("name").as_string() == "cli") {
      found_cli = true;
      CHECK(p.at("version").as_string() == "0.0.1");
      CHECK(p.at("ops").as_array().size() == 2);
    }
  }
  CHECK(found_cli);
}

TEST_CASE("inspect prints an op's schema as text and JSON", "[cli]") {
  auto r = run_command(sluice_cmd("inspect cli.shout " + cli_plugin_flag()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Upper-cases ASCII letters") != std::string::npos);
  CHECK(r.out.find("suffix  string  default \"!\"") != std::string::npos);
  // Numbers in the fewest digits that read back the same (not 0.90000000000000002, 0.000000).
  auto fit = run_command(sluice_cmd("inspect train.fit"));
  REQUIRE(fit.exit_code == 0);
  CHECK(fit.out.find("beta1  float  default 0.9  range [0, 1]") != std::string::npos);
  CHECK(fit.out.find("eps  float  default 1e-08  range [0, inf)") != std::string::npos);

  auto j = run_command(sluice_cmd("inspect cli.fail_at --json " + cli_plugin_flag()));
  REQUIRE(j.exit_code == 0);
  boost::json::object op = boost::json::parse(j.out).as_object();
  CHECK(op.at("name").as_string() == "cli.fail_at");
  const auto& param = op.at("params").as_array().at(0).as_object();
  CHECK(param.at("name").as_string() == "position");
  CHECK(param.at("required").as_bool());
  CHECK(param.at("min").as_double() == 0.0);
}

TEST_CASE("inspect of an unknown op exits 2 with a suggestion", "[cli]") {
  auto r = run_command(sluice_cmd("inspect io.read_jsnl"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("did you mean 'io.read_jsonl'?") != std::string::npos);
}

TEST_CASE("validate reports every error as FILE:LINE:COL and exits 2", "[cli]") {
  std::string dir = sluice::test::temp_dir();
  std::string file = dir + "/bad.yaml";
  sluice::test::write_file(file,
                           "sluice: 1\n"
                           "name: bad\n"
                           "stages:\n"
                           "  - name: s\n"
                           "    nodes:\n"
                           "      - {id: read, op: io.read_jsonl, params: {path: in.jsonl}}\n"
                           "      - {id: up, op: cli.shoutt}\n"
                           "      - {id: f, op: cli.fail_at, params: {positon: 3}}\n");
  auto r = run_command(sluice_cmd("validate " + shell_quote(file) + " " + cli_plugin_flag()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(file + ":7:") != std::string::npos);
  CHECK(r.err.find("did you mean 'cli.shout'?") != std::string::npos);
  CHECK(r.err.find(file + ":8:") != std::string::npos);
  CHECK(r.err.find("did you mean 'position'?") != std::string::npos);
}

TEST_CASE("validate accepts a good pipeline and graph prints DOT", "[cli]") {
  std::string file = sluice::test::source_dir() + "/pipelines/sms_spam.yaml";
  auto v = run_command(sluice_cmd("validate " + shell_quote(file)));
  INFO(v.err);
  CHECK(v.exit_code == 0);
  auto g = run_command(sluice_cmd("graph " + shell_quote(file)));
  REQUIRE(g.exit_code == 0);
  CHECK(g.out.rfind("digraph", 0) == 0);
  CHECK(g.out.find("->") != std::string::npos);
}

TEST_CASE("usage errors exit 2", "[cli]") {
  CHECK(run_command(sluice_cmd("")).exit_code == 2);
  CHECK(run_command(sluice_cmd("frobnicate")).exit_code == 2);
  CHECK(run_command(sluice_cmd("run")).exit_code == 2);
  CHECK(run_command(sluice_cmd("run /nonexistent/p.yaml")).exit_code == 2);
}

TEST_CASE("schema prints a JSON Schema with every op and its params", "[cli]") {
  auto r = run_command(sluice_cmd("schema " + cli_plugin_flag()));
  REQUIRE(r.exit_code == 0);
  auto schema = boost::json::parse(r.out).as_object();
  const auto& node = schema.at("$defs").at("node").as_object();
  const auto& ops = node.at("properties").at("op").at("enum").as_array();
  CHECK(std::find(ops.begin(), ops.end(), boost::json::value("cli.shout")) != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), boost::json::value("io.read_jsonl")) != ops.end());
  bool fail_at_requires_position = false;
  for (const auto& rule : node.at("allOf").as_array()) {
    if (rule.at("if").at("properties").at("op").at("const").as_string() != "cli.fail_at") continue;
    const auto& required = rule.at("then").at("properties").at("params").at("required").as_array();
    fail_at_requires_position = required.size() == 1 && required[0].as_string() == "position";
  }
  CHECK(fail_at_requires_position);
}
