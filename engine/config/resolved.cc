// resolved_yaml(): the validated pipeline written out in full (pipeline.resolved.yaml).
#include "engine/config/pipeline.h"
#include "engine/config/substitute.h"

#include <algorithm>

namespace sluice {
namespace {

const char* on_error_text(OnError e) { return e == OnError::kSkip ? "skip" : "fail"; }

// `v` with `${` escaped in its strings, so loading it again substitutes nothing.
ParamTree escaped(const ParamTree& v) {
  ParamTree out = v;
  if (out.kind == SLUICE_PARAM_STRING) out.s = escape_references(out.s);
  for (ParamTree& item : out.list) item = escaped(item);
  for (auto& [key, item] : out.map) item = escaped(item);
  return out;
}

YAML::Node yaml_of(const ParamTree& v) { return param_to_yaml(escaped(v)); }

// Each port of the node's op with the field it is bound to.
std::vector<std::pair<std::string, std::string>> bindings(
    size_t count, const sluice_port_def* const* ports,
    const std::vector<std::pair<std::string, std::string>>& given) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < count; ++i) {
    std::string port = ports[i]->name;
    auto it =
        std::find_if(given.begin(), given.end(), [&](const auto& b) { return b.first == port; });
    out.emplace_back(port, it != given.end() ? it->second : port);
  }
  return out;
}

void emit_bindings(YAML::Emitter& out, const char* key,
                   const std::vector<std::pair<std::string, std::string>>& bindings) {
  if (bindings.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [port, field] : bindings) {
    out << YAML::Key << port << YAML::Value << escape_references(field);
  }
  out << YAML::EndMap;
}

void emit_node(YAML::Emitter& out, const NodeDecl& node, const StageDecl& stage) {
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << node.id;
  out << YAML::Key << "op" << YAML::Value << node.op;
  if (node.upstream >= 0 && node.upstream < static_cast<int>(stage.nodes.size())) {
    out << YAML::Key << "from" << YAML::Value << stage.nodes[node.upstream].id;
  }
  if (node.op_info != nullptr) {
    const sluice_op_def& def = *node.op_info->def;
    emit_bindings(out, "inputs", bindings(def.input_count, def.inputs, node.input_bindings));
    emit_bindings(out, "outputs", bindings(def.output_count, def.outputs, node.output_bindings));
  }
  out << YAML::Key << "on_error" << YAML::Value << on_error_text(node.on_error);
  out << YAML::Key << "params" << YAML::Value << yaml_of(node.resolved);
  out << YAML::EndMap;
}

}  // namespace

std::string resolved_yaml(const Pipeline& p) {
  YAML::Emitter out;
  out << YAML::Comment("Resolved by sluice from " + p.file +
                       ": every default, override and ${name} applied.");
  out << YAML::BeginMap;
  out << YAML::Key << "sluice" << YAML::Value << p.version;
  out << YAML::Key << "name" << YAML::Value << p.name;
  out << YAML::Key << "seed" << YAML::Value << p.seed;
  out << YAML::Key << "on_error" << YAML::Value << on_error_text(p.on_error);
  if (!p.params.empty()) {
    out << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, value] : p.params) {
      out << YAML::Key << name << YAML::Value << yaml_of(param_from_yaml(value));
    }
    out << YAML::EndMap;
  }
  if (!p.resources.empty()) {
    out << YAML::Key << "resources" << YAML::Value << YAML::BeginMap;
    for (const ResourceDecl& r : p.resources) {
      out << YAML::Key << r.name << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "type" << YAML::Value << r.type;
      for (const auto& [name, value] : r.resolved.map) {
        out << YAML::Key << name << YAML::Value << yaml_of(value);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::Key << "stages" << YAML::Value << YAML::BeginSeq;
  for (const StageDecl& stage : p.stages) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << stage.name;
    out << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
    for (const NodeDecl& node : stage.nodes) emit_node(out, node, stage);
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace sluice
