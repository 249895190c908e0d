// Bounded memory: with a slow consumer, the tensor bytes alive at once do not grow with the
// number of records. The consumer is slow enough that the source always waits on the limiter, and
// there are more threads than packets in flight, so the source makes its next packet as soon as a
// slot frees: both runs reach the same steady state, max_in_flight packets of 16 records (1 MiB)
// in the graph and one more made ahead.
#include "exec_test_util.h"

#include "engine/runtime/tensor.h"

#include <catch2/catch.hpp>

#include <string>

namespace sluice::test {
namespace {

int64_t peak_bytes(int64_t count) {
  std::string yaml = R"(
sluice: 1
name: backpressure
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: )" +
                     std::to_string(count) + R"(, tensor_bytes: 65536}}
      - {id: slow, op: exec.jitter, params: {min_us: 100, max_us: 200}}
      - {id: out, op: exec.write}
)";
  RunOptions options;
  options.threads = 8;
  options.max_in_flight = 4;
  const int64_t before = tensor_stats().live_bytes;
  reset_tensor_peak();
  ExecRun run = run_yaml(yaml, options);
  INFO(run.report.error);
  REQUIRE(run.report.status == "ok");
  REQUIRE(node_report(run.report, "out").records_in == count);
  return tensor_stats().peak_bytes - before;
}

TEST_CASE("in-flight memory stays bounded when the consumer is slow", "[exec]") {
  int64_t small = peak_bytes(1200);
  int64_t large = peak_bytes(12000);
  INFO("peak bytes: " << small << " for 1200 records, " << large << " for 12000");
  CHECK(large <= small + small / 10);
  CHECK(large <= (4 + 2) * (int64_t{1} << 20));
}

}  // namespace
}  // namespace sluice::test
