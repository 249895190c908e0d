// How a stage's nodes map onto flow-graph nodes. The nodes of a stage form a forest through
// NodeDecl::upstream: each tree has a source at its root, and a node with several children hands
// each its own copy of every record. A tree is cut into segments, each run by one graph node:
//   - a run of consecutive stateless nodes (no STATEFUL or SINK flag), each but the last with a
//     single child, is one parallel segment: its ops are called one after another in one task;
//   - a stateful or sink node is a serial segment of its own, fed in source order;
//   - a source with no child or several children gets an empty parallel segment that hands its
//     records on (so every source has exactly one entry segment).
// Pure data; the executor builds the graph from it.
#pragma once

#include "engine/config/pipeline.h"

#include <sluice/status.hpp>

#include <vector>

namespace sluice {

struct Segment {
  std::vector<int> nodes;     // stage node indices, in call order (empty: hands records on)
  bool serial = false;        // one packet at a time, in sequence order
  std::vector<int> children;  // segment indices fed by the last node's output
  int source = -1;            // stage node index of the source at the root of its tree
};

struct SourcePlan {
  int node = -1;   // stage node index of the source
  int entry = -1;  // segment fed by the source
  int leaves = 0;  // segments without children in its tree
};

struct StagePlan {
  std::vector<SourcePlan> sources;
  std::vector<Segment> segments;
};

// Needs a validated stage (op_info and upstream filled). Fails, naming the node, when a node has
// no op, a source has an upstream node, a non-source has none, or a node is not reachable from a
// source (a cycle).
Expected<StagePlan> plan_stage(const StageDecl& stage);

}  // namespace sluice
