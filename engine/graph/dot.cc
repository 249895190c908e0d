#include "engine/graph/dot.h"

#include <set>

namespace sluice {
namespace {

// A DOT double-quoted string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string resource_id(const std::string& name) { return quoted("resource:" + name); }

// The resources a RESOURCE param (or a list or map of them) names.
void named_resources(const ParamTree& value, sluice_param_type type, sluice_param_type element,
                     std::set<std::string>& out) {
  if (type == SLUICE_PTYPE_RESOURCE && value.kind == SLUICE_PARAM_STRING) out.insert(value.s);
  if (type == SLUICE_PTYPE_LIST) {
    for (const ParamTree& item : value.list) {
      named_resources(item, element, SLUICE_PTYPE_ANY, out);
    }
  }
  if (type == SLUICE_PTYPE_MAP) {
    for (const auto& [key, item] : value.map) {
      named_resources(item, element, SLUICE_PTYPE_ANY, out);
    }
  }
}

std::set<std::string> resources_of(const NodeDecl& node) {
  std::set<std::string> names;
  if (node.op_info == nullptr) return names;
  const sluice_op_def& def = *node.op_info->def;
  for (size_t i = 0; i < def.param_count; ++i) {
    if (const ParamTree* value = node.resolved.get(def.params[i]->name)) {
      named_resources(*value, def.params[i]->type, def.params[i]->element, names);
    }
  }
  return names;
}

}  // namespace

std::string to_dot(const Pipeline& p) {
  std::string out = "digraph " + quoted(p.name) + " {\n";
  out += "  node [shape=box];\n";
  std::set<std::string> declared;
  for (const ResourceDecl& r : p.resources) {
    declared.insert(r.name);
    out += "  " + resource_id(r.name) + " [shape=ellipse, label=" + quoted(r.name + "\n" + r.type) +
           "];\n";
  }
  std::string edges;
  for (size_t s = 0; s < p.stages.size(); ++s) {
    const StageDecl& stage = p.stages[s];
    out += "  subgraph " + quoted("cluster_" + std::to_string(s)) + " {\n";
    out += "    label=" + quoted(stage.name) + ";\n";
    for (const NodeDecl& node : stage.nodes) {
      out += "    " + quoted(node.id) + " [label=" + quoted(node.id + "\n" + node.op) + "];\n";
      if (node.upstream >= 0 && node.upstream < static_cast<int>(stage.nodes.size())) {
        edges += "  " + quoted(stage.nodes[node.upstream].id) + " -> " + quoted(node.id) + ";\n";
      }
      for (const std::string& r : resources_of(node)) {
        if (declared.count(r) == 0) continue;
        edges += "  " + resource_id(r) + " -> " + quoted(node.id) + " [style=dashed];\n";
      }
    }
    out += "  }\n";
  }
  return out + edges + "}\n";
}

}  // namespace sluice
