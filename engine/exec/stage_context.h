// What the graph nodes of one running stage share: the stage, the run, the node instances
// (indexed like StageDecl::nodes), per-thread counters, trace ids, and the failure path that
// cancels the stage's graph.
#pragma once

#include "engine/config/pipeline.h"
#include "engine/exec/node_instance.h"
#include "engine/exec/node_stats.h"
#include "engine/exec/run_context.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/flow_graph.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

class StageContext {
 public:
  StageContext(const StageDecl& stage, RunContext& run);

  const StageDecl& stage;
  RunContext& run;
  std::vector<std::unique_ptr<NodeInstance>> nodes;
  std::vector<int> trace_ids;  // per node: its name in run.trace
  tbb::enumerable_thread_specific<StageStats> stats;

  bool cancelled() const { return run.cancelled.load(std::memory_order_relaxed); }
  // The graph to cancel on failure; set while it runs, null otherwise.
  void set_graph(tbb::flow::graph* graph) { graph_.store(graph); }

  // Records a failure of node `node` (or of the stage when node < 0), cancels the run and the
  // graph. Thread-safe.
  void fail(int node, const Status& s);
  // Hands a rejected record (of node order.node, from source order.source, at `position`) to
  // the run's reject sink, which holds it until the stage ends. Thread-safe.
  void reject(const RejectOrder& order, int64_t position, const std::string& reason);

  // This thread's counters.
  StageStats& local_stats() { return stats.local(); }
  // Counters summed over threads.
  StageStats total_stats() const;

 private:
  std::atomic<tbb::flow::graph*> graph_{nullptr};
};

}  // namespace sluice
