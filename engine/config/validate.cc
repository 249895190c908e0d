// validate_pipeline(): resolves resource types, ops and params against the registry, then links
// and checks each stage.
#include "engine/config/field_flow.h"
#include "engine/config/pipeline.h"
#include "engine/config/plugin_call.h"
#include "engine/config/upstream.h"
#include "engine/config/yaml_util.h"

#include <algorithm>

namespace sluice {
namespace {

size_t error_count(const Diagnostics& diags) {
  return std::count_if(diags.items().begin(), diags.items().end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::kError;
  });
}

std::string not_found_hint(const std::string& name, const std::vector<std::string>& known,
                           const std::string& what_known) {
  std::string hint = did_you_mean(name, known);
  if (!hint.empty()) return hint;
  return known.empty()
             ? "; no loaded plugin provides any " + what_known
             : "; no loaded plugin provides it (`sluice plugins` lists the " + what_known + ")";
}

// Runs a schema's check callback on resolved params; reports its error for `what` at `loc`.
void run_check(sluice_status (*check)(const sluice_host*, const sluice_param*),
               const ParamTree& params, const std::string& what, SourceLoc loc,
               Diagnostics& diags) {
  if (check == nullptr) return;
  Status s = call_plugin([&] { return check(engine_host(), &params); });
  if (!s.ok()) diags.error(loc, what + ": " + s.message());
}

ResourceTypes resolve_resources(Pipeline& p, const Registry& registry, Diagnostics& diags) {
  ResourceTypes types;
  for (ResourceDecl& r : p.resources) {
    if (!r.type.empty()) {
      r.type_info = registry.find_resource_type(r.type);
      if (r.type_info == nullptr) {
        diags.error(r.type_loc,
                    "resource '" + r.name + "': unknown resource type '" + r.type + "'" +
                        not_found_hint(r.type, registry.resource_type_names(), "resource types"));
      }
    }
    types.emplace(r.name, r.type_info != nullptr ? r.type : "");
  }
  for (ResourceDecl& r : p.resources) {
    if (r.type_info == nullptr) continue;
    const sluice_resource_def& def = *r.type_info->def;
    const std::string what = "resource '" + r.name + "' (" + r.type + ")";
    size_t before = error_count(diags);
    r.resolved = resolve_params(def.params, def.param_count, r.params, what, r.loc, diags, &types);
    if (error_count(diags) == before) run_check(def.check, r.resolved, what, r.loc, diags);
  }
  return types;
}

void check_ports(const NodeDecl& node, const sluice_op_def& def, const std::string& what,
                 Diagnostics& diags) {
  struct Side {
    const char* key;
    const char* name;
    const std::vector<std::pair<std::string, std::string>>& bindings;
    size_t count;
    const sluice_port_def* const* ports;
  };
  for (const Side& side :
       {Side{"in", "input", node.input_bindings, def.input_count, def.inputs},
        Side{"out", "output", node.output_bindings, def.output_count, def.outputs}}) {
    std::vector<std::string> ports;
    for (size_t i = 0; i < side.count; ++i) ports.emplace_back(side.ports[i]->name);
    for (const auto& [port, field] : side.bindings) {
      if (std::find(ports.begin(), ports.end(), port) != ports.end()) continue;
      std::string hint = did_you_mean(port, ports);
      if (hint.empty()) {
        hint = ports.empty() ? "; it has none" : "; expected one of: " + join(ports);
      }
      auto loc = node.binding_locs.find(std::string(side.key) + "." + port);
      diags.error(loc != node.binding_locs.end() ? loc->second : node.loc,
                  what + " has no " + side.name + " port '" + port + "'" + hint);
    }
  }
}

// Resolves the node's op and params; true when both resolved without errors.
bool resolve_node(NodeDecl& node, const Registry& registry, const ResourceTypes& resources,
                  Diagnostics& diags) {
  if (node.op.empty()) return false;  // the loader reported it
  node.op_info = registry.find_op(node.op);
  if (node.op_info == nullptr) {
    diags.error(node.op_loc, "node '" + node.id + "': unknown op '" + node.op + "'" +
                                 not_found_hint(node.op, registry.op_names(), "ops"));
    return false;
  }
  const sluice_op_def& def = *node.op_info->def;
  const std::string what = "node '" + node.id + "' (" + node.op + ")";
  check_ports(node, def, what, diags);
  size_t before = error_count(diags);
  node.resolved =
      resolve_params(def.params, def.param_count, node.params, what, node.loc, diags, &resources);
  if (error_count(diags) != before) return false;
  run_check(def.check, node.resolved, what, node.loc, diags);
  return error_count(diags) == before;
}

}  // namespace

void validate_pipeline(Pipeline& p, const Registry& registry, Diagnostics& diags) {
  ResourceTypes resources = resolve_resources(p, registry, diags);
  std::map<std::string, std::string> stage_of;
  for (const StageDecl& stage : p.stages) {
    for (const NodeDecl& node : stage.nodes) stage_of.emplace(node.id, stage.name);
  }
  for (StageDecl& stage : p.stages) {
    std::vector<bool> checked;
    for (NodeDecl& node : stage.nodes) {
      checked.push_back(resolve_node(node, registry, resources, diags));
    }
    link_stage(stage, stage_of, diags);
    check_field_flow(stage, checked, diags);
  }
}

}  // namespace sluice
