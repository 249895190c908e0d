// Per-node accounting: in = out + rejected + filtered (REGROUP ops exempt), finish called once per
// node and its records passed on, busy time measured, metrics collected; packet sizes.
#include "engine/exec/node_step.h"
#include "exec_test_util.h"

#include <catch2/catch.hpp>

namespace sluice::test {
namespace {

TEST_CASE("filtered records are counted, regrouping ops are exempt", "[exec]") {
  const char* yaml = R"(
sluice: 1
name: counts
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 100}}
      - {id: even, op: exec.drop_odd}
      - {id: split, op: exec.split, params: {n: 3}}
      - {id: batch, op: exec.batch, params: {size: 4}}
      - {id: none, op: exec.split, params: {n: 0}, from: src}
      - {id: none_out, op: exec.write}
      - {id: out, op: exec.write, from: batch, params: {path: out.jsonl}}
)";
  for (int threads : {1, 3}) {
    RunOptions options;
    options.threads = threads;
    ExecRun run = run_yaml(yaml, options);
    INFO(run.report.error);
    REQUIRE(run.report.status == "ok");
    const NodeReport& src = node_report(run.report, "src");
    CHECK(src.records_in == 100);
    CHECK(src.records_out == 100);
    const NodeReport& even = node_report(run.report, "even");
    CHECK(even.records_in == 100);
    CHECK(even.records_out == 50);
    CHECK(even.filtered == 50);
    const NodeReport& split = node_report(run.report, "split");
    CHECK(split.records_in == 50);
    CHECK(split.records_out == 150);
    CHECK(split.filtered == 0);
    const NodeReport& batch = node_report(run.report, "batch");
    CHECK(batch.records_in == 150);
    CHECK(batch.records_out == 38);  // 37 full batches, and 2 records at finish
    CHECK(batch.filtered == 0);
    const NodeReport& none = node_report(run.report, "none");
    CHECK(none.records_in == 100);
    CHECK(none.records_out == 0);
    CHECK(none.filtered == 0);
    CHECK(node_report(run.report, "none_out").records_in == 0);
    CHECK(node_report(run.report, "out").records_in == 38);
    check_balance(run.report, {"split", "batch", "none"});
    auto lines = read_lines(run.run_dir + "/out.jsonl");
    REQUIRE(lines.size() == 38);
    CHECK(json_of(lines[0]) == json_of(R"({"i":0,"count":4})"));
    CHECK(json_of(lines[37]) == json_of(R"({"i":98,"count":2})"));  // the record emitted by finish
    for (const char* node : {"src", "even", "split", "batch", "none", "none_out", "out"}) {
      INFO(node);
      CHECK(run.report.metrics.at(std::string(node) + ".finish_calls") == 1);
      CHECK(run.report.metrics.at(std::string(node) + ".destroyed") == 1);
    }
  }
}

TEST_CASE("busy time is measured per node", "[exec]") {
  const char* yaml = R"(
sluice: 1
name: busy
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 50}}
      - {id: slow, op: exec.jitter, params: {min_us: 1000, max_us: 1000}}
      - {id: out, op: exec.write}
)";
  RunOptions options;
  options.threads = 2;
  ExecRun run = run_yaml(yaml, options);
  REQUIRE(run.report.status == "ok");
  const NodeReport& slow = node_report(run.report, "slow");
  CHECK(slow.busy_seconds >= 0.05);  // 50 sleeps of 1 ms
  CHECK(node_report(run.report, "out").busy_seconds < slow.busy_seconds);
  CHECK(run.report.stages[0].wall_seconds > 0);
  CHECK(run.report.wall_seconds >= run.report.stages[0].wall_seconds);
}

}  // namespace
}  // namespace sluice::test

namespace sluice::test {
namespace {

TEST_CASE("a short stream is cut into at least 4 packets per thread", "[exec]") {
  CHECK(packet_records(100, 2) == 12);
  CHECK(packet_records(3, 4) == 1);
  CHECK(packet_records(1'000'000, 2) == kMaxPacketRecords);
  CHECK(packet_records(-1, 8) == kMaxPacketRecords);  // size unknown
}

}  // namespace
}  // namespace sluice::test
