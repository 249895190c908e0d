#include "engine/config/upstream.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace sluice {
namespace {

std::string node_what(const NodeDecl& node) {
  return "node '" + node.id + "'" + (node.op_info != nullptr ? " (" + node.op + ")" : "");
}

void report_cycles(const StageDecl& stage, Diagnostics& diags) {
  const int n = static_cast<int>(stage.nodes.size());
  enum State { kNew, kOnPath, kDone };
  std::vector<State> state(n, kNew);
  for (int start = 0; start < n; ++start) {
    // Follow upstream links from `start` until a node seen before.
    std::vector<int> path;
    int j = start;
    while (j >= 0 && j < n && state[j] == kNew) {
      state[j] = kOnPath;
      path.push_back(j);
      j = stage.nodes[j].upstream;
    }
    if (j >= 0 && j < n && state[j] == kOnPath) {
      std::vector<int> cycle(std::find(path.begin(), path.end(), j), path.end());
      std::reverse(cycle.begin(), cycle.end());  // data-flow order
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      std::string chain;
      for (int k : cycle) chain += stage.nodes[k].id + " -> ";
      const NodeDecl& first = stage.nodes[cycle.front()];
      diags.error(first.from.empty() ? first.loc : first.from_loc,
                  fmt::format("cycle in stage '{}': {}{}; expected every chain of upstream nodes "
                              "to start at a source node",
                              stage.name, chain, first.id));
    }
    for (int k : path) state[k] = kDone;
  }
}

}  // namespace

void link_stage(StageDecl& stage, const std::map<std::string, std::string>& stage_of,
                Diagnostics& diags) {
  std::map<std::string, int> index;
  std::vector<std::string> ids;
  for (int i = 0; i < static_cast<int>(stage.nodes.size()); ++i) {
    index.emplace(stage.nodes[i].id, i);
    ids.push_back(stage.nodes[i].id);
  }
  for (int i = 0; i < static_cast<int>(stage.nodes.size()); ++i) {
    NodeDecl& node = stage.nodes[i];
    node.upstream = -1;
    const bool known = node.op_info != nullptr;
    const bool source = known && (node.op_info->def->flags & SLUICE_OP_SOURCE) != 0;
    if (node.from.empty()) {
      if (!source && i > 0) {
        node.upstream = i - 1;
      } else if (known && !source) {
        diags.error(node.loc, fmt::format("{} reads records: expected a 'from' or an earlier node "
                                          "in stage '{}' to read them from, found none",
                                          node_what(node), stage.name));
      }
      continue;
    }
    if (source) {
      diags.error(node.from_loc, fmt::format("{} is a source and reads no records: expected no "
                                             "'from', found '{}'",
                                             node_what(node), node.from));
      continue;
    }
    if (auto it = index.find(node.from); it != index.end()) {
      node.upstream = it->second;
    } else if (auto other = stage_of.find(node.from); other != stage_of.end()) {
      diags.error(node.from_loc,
                  fmt::format("{}: 'from': expected a node of stage '{}', found '{}' of stage '{}' "
                              "(stages pass data on through resources and files)",
                              node_what(node), stage.name, node.from, other->second));
    } else {
      diags.error(
          node.from_loc,
          fmt::format("{}: 'from': expected the id of a node of stage '{}', found '{}', "
                      "which is no node{}",
                      node_what(node), stage.name, node.from, did_you_mean(node.from, ids)));
    }
  }
  report_cycles(stage, diags);
}

}  // namespace sluice
