#include "engine/exec/run_context.h"

namespace sluice {

std::string RunFailure::describe() const {
  std::string where;
  if (!stage.empty()) where = "stage '" + stage + "'";
  if (!node.empty()) {
    if (!where.empty()) where += ", ";
    where += "node '" + node + "' (op " + op + ")";
  }
  return where.empty() ? message : where + ": " + message;
}

RunContext::RunContext(const RunOptions& options, int threads)
    : options(options),
      threads(threads),
      max_in_flight(options.max_in_flight > 0 ? options.max_in_flight : 4 * threads),
      rejects(options.on_reject, options.run_dir),
      trace(!options.trace_path.empty()),
      progress(options.progress) {}

void RunContext::fail(RunFailure f) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!failure_) failure_ = std::move(f);
  cancelled.store(true, std::memory_order_relaxed);
}

std::optional<RunFailure> RunContext::failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

}  // namespace sluice
