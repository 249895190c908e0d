// sluice run: the run directory, report.json, rejected.jsonl, --set, exit codes, determinism.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>

using sluice::test::read_file;
using sluice::test::run_command;
using sluice::test::shell_quote;
using sluice::test::write_file;

namespace {

// A pipeline: read in.jsonl -> cli.shout -> [cli.fail_at] -> write out.jsonl.
std::string pipeline(const std::string& dir, const std::string& on_error, bool fail) {
  std::string text =
      "sluice: 1\n"
      "name: shout\n"
      "on_error: " + on_error + "\n"
      "params: {suffix: '!'}\n"
      "stages:\n"
      "  - name: main\n"
      "    nodes:\n"
      "      - {id: read, op: io.read_jsonl, params: {path: " + dir + "/in.jsonl}}\n"
      "      - {id: shout, op: cli.shout, params: {suffix: '${suffix}'}}\n";
  if (fail) text += "      - {id: boom, op: cli.fail_at, params: {position: 3}}\n";
  text += "      - {id: write, op: io.write_jsonl, params: {path: out.jsonl}}\n";
  std::string file = dir + "/p.yaml";
  write_file(file, text);
  return file;
}

std::string run(const std::string& file, const std::string& out, const std::string& extra = "") {
  return shell_quote(sluice::test::sluice_binary()) + " run " + shell_quote(file) +
         " --progress none --plugin-path " +
         shell_quote(sluice::test::test_plugin_dir() + "/cli") + " --out " + shell_quote(out) +
         " " + extra;
}

void write_input(const std::string& dir, int n, int bad_every) {
  std::string text;
  for (int i = 1; i <= n; ++i) {
    if (bad_every && i % bad_every == 0) {
      text += "{\"text\": " + std::to_string(i) + "}\n";
    } else {
      text += "{\"text\": \"line " + std::to_string(i) + "\"}\n";
    }
  }
  write_file(dir + "/in.jsonl", text);
}

boost::json::object node_report(const boost::json::object& report, const std::string& id) {
  for (const auto& stage : report.at("stages").as_array()) {
    for (const auto& node : stage.at("nodes").as_array()) {
      if (node.at("id").as_string() == id) return node.as_object();
    }
  }
  FAIL("no node " << id << " in report");
  return {};
}

}  // namespace

TEST_CASE("run writes the run directory: outputs, resolved pipeline, report", "[cli][run]") {
  std::string dir = sluice::test::temp_dir();
  write_input(dir, 100, 0);
  std::string out = dir + "/run";
  auto r = run_command(run(pipeline(dir, "fail", false), out, "--set suffix=?? --threads 2"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string written = read_file(out + "/out.jsonl");
  CHECK(written.find("{\"text\":\"LINE 1??\"}") == 0);
  std::string resolved = read_file(out + "/pipeline.resolved.yaml");
  CHECK(resolved.find("??") != std::string::npos);
  auto report = boost::json::parse(read_file(out + "/report.json")).as_object();
  CHECK(report.at("status").as_string() == "ok");
  CHECK(report.at("threads").as_int64() == 2);
  CHECK(report.at("wall_seconds").as_double() >= 0.0);
  auto shout = node_report(report, "shout");
  CHECK(shout.at("records_in").as_int64() == 100);
  CHECK(shout.at("records_out").as_int64() == 100);
  CHECK(shout.at("rejected").as_int64() == 0);
  CHECK(shout.contains("busy_seconds"));
  CHECK(report.contains("metrics"));
  CHECK_FALSE(std::filesystem::exists(out + "/rejected.jsonl"));
}

TEST_CASE("run with on_error skip writes rejected.jsonl and keeps the counts", "[cli][run]") {
  std::string dir = sluice::test::temp_dir();
  write_input(dir, 50, 10);
  std::string out = dir + "/run";
  auto r = run_command(run(pipeline(dir, "skip", false), out));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto report = boost::json::parse(read_file(out + "/report.json")).as_object();
  auto shout = node_report(report, "shout");
  CHECK(shout.at("records_in").as_int64() == 50);
  CHECK(shout.at("records_out").as_int64() == 45);
  CHECK(shout.at("rejected").as_int64() == 5);
  std::string rejected = read_file(out + "/rejected.jsonl");
  auto first = boost::json::parse(rejected.substr(0, rejected.find('\n'))).as_object();
  CHECK(first.at("node").as_string() == "shout");
  CHECK(first.at("op").as_string() == "cli.shout");
  CHECK(first.at("position").as_int64() == 10);
  CHECK(std::string(first.at("reason").as_string()).find("expected string") != std::string::npos);
}

TEST_CASE("a failing node fails the run with exit 1 and names the node", "[cli][run]") {
  std::string dir = sluice::test::temp_dir();
  write_input(dir, 20, 0);
  std::string out = dir + "/run";
  auto r = run_command(run(pipeline(dir, "fail", true), out));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("boom") != std::string::npos);
  auto report = boost::json::parse(read_file(out + "/report.json")).as_object();
  CHECK(report.at("status").as_string() == "failed");
  CHECK(report.at("failed_node").as_string() == "boom");
  CHECK(report.at("failed_op").as_string() == "cli.fail_at");
  CHECK(std::string(report.at("error").as_string()).find("planned failure at position 3") !=
        std::string::npos);
}

TEST_CASE("outputs are byte-identical with 1 and 2 threads", "[cli][run]") {
  std::string dir = sluice::test::temp_dir();
  write_input(dir, 5000, 7);
  std::string file = pipeline(dir, "skip", false);
  REQUIRE(run_command(run(file, dir + "/t1", "--threads 1")).exit_code == 0);
  REQUIRE(run_command(run(file, dir + "/t2", "--threads 2")).exit_code == 0);
  CHECK(read_file(dir + "/t1/out.jsonl") == read_file(dir + "/t2/out.jsonl"));
  CHECK(read_file(dir + "/t1/rejected.jsonl") == read_file(dir + "/t2/rejected.jsonl"));
}
