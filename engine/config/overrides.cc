#include "engine/config/overrides.h"

#include "engine/config/yaml_util.h"

#include <algorithm>

namespace sluice {

namespace {

// A copy of `node` without source marks, which would point into the VALUE text, not the file.
YAML::Node unmarked(const YAML::Node& node) {
  YAML::Node out;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out = YAML::Node(node.Scalar());
      break;
    case YAML::NodeType::Sequence:
      out = YAML::Node(YAML::NodeType::Sequence);
      for (const YAML::Node& item : node) out.push_back(unmarked(item));
      break;
    case YAML::NodeType::Map:
      out = YAML::Node(YAML::NodeType::Map);
      for (const auto& kv : node) out.force_insert(unmarked(kv.first), unmarked(kv.second));
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return YAML::Node(YAML::NodeType::Null);
  }
  out.SetTag(node.Tag());
  return out;
}

}  // namespace

YAML::Node parse_override_value(const std::string& text) {
  if (text.empty()) return YAML::Node(text);
  try {
    return unmarked(YAML::Load(text));
  } catch (const YAML::Exception&) {
    return YAML::Node(text);
  }
}

SortedOverrides sort_overrides(const Overrides& overrides, const std::vector<std::string>& declared,
                               Diagnostics& diags) {
  SortedOverrides sorted;
  for (const auto& [key, text] : overrides) {
    YAML::Node value = parse_override_value(text);
    size_t dot = key.find('.');
    if (std::find(declared.begin(), declared.end(), key) != declared.end()) {
      sorted.params.emplace_back(key, value);
    } else if (dot != std::string::npos && dot > 0 && dot + 1 < key.size()) {
      sorted.nodes.push_back(
          NodeOverride{key.substr(0, dot), key.substr(dot + 1), "--set " + key, value});
    } else {
      diags.error({}, "--set " + key + "=" + text + ": unknown param '" + key + "'" +
                          did_you_mean(key, declared) + "; expected " +
                          (declared.empty() ? "NODE.PARAM, as the file declares no params"
                                            : "one of the declared params (" + join(declared) +
                                                  ") or NODE.PARAM"));
    }
  }
  return sorted;
}

void report_unapplied(const std::vector<NodeOverride>& overrides,
                      const std::vector<std::string>& node_ids, Diagnostics& diags) {
  for (const NodeOverride& o : overrides) {
    if (o.applied) continue;
    diags.error({}, o.origin + ": expected NODE.PARAM with the id of a node, found no node '" +
                        o.node + "'" + did_you_mean(o.node, node_ids));
  }
}

}  // namespace sluice
