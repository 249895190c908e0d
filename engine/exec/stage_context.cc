#include "engine/exec/stage_context.h"

namespace sluice {

StageContext::StageContext(const StageDecl& stage, RunContext& run)
    : stage(stage), run(run), stats(StageStats(stage.nodes.size())) {
  for (const NodeDecl& n : stage.nodes) {
    nodes.push_back(std::make_unique<NodeInstance>(n, run));
    trace_ids.push_back(run.trace.add_name(n.id, stage.name));
  }
}

void StageContext::fail(int node, const Status& s) {
  RunFailure f;
  f.stage = stage.name;
  if (node >= 0) {
    f.node = nodes[node]->id();
    f.op = nodes[node]->op();
  }
  f.message = s.message();
  run.fail(std::move(f));
  if (tbb::flow::graph* g = graph_.load()) g->cancel();
}

void StageContext::reject(const RejectOrder& order, int64_t position, const std::string& reason) {
  run.rejects.add(order, {stage.name, nodes[order.node]->id(), nodes[order.node]->op(),
                          nodes[order.source]->id(), position, reason});
}

StageStats StageContext::total_stats() const {
  StageStats total(stage.nodes.size());
  for (const StageStats& local : stats) {
    for (size_t i = 0; i < total.size(); ++i) total[i] += local[i];
  }
  return total;
}

}  // namespace sluice
