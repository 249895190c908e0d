// Bounded memory: with a slow consumer, the tensor bytes alive at once do not grow with the
// number of records. The consumer is the slowest there is: a sink that takes record i only once
// the source has emitted record i + wait_ahead, as far ahead as the executor lets it go (the
// sink's packet and max_in_flight - 1 more). So both runs reach the same steady state whatever the
// machine's speed, max_in_flight packets alive (one more at the start, when the source makes a
// packet before the limiter first says no); were the source not held back, the larger run would
// hold ten times the memory, and were it held back more, the sink would wait in vain.
#include "engine/exec/node_step.h"
#include "engine/runtime/tensor.h"
#include "exec_test_util.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace sluice::test {
namespace {

// Enough packets in flight that the one made at the start is within the 10% allowed.
constexpr int64_t kMaxInFlight = 16;
constexpr int64_t kTensorBytes = 4096;
constexpr int64_t kPacketRecords =
    std::min<int64_t>(kMaxPacketRecords, (kMaxPacketBytes + kTensorBytes - 1) / kTensorBytes);
constexpr int64_t kPacketBytes = kPacketRecords * kTensorBytes;

int64_t peak_bytes(int64_t packets) {
  std::string yaml = R"(
sluice: 1
name: backpressure
resources:
  progress: {type: exec.progress}
stages:
  - name: main
    nodes:
      - {id: src, op: exec.count, params: {count: )" +
                     std::to_string(packets * kPacketRecords) +
                     ", tensor_bytes: " + std::to_string(kTensorBytes) + R"(, progress: progress}}
      - {id: out, op: exec.write, params: {progress: progress, wait_ahead: )" +
                     std::to_string((kMaxInFlight - 1) * kPacketRecords) + R"(}}
)";
  RunOptions options;
  options.threads = 4;
  options.max_in_flight = static_cast<int>(kMaxInFlight);
  const int64_t before = tensor_stats().live_bytes;
  reset_tensor_peak();
  ExecRun run = run_yaml(yaml, options);
  INFO(run.report.error);
  REQUIRE(run.report.status == "ok");
  REQUIRE(node_report(run.report, "out").records_in == packets * kPacketRecords);
  return tensor_stats().peak_bytes - before;
}

TEST_CASE("in-flight memory stays bounded when the consumer is slow", "[exec]") {
  int64_t small = peak_bytes(40);
  int64_t large = peak_bytes(400);
  INFO("peak bytes: " << small << " for 40 packets of records, " << large << " for 400");
  CHECK(small >= kMaxInFlight * kPacketBytes);
  CHECK(large <= small + small / 10);
  CHECK(large <= (kMaxInFlight + 1) * kPacketBytes);
}

}  // namespace
}  // namespace sluice::test
