// report.json and rejected.jsonl encodings, and a run's report end to end.
#include "engine/exec/report.h"

#include "engine/exec/executor.h"
#include "exec_test_util.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

namespace sluice::test {
namespace {

TEST_CASE("report_to_json writes every field", "[exec]") {
  RunReport r;
  r.pipeline = "p";
  r.status = "failed";
  r.error = "stage 's', node 'n' (op x.y): boom";
  r.failed_stage = "s";
  r.failed_node = "n";
  r.failed_op = "x.y";
  r.wall_seconds = 1.5;
  r.threads = 4;
  r.seed = 18446744073709551615ULL;
  r.run_dir = "/tmp/run";
  StageReport s;
  s.name = "s";
  s.status = "failed";
  s.wall_seconds = 0.25;
  s.nodes.push_back({"n", "x.y", 10, 7, 2, 1, 0.125});
  r.stages.push_back(s);
  r.metrics["n.accuracy"] = 0.5;
  r.metrics["n.nan"] = std::numeric_limits<double>::quiet_NaN();

  boost::json::object o = boost::json::parse(report_to_json(r)).as_object();
  CHECK(o.at("pipeline") == "p");
  CHECK(o.at("status") == "failed");
  CHECK(o.at("error") == "stage 's', node 'n' (op x.y): boom");
  CHECK(o.at("failed_stage") == "s");
  CHECK(o.at("failed_node") == "n");
  CHECK(o.at("failed_op") == "x.y");
  CHECK(o.at("wall_seconds").as_double() == 1.5);
  CHECK(o.at("threads").as_int64() == 4);
  CHECK(o.at("seed").as_uint64() == 18446744073709551615ULL);
  CHECK(o.at("run_dir") == "/tmp/run");
  const boost::json::object& stage = o.at("stages").as_array().at(0).as_object();
  CHECK(stage.at("name") == "s");
  CHECK(stage.at("status") == "failed");
  CHECK(stage.at("wall_seconds").as_double() == 0.25);
  const boost::json::object& node = stage.at("nodes").as_array().at(0).as_object();
  CHECK(node.at("id") == "n");
  CHECK(node.at("op") == "x.y");
  CHECK(node.at("records_in").as_int64() == 10);
  CHECK(node.at("records_out").as_int64() == 7);
  CHECK(node.at("rejected").as_int64() == 2);
  CHECK(node.at("filtered").as_int64() == 1);
  CHECK(node.at("busy_seconds").as_double() == 0.125);
  CHECK(o.at("metrics").at("n.accuracy").as_double() == 0.5);
  CHECK(o.at("metrics").at("n.nan").is_null());
}

TEST_CASE("rejected_to_json writes one line with every field", "[exec]") {
  std::string line = rejected_to_json({"s", "n", "x.y", "src", 12, "bad \"quote\"\n"});
  CHECK(line.find('\n') == std::string::npos);
  boost::json::object o = boost::json::parse(line).as_object();
  CHECK(o.at("stage") == "s");
  CHECK(o.at("node") == "n");
  CHECK(o.at("op") == "x.y");
  CHECK(o.at("source") == "src");
  CHECK(o.at("position").as_int64() == 12);
  CHECK(o.at("reason") == "bad \"quote\"\n");
}

TEST_CASE("a run's report has its stages, nodes and metrics", "[exec]") {
  RunOptions options;
  options.threads = 2;
  options.seed = 99;
  ExecRun run = run_yaml(R"(
sluice: 1
name: reported
stages:
  - name: only
    nodes:
      - {id: src, op: exec.count, params: {count: 20}}
      - {id: order, op: exec.check_order}
)",
                         options);
  const RunReport& r = run.report;
  REQUIRE(r.status == "ok");
  CHECK(r.error.empty());
  CHECK(r.pipeline == "reported");
  CHECK(r.threads == 2);
  CHECK(r.seed == 99);
  CHECK(r.run_dir == run.run_dir);
  REQUIRE(r.stages.size() == 1);
  CHECK(r.stages[0].name == "only");
  REQUIRE(r.stages[0].nodes.size() == 2);
  CHECK(r.stages[0].nodes[0].id == "src");
  CHECK(r.stages[0].nodes[0].op == "exec.count");
  CHECK(r.stages[0].nodes[1].records_in == 20);
  CHECK(r.metrics.at("order.seen") == 20);
  boost::json::object o = boost::json::parse(report_to_json(r)).as_object();
  CHECK(o.at("metrics").at("order.seen").as_double() == 20);
}

}  // namespace
}  // namespace sluice::test
