// Runs a validated pipeline: creates its resources, then runs each stage to completion, in order,
// as a oneTBB flow graph inside a task arena of `threads` threads.
//
// Per stage: consecutive stateless nodes are fused into one parallel graph node; stateful nodes
// run serially behind a sequencer, so they see records in source order; sinks see records in
// source order, so outputs are byte-identical for any thread count. At most `max_in_flight`
// source packets are in flight (backpressure). Each record's seed is derived from the run seed,
// the source node and the record's index in that source. A node error under `on_error: fail`
// (or any error from create/produce/finish) cancels the stage and the run reports that node, its
// op and the message; under `on_error: skip` the record is rejected and the run goes on.
// A source rejects a bad input record by returning BAD_RECORD from `produce` (after emitting the
// good records of that call): under `on_error: skip` that counts as one rejected record (the
// position is the status message's responsibility: "file:line: reason") and `produce` is called
// again; under `fail`, or for any other code, the run fails.
// Writes <run_dir>/rejected.jsonl (unless on_reject is set) and the trace; the caller writes
// report.json (report_to_json). Never throws; errors are in the report.
#pragma once

#include "engine/config/pipeline.h"
#include "engine/exec/report.h"
#include "engine/plugin/registry.h"

#include <cstdint>
#include <functional>
#include <string>

namespace sluice {

struct RejectedRecord {
  std::string stage;
  std::string node;
  std::string op;
  std::string source;  // id of the source node the record came from
  int64_t position = 0;
  std::string reason;
};

enum class ProgressMode { kAuto, kTerminal, kLog, kNone };

struct RunOptions {
  int threads = 0;  // 0: all hardware threads
  uint64_t seed = 0;
  std::string run_dir;     // absolute, existing; relative output paths resolve against it
  std::string trace_path;  // Chrome trace JSON when non-empty
  bool resume = false;     // continue an earlier run in run_dir: ops restore their checkpoints
  int max_in_flight = 0;   // packets (up to 64 records, 1 MiB) per source; 0: 4 x threads
  ProgressMode progress = ProgressMode::kAuto;
  // Called (serially) for each rejected record; default: write <run_dir>/rejected.jsonl.
  std::function<void(const RejectedRecord&)> on_reject;
};

RunReport run_pipeline(const Pipeline& p, const Registry& registry, const RunOptions& options);

// One JSON line for rejected.jsonl: {stage, node, op, source, position, reason}.
std::string rejected_to_json(const RejectedRecord& r);

}  // namespace sluice
