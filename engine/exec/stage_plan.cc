#include "engine/exec/stage_plan.h"

#include <string>

namespace sluice {
namespace {

uint32_t flags_of(const NodeDecl& n) { return n.op_info->def->flags; }

bool is_serial(const NodeDecl& n) {
  return (flags_of(n) & (SLUICE_OP_STATEFUL | SLUICE_OP_SINK)) != 0;
}

class Planner {
 public:
  explicit Planner(const StageDecl& stage) : stage_(stage), children_(stage.nodes.size()) {}

  Expected<StagePlan> plan() {
    const int n = static_cast<int>(stage_.nodes.size());
    for (int i = 0; i < n; ++i) {
      const NodeDecl& node = stage_.nodes[i];
      if (node.op_info == nullptr || node.op_info->def == nullptr) {
        return Status::Invalid("node '" + node.id + "': expected a resolved op, found op '" +
                               node.op + "' unresolved (was the pipeline validated?)");
      }
      bool source = (flags_of(node) & SLUICE_OP_SOURCE) != 0;
      if (source && node.upstream >= 0) {
        return Status::Invalid("node '" + node.id + "': expected no upstream node for source op " +
                               node.op + ", found '" + stage_.nodes[node.upstream].id + "'");
      }
      if (!source && node.upstream < 0) {
        return Status::Invalid("node '" + node.id + "': expected an upstream node for op " +
                               node.op + ", found none");
      }
      if (node.upstream >= n) {
        return Status::Invalid("node '" + node.id + "': expected an upstream index below " +
                               std::to_string(n) + ", found " + std::to_string(node.upstream));
      }
      if (!source) children_[node.upstream].push_back(i);
    }
    std::vector<bool> placed(n, false);
    for (int i = 0; i < n; ++i) {
      if (stage_.nodes[i].upstream >= 0) continue;
      SourcePlan sp;
      sp.node = i;
      placed[i] = true;
      const std::vector<int>& kids = children_[i];
      if (kids.size() == 1) {
        sp.entry = add_segment(kids[0], i, placed);
      } else {
        sp.entry = new_segment(i);
        attach_children(sp.entry, i, i, placed);
      }
      for (const Segment& s : plan_.segments) {
        if (s.source == i && s.children.empty()) ++sp.leaves;
      }
      plan_.sources.push_back(sp);
    }
    for (int i = 0; i < n; ++i) {
      if (!placed[i]) {
        return Status::Invalid("node '" + stage_.nodes[i].id +
                               "': expected a chain of upstream nodes leading to a source, found "
                               "a cycle");
      }
    }
    return std::move(plan_);
  }

 private:
  int new_segment(int source) {
    plan_.segments.emplace_back();
    plan_.segments.back().source = source;
    return static_cast<int>(plan_.segments.size()) - 1;
  }

  // The segment starting at node `first`, and recursively those below it.
  int add_segment(int first, int source, std::vector<bool>& placed) {
    int index = new_segment(source);
    bool serial = is_serial(stage_.nodes[first]);
    int last = first;
    std::vector<int> nodes = {first};
    placed[first] = true;
    while (!serial && children_[last].size() == 1 && !is_serial(stage_.nodes[children_[last][0]])) {
      last = children_[last][0];
      nodes.push_back(last);
      placed[last] = true;
    }
    plan_.segments[index].nodes = std::move(nodes);
    plan_.segments[index].serial = serial;
    attach_children(index, last, source, placed);
    return index;
  }

  void attach_children(int segment, int node, int source, std::vector<bool>& placed) {
    for (int child : children_[node]) {
      int c = add_segment(child, source, placed);
      plan_.segments[segment].children.push_back(c);
    }
  }

  const StageDecl& stage_;
  std::vector<std::vector<int>> children_;
  StagePlan plan_;
};

}  // namespace

Expected<StagePlan> plan_stage(const StageDecl& stage) { return Planner(stage).plan(); }

}  // namespace sluice
