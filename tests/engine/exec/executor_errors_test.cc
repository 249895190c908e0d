// Errors: a failing node cancels the run quickly and is reported; under on_error: skip records are
// rejected to rejected.jsonl (or the on_reject callback) and the run goes on; a throwing op is an
// error, not a crash; destroy runs for every created op.
#include "exec_test_util.h"

#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace sluice::test {
namespace {

TEST_CASE("a failing node stops the run quickly and is reported", "[exec]") {
  const char* yaml = R"(
sluice: 1
name: fails
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 10000000}}
      - {id: fail, op: exec.fail_at, params: {at: 1000, code: internal}}
      - {id: order, op: exec.check_order}
      - {id: out, op: exec.write, params: {path: out.jsonl}}
  - name: later
    nodes:
      - {id: later_src, op: exec.count}
)";
  for (int threads : {1, 4}) {
    RunOptions options;
    options.threads = threads;
    ExecRun run = run_yaml(yaml, options);
    const RunReport& r = run.report;
    CHECK(r.status == "failed");
    CHECK(r.error == "stage 'main', node 'fail' (op exec.fail_at): planned failure at i=1000");
    CHECK(r.failed_stage == "main");
    CHECK(r.failed_node == "fail");
    CHECK(r.failed_op == "exec.fail_at");
    CHECK(r.stages[0].status == "failed");
    CHECK(r.stages[1].status == "not_run");
    CHECK(r.metrics.at("src.produced") < 100000);
    for (const char* node : {"src", "fail", "order", "out"}) {
      INFO(node);
      CHECK(r.metrics.at(std::string(node) + ".destroyed") == 1);
      CHECK(r.metrics.at(std::string(node) + ".finish_calls") == 0);
    }
    CHECK(r.metrics.count("later_src.destroyed") == 0);
    CHECK(r.metrics.at("order.seen") <= 1000);
    CHECK(read_lines(run.run_dir + "/out.jsonl").size() <= 1000);
  }
}

TEST_CASE("a throwing op is an error, not a crash", "[exec]") {
  const char* yaml = R"(
sluice: 1
name: throws
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 100}}
      - {id: boom, op: exec.throw_at, params: {at: 5}}
      - {id: out, op: exec.write}
)";
  ExecRun run = run_yaml(yaml);
  CHECK(run.report.status == "failed");
  CHECK(run.report.failed_node == "boom");
  CHECK(run.report.error.find("stage 'main', node 'boom' (op exec.throw_at): ") == 0);
  CHECK(run.report.error.find("planned exception at i=5") != std::string::npos);
  CHECK(run.report.metrics.at("boom.destroyed") == 1);
}

TEST_CASE("on_error: skip rejects bad records to rejected.jsonl and goes on", "[exec]") {
  const char* yaml = R"(
sluice: 1
name: skips
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 100}}
      - {id: fail, op: exec.fail_at, params: {at: 3, every: 10}, on_error: skip}
      - {id: out, op: exec.write, params: {path: out.jsonl}}
)";
  RunOptions options;
  options.threads = 3;
  ExecRun run = run_yaml(yaml, options);
  INFO(run.report.error);
  REQUIRE(run.report.status == "ok");
  const NodeReport& fail = node_report(run.report, "fail");
  CHECK(fail.records_in == 100);
  CHECK(fail.records_out == 90);
  CHECK(fail.rejected == 10);
  CHECK(fail.filtered == 0);
  check_balance(run.report);
  CHECK(read_lines(run.run_dir + "/out.jsonl").size() == 90);

  std::vector<std::string> lines = read_lines(run.run_dir + "/rejected.jsonl");
  REQUIRE(lines.size() == 10);
  std::vector<int64_t> positions;
  for (const std::string& line : lines) {
    boost::json::object o = boost::json::parse(line).as_object();
    CHECK(o.at("stage") == "main");
    CHECK(o.at("node") == "fail");
    CHECK(o.at("op") == "exec.fail_at");
    CHECK(o.at("source") == "src");
    int64_t position = o.at("position").as_int64();
    CHECK(o.at("reason").as_string() == "planned failure at i=" + std::to_string(position));
    positions.push_back(position);
  }
  std::sort(positions.begin(), positions.end());
  CHECK(positions == std::vector<int64_t>{3, 13, 23, 33, 43, 53, 63, 73, 83, 93});
}

TEST_CASE("a clean run writes no rejected.jsonl", "[exec]") {
  ExecRun run = run_yaml(R"(
sluice: 1
name: clean
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count}
      - {id: out, op: exec.write}
)");
  REQUIRE(run.report.status == "ok");
  CHECK(read_lines(run.run_dir + "/rejected.jsonl").empty());
}

TEST_CASE("sources reject bad input records under skip and fail under fail", "[exec]") {
  std::string yaml = R"(
sluice: 1
name: bad-input
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 100, per_call: 4, bad_every: 10}, on_error: ON}
      - {id: out, op: exec.write, params: {path: out.jsonl}}
)";
  SECTION("skip") {
    std::vector<RejectedRecord> rejected;
    RunOptions options;
    options.on_reject = [&](const RejectedRecord& r) { rejected.push_back(r); };
    ExecRun run = run_yaml(yaml.replace(yaml.find("ON"), 2, "skip"), options);
    INFO(run.report.error);
    REQUIRE(run.report.status == "ok");
    const NodeReport& src = node_report(run.report, "src");
    CHECK(src.records_in == 100);
    CHECK(src.records_out == 90);
    CHECK(src.rejected == 10);
    REQUIRE(rejected.size() == 10);
    CHECK(rejected[0].node == "src");
    CHECK(rejected[0].source == "src");
    CHECK(rejected[0].position == 9);
    CHECK(rejected[0].reason == "input:9: planned bad input");
    CHECK(rejected[9].position == 99);
    CHECK(read_lines(run.run_dir + "/out.jsonl").size() == 90);
    CHECK(read_lines(run.run_dir + "/rejected.jsonl").empty());  // the callback took them
  }
  SECTION("fail") {
    ExecRun run = run_yaml(yaml.replace(yaml.find("ON"), 2, "fail"));
    CHECK(run.report.status == "failed");
    CHECK(run.report.error ==
          "stage 'main', node 'src' (op exec.count): input:9: planned bad input");
  }
}

TEST_CASE("a failing create stops the stage, and destroy runs for the ops created", "[exec]") {
  ExecRun run = run_yaml(R"(
sluice: 1
name: create-fails
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count}
      - {id: out, op: exec.write, params: {path: no/such/dir/out.jsonl}}
      - {id: after, op: exec.write}
)");
  CHECK(run.report.status == "failed");
  CHECK(run.report.failed_node == "out");
  CHECK(run.report.error.find("stage 'main', node 'out' (op exec.write): create: cannot open ") ==
        0);
  CHECK(run.report.metrics.at("src.destroyed") == 1);
  CHECK(run.report.metrics.at("src.finish_calls") == 0);
  CHECK(run.report.metrics.count("after.destroyed") == 0);  // never created
}

}  // namespace
}  // namespace sluice::test
