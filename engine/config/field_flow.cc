#include "engine/config/field_flow.h"

#include "engine/config/plugin_call.h"
#include "engine/config/yaml_util.h"
#include "engine/runtime/field_set.h"
#include "engine/runtime/fields.h"
#include "engine/runtime/node_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

namespace sluice {
namespace {

const char* kind_name(sluice_kind kind) {
  switch (kind) {
    case SLUICE_KIND_TENSOR:
      return "a tensor";
    case SLUICE_KIND_STRING:
      return "a string";
    case SLUICE_KIND_BYTES:
      return "bytes";
    case SLUICE_KIND_INT:
      return "an int";
    case SLUICE_KIND_FLOAT:
      return "a float";
    case SLUICE_KIND_BOOL:
      return "a bool";
    case SLUICE_KIND_ANY:
      break;
  }
  return "any kind";
}

std::vector<std::string> field_names(const sluice_field_set_s& set) {
  std::vector<std::string> names;
  for (const auto& [field, kind] : set.fields) names.emplace_back(field_name(field));
  std::sort(names.begin(), names.end());
  return names;
}

// The field a port is bound to, and where the binding is written (`fallback` when it is not).
struct Binding {
  std::string field;
  SourceLoc loc;
  bool explicit_binding;
};

Binding binding_of(const NodeDecl& node, const char* side, const char* port, SourceLoc fallback) {
  const auto& bindings = std::string(side) == "in" ? node.input_bindings : node.output_bindings;
  for (const auto& [p, field] : bindings) {
    if (p != port) continue;
    auto loc = node.binding_field_locs.find(std::string(side) + "." + port);
    return {field, loc != node.binding_field_locs.end() ? loc->second : fallback, true};
  }
  return {port, fallback, false};
}

class FlowChecker {
 public:
  FlowChecker(const StageDecl& stage, const std::vector<bool>& checked, Diagnostics& diags)
      : stage_(stage), checked_(checked), diags_(diags) {}

  void run() {
    const int n = static_cast<int>(stage_.nodes.size());
    std::vector<std::vector<int>> children(n);
    std::deque<int> ready;
    for (int i = 0; i < n; ++i) {
      int up = stage_.nodes[i].upstream;
      if (up >= 0 && up < n) {
        children[up].push_back(i);
      } else {
        ready.push_back(i);
      }
    }
    std::vector<sluice_field_set_s> after(n);
    while (!ready.empty()) {
      int i = ready.front();
      ready.pop_front();
      int up = stage_.nodes[i].upstream;
      after[i] = visit(i, up >= 0 ? after[up] : unknown_fields());
      for (int child : children[i]) ready.push_back(child);
    }
  }

 private:
  static sluice_field_set_s unknown_fields() {
    sluice_field_set_s set;
    set.open = true;
    return set;
  }

  // The fields after node `i`, given those before it.
  sluice_field_set_s visit(int i, const sluice_field_set_s& in) {
    const NodeDecl& node = stage_.nodes[i];
    if (!checked_[i] || node.op_info == nullptr) {
      sluice_field_set_s out = in;
      out.open = true;
      return out;
    }
    const sluice_op_def& def = *node.op_info->def;
    if ((def.flags & SLUICE_OP_SOURCE) != 0) return outputs(node, def, sluice_field_set_s{});
    check_inputs(node, def, in);
    return outputs(node, def, in);
  }

  void check_inputs(const NodeDecl& node, const sluice_op_def& def, const sluice_field_set_s& in) {
    const std::string what = "node '" + node.id + "' (" + node.op + ")";
    for (size_t p = 0; p < def.input_count; ++p) {
      const sluice_port_def& port = *def.inputs[p];
      Binding b = binding_of(node, "in", port.name, node.op_loc);
      const sluice_kind* kind = in.find(intern_field(b.field));
      if (kind == nullptr) {
        if (port.optional || in.open) continue;
        std::vector<std::string> names = field_names(in);
        diags_.error(
            b.loc,
            fmt::format("{} reads field '{}'{}, which no upstream node writes; upstream "
                        "fields: {}{}",
                        what, b.field,
                        b.explicit_binding ? fmt::format(" (input port '{}')", port.name) : "",
                        names.empty() ? "none" : join(names), did_you_mean(b.field, names)));
      } else if (port.kind != SLUICE_KIND_ANY && *kind != SLUICE_KIND_ANY && *kind != port.kind) {
        diags_.error(b.loc,
                     fmt::format("{} input port '{}': expected field '{}' to be {}, found "
                                 "{} upstream",
                                 what, port.name, b.field, kind_name(port.kind), kind_name(*kind)));
      }
    }
  }

  sluice_field_set_s outputs(const NodeDecl& node, const sluice_op_def& def,
                             const sluice_field_set_s& in) {
    sluice_field_set_s out = in;
    if (def.infer_fields == nullptr) {
      for (size_t p = 0; p < def.output_count; ++p) {
        const sluice_port_def& port = *def.outputs[p];
        out.put(intern_field(binding_of(node, "out", port.name, node.op_loc).field), port.kind);
      }
      return out;
    }
    sluice_node_context_s ctx;
    ctx.node_id = node.id;
    ctx.op_name = node.op;
    for (const auto* bindings : {&node.input_bindings, &node.output_bindings}) {
      for (const auto& [port, field] : *bindings)
        ctx.port_fields.emplace(port, intern_field(field));
    }
    Status s =
        call_plugin([&] { return def.infer_fields(engine_host(), &node.resolved, &ctx, &out); });
    if (s.ok()) return out;
    diags_.error(node.loc, "node '" + node.id + "' (" + node.op + "): " + s.message());
    sluice_field_set_s unknown = in;
    unknown.open = true;
    return unknown;
  }

  const StageDecl& stage_;
  const std::vector<bool>& checked_;
  Diagnostics& diags_;
};

}  // namespace

void check_field_flow(const StageDecl& stage, const std::vector<bool>& checked,
                      Diagnostics& diags) {
  FlowChecker(stage, checked, diags).run();
}

}  // namespace sluice
