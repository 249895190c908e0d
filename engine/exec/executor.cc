#include "engine/exec/executor.h"

#include "engine/exec/run_context.h"
#include "engine/exec/stage_run.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <thread>

namespace sluice {
namespace {

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Status create_resources(const Pipeline& p, ResourceTable& table) {
  for (const ResourceDecl& r : p.resources) {
    if (r.type_info == nullptr || r.type_info->def == nullptr) {
      return Status::Invalid("resource '" + r.name + "': expected a resolved type, found type '" +
                             r.type + "' unresolved (was the pipeline validated?)");
    }
    SLUICE_RETURN_IF_ERROR(table.create(r.name, r.type_info->def, &r.resolved));
  }
  return Status();
}

void fill_failure(const RunFailure& f, RunReport& report) {
  report.status = "failed";
  report.error = f.describe();
  report.failed_stage = f.stage;
  report.failed_node = f.node;
  report.failed_op = f.op;
}

void execute(const Pipeline& p, const RunOptions& options, RunReport& report) {
  // More threads than cores (e.g. to test a thread count) needs TBB's permission.
  std::optional<tbb::global_control> allow_threads;
  if (report.threads > tbb::info::default_concurrency()) {
    allow_threads.emplace(tbb::global_control::max_allowed_parallelism,
                          static_cast<size_t>(report.threads));
  }
  tbb::task_arena arena(report.threads);
  RunContext run(options, report.threads);
  Status s = create_resources(p, run.resources);
  if (!s.ok()) {
    run.fail({"", "", "", s.message()});
  } else {
    arena.execute([&] {
      for (size_t i = 0; i < p.stages.size() && !run.failure(); ++i) {
        report.stages[i] = run_stage(p.stages[i], run);
      }
    });
  }
  if (run.trace.enabled()) {
    Status t = run.trace.write(options.trace_path);
    if (!t.ok()) run.fail({"", "", "", t.message()});
  }
  Status r = run.rejects.close();
  if (!r.ok()) run.fail({"", "", "", r.message()});
  report.metrics = run.metrics.snapshot();
  if (std::optional<RunFailure> f = run.failure()) fill_failure(*f, report);
}

}  // namespace

// The registry is not consulted (validation resolved every op into the pipeline); it is taken so
// that its plugins stay loaded while their code runs.
RunReport run_pipeline(const Pipeline& p, const Registry& /*registry*/, const RunOptions& options) {
  auto started = std::chrono::steady_clock::now();
  RunReport report;
  report.pipeline = p.name;
  report.threads = resolve_threads(options.threads);
  report.seed = options.seed;
  report.run_dir = options.run_dir;
  for (const StageDecl& stage : p.stages) report.stages.push_back(unrun_stage_report(stage));
  try {
    execute(p, options, report);
  } catch (const std::exception& e) {
    fill_failure({"", "", "", std::string("executor: expected no exception, found: ") + e.what()},
                 report);
  } catch (...) {
    fill_failure({"", "", "", "executor: expected no exception, found one of unknown type"},
                 report);
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace sluice
