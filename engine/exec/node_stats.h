// Per-node record counts and busy time, kept per thread while a stage runs and summed after.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice {

struct NodeStats {
  int64_t records_in = 0;
  int64_t records_out = 0;
  int64_t rejected = 0;
  int64_t filtered = 0;
  int64_t busy_ns = 0;

  NodeStats& operator+=(const NodeStats& o) {
    records_in += o.records_in;
    records_out += o.records_out;
    rejected += o.rejected;
    filtered += o.filtered;
    busy_ns += o.busy_ns;
    return *this;
  }
};

// One entry per node of a stage, indexed like StageDecl::nodes.
using StageStats = std::vector<NodeStats>;

}  // namespace sluice
