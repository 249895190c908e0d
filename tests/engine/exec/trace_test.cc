// --trace: a Chrome trace JSON with one complete event per node and packet, capped.
#include "engine/exec/trace.h"

#include "exec_test_util.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <set>
#include <string>

namespace sluice::test {
namespace {

TEST_CASE("a run writes a valid Chrome trace", "[exec]") {
  RunOptions options;
  options.threads = 2;
  options.trace_path = temp_dir() + "/trace.json";
  ExecRun run = run_yaml(R"(
sluice: 1
name: traced
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: 500}}
      - {id: jitter, op: exec.jitter, params: {max_us: 5}}
      - {id: out, op: exec.write}
)",
                         options);
  REQUIRE(run.report.status == "ok");
  boost::json::object trace = boost::json::parse(read_file(options.trace_path)).as_object();
  std::set<std::string> names;
  int complete = 0;
  for (const boost::json::value& v : trace.at("traceEvents").as_array()) {
    const boost::json::object& e = v.as_object();
    if (e.at("ph") == "M") continue;
    CHECK(e.at("ph") == "X");
    CHECK(e.at("cat") == "main");
    CHECK(e.at("pid").as_int64() == 1);
    CHECK(e.at("tid").as_int64() >= 0);
    CHECK(e.at("ts").to_number<double>() >= 0);
    CHECK(e.at("dur").to_number<double>() >= 0);
    names.insert(std::string(e.at("name").as_string()));
    ++complete;
  }
  CHECK(names == std::set<std::string>{"src", "jitter", "out"});
  CHECK(complete >= 3);
  CHECK(trace.at("otherData").at("capped") == false);
}

TEST_CASE("the trace keeps at most max_events events and says so", "[exec]") {
  TraceRecorder trace(true, 5);
  int id = trace.add_name("no\"de", "stage\\");
  auto now = TraceRecorder::Clock::now();
  for (int i = 0; i < 12; ++i) trace.record(id, now, now + std::chrono::microseconds(i));
  std::string path = temp_dir() + "/trace.json";
  REQUIRE(trace.write(path).ok());
  boost::json::object o = boost::json::parse(read_file(path)).as_object();
  int complete = 0;
  for (const boost::json::value& v : o.at("traceEvents").as_array()) {
    if (v.as_object().at("ph") != "X") continue;
    CHECK(v.as_object().at("name") == "no\"de");
    CHECK(v.as_object().at("cat") == "stage\\");
    ++complete;
  }
  CHECK(complete == 5);
  CHECK(o.at("otherData").at("capped") == true);
  CHECK(o.at("otherData").at("dropped_events").as_int64() == 7);
}

TEST_CASE("a disabled trace records nothing", "[exec]") {
  TraceRecorder trace(false);
  CHECK_FALSE(trace.enabled());
  trace.record(trace.add_name("n", "s"), TraceRecorder::Clock::now(), TraceRecorder::Clock::now());
  std::string path = temp_dir() + "/trace.json";
  REQUIRE(trace.write(path).ok());
  boost::json::object o = boost::json::parse(read_file(path)).as_object();
  CHECK(o.at("traceEvents").as_array().empty());
}

TEST_CASE("an unwritable trace path is an error naming it", "[exec]") {
  TraceRecorder trace(true);
  Status s = trace.write("/nonexistent-dir/trace.json");
  CHECK(s.code() == SLUICE_IO_ERROR);
  CHECK(s.message().find("cannot open trace file /nonexistent-dir/trace.json for writing: ") == 0);
}

}  // namespace
}  // namespace sluice::test
