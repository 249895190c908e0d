#include "engine/exec/stage_run.h"

#include "engine/exec/stage_context.h"
#include "engine/exec/stage_graph.h"
#include "engine/exec/stage_plan.h"

#include <chrono>

namespace sluice {
namespace {

// Creates every node in order; stops at the first failure (reported).
bool create_nodes(StageContext& sc) {
  for (size_t i = 0; i < sc.nodes.size(); ++i) {
    Status s = sc.nodes[i]->create();
    if (!s.ok()) {
      sc.fail(static_cast<int>(i), s);
      return false;
    }
  }
  return true;
}

void destroy_nodes(StageContext& sc) {
  for (auto it = sc.nodes.rbegin(); it != sc.nodes.rend(); ++it) (*it)->destroy();
}

StageStats run_planned(const StageDecl& stage, const StagePlan& plan, RunContext& run) {
  StageContext sc(stage, run);
  if (create_nodes(sc)) {
    StageGraph graph(sc, plan);
    run.progress.begin_stage(stage.name, graph.progress());
    graph.run();
    Status flushed = run.rejects.flush();
    if (!flushed.ok()) sc.fail(-1, flushed);
    run.progress.end_stage(run.failure() ? "failed" : "ok");
  }
  // The graph is gone, and with it every record in flight: instances may own their buffers.
  destroy_nodes(sc);
  return sc.total_stats();
}

}  // namespace

StageReport unrun_stage_report(const StageDecl& stage) {
  StageReport report;
  report.name = stage.name;
  for (const NodeDecl& decl : stage.nodes) {
    NodeReport n;
    n.id = decl.id;
    n.op = decl.op;
    report.nodes.push_back(std::move(n));
  }
  return report;
}

StageReport run_stage(const StageDecl& stage, RunContext& run) {
  auto started = std::chrono::steady_clock::now();
  StageReport report = unrun_stage_report(stage);
  Expected<StagePlan> plan = plan_stage(stage);
  if (!plan.ok()) {
    run.fail({stage.name, "", "", plan.status().message()});
  } else {
    StageStats totals = run_planned(stage, *plan, run);
    for (size_t i = 0; i < totals.size(); ++i) {
      NodeReport& n = report.nodes[i];
      n.records_in = totals[i].records_in;
      n.records_out = totals[i].records_out;
      n.rejected = totals[i].rejected;
      n.filtered = totals[i].filtered;
      n.busy_seconds = static_cast<double>(totals[i].busy_ns) / 1e9;
    }
  }
  report.status = run.failure() ? "failed" : "ok";
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace sluice
