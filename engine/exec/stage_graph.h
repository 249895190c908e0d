// The oneTBB flow graph of one stage, built from its plan:
//   per source:  input_node (calls produce, fills packets) -> limiter_node (max_in_flight)
//   per segment: function_node, unlimited concurrency for a parallel segment, or serial behind a
//                sequencer_node (restoring source order) for a serial one.
// Segments hand packets on with explicit try_put, so each child of a fan-out gets its own copy of
// the records; the last leaf done with a packet frees its slot in the source's limiter. A parallel
// segment finishes its nodes only once every earlier packet has passed through it.
// Construct and run it inside the run's task arena; destroying it frees every packet still held.
#pragma once

#include "engine/exec/progress.h"
#include "engine/exec/stage_context.h"
#include "engine/exec/stage_plan.h"

#include <oneapi/tbb/flow_graph.h>

#include <memory>
#include <vector>

namespace sluice {

class StageGraph {
 public:
  // The nodes of `sc` must have been created; `plan` must outlive this graph.
  StageGraph(StageContext& sc, const StagePlan& plan);
  ~StageGraph();
  StageGraph(const StageGraph&) = delete;
  StageGraph& operator=(const StageGraph&) = delete;

  // Starts the sources and waits until every packet has gone through, or the stage failed and
  // the graph has stopped.
  void run();
  // Each source's count of produced records, for the progress display.
  std::vector<const SourceProgress*> progress() const;

 private:
  class SourceRunner;
  class SegmentRunner;

  StageContext& sc_;
  tbb::flow::graph graph_;  // declared first: destroyed after the nodes below
  std::vector<std::unique_ptr<SourceRunner>> sources_;
  std::vector<std::unique_ptr<SegmentRunner>> segments_;
};

}  // namespace sluice
