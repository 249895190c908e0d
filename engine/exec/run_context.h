// What the stages of one run share: its options, the cancelled flag node contexts point to, the
// resources, metrics, where rejected records go, the trace, the progress display, and the first
// failure. Made by run_pipeline; lives until every stage has finished.
#pragma once

#include "engine/exec/executor.h"
#include "engine/exec/progress.h"
#include "engine/exec/reject_sink.h"
#include "engine/exec/trace.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/resources.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace sluice {

struct RunFailure {
  std::string stage;  // "" when no stage was running
  std::string node;   // "" when no node is to blame
  std::string op;
  std::string message;

  // "stage 's', node 'n' (op o): message", leaving out what is empty.
  std::string describe() const;
};

class RunContext {
 public:
  // `threads` is the resolved thread count (options.threads may be 0).
  RunContext(const RunOptions& options, int threads);

  const RunOptions& options;
  const int threads;
  const int max_in_flight;  // source packets in flight per source
  std::atomic<bool> cancelled{false};
  ResourceTable resources;
  MetricSink metrics;
  RejectSink rejects;
  TraceRecorder trace;
  Progress progress;

  // Keeps the first failure and sets `cancelled`; later ones are dropped. Thread-safe.
  void fail(RunFailure f);
  std::optional<RunFailure> failure() const;

 private:
  mutable std::mutex mu_;
  std::optional<RunFailure> failure_;
};

}  // namespace sluice
