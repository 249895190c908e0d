#include "tools/sluice/schema_json.h"

#include <sluice/record.hpp>
#include <sluice/schema.hpp>

#include <sstream>
#include <vector>

namespace sluice::cli {
namespace {

const char* param_type_name(sluice_param_type t) {
  switch (t) {
    case SLUICE_PTYPE_BOOL: return "bool";
    case SLUICE_PTYPE_INT: return "int";
    case SLUICE_PTYPE_FLOAT: return "float";
    case SLUICE_PTYPE_STRING: return "string";
    case SLUICE_PTYPE_LIST: return "list";
    case SLUICE_PTYPE_MAP: return "map";
    case SLUICE_PTYPE_RESOURCE: return "resource";
    default: return "any";
  }
}

// "list<float>", "resource<text.vocabulary>", "int".
std::string param_type_text(const sluice_param_def& p) {
  std::string t = param_type_name(p.type);
  if (p.type == SLUICE_PTYPE_LIST || p.type == SLUICE_PTYPE_MAP) {
    t += std::string("<") + param_type_name(p.element) + ">";
  } else if (p.type == SLUICE_PTYPE_RESOURCE && p.resource_type) {
    t += std::string("<") + p.resource_type + ">";
  }
  return t;
}

std::string port_type_text(const sluice_port_def& p) {
  std::string t = kind_name(p.kind);
  if (p.kind == SLUICE_KIND_TENSOR && p.dtype != SLUICE_DTYPE_ANY) {
    t += std::string("<") + dtype_name(p.dtype) + ">";
  }
  return t;
}

std::vector<std::string> flag_names(uint32_t flags) {
  std::vector<std::string> out;
  if (flags & SLUICE_OP_SOURCE) out.emplace_back("source");
  if (flags & SLUICE_OP_SINK) out.emplace_back("sink");
  if (flags & SLUICE_OP_STATEFUL) out.emplace_back("stateful");
  if (flags & SLUICE_OP_DEVICE) out.emplace_back("device");
  if (flags & SLUICE_OP_REGROUP) out.emplace_back("regroup");
  return out;
}

const char* text_or_empty(const char* s) { return s ? s : ""; }

boost::json::array ports_json(const sluice_port_def* const* ports, size_t n) {
  boost::json::array out;
  for (size_t i = 0; i < n; ++i) {
    const sluice_port_def& p = *ports[i];
    out.push_back({{"name", p.name},
                   {"kind", kind_name(p.kind)},
                   {"dtype", dtype_name(p.dtype)},
                   {"optional", p.optional != 0},
                   {"doc", text_or_empty(p.doc)}});
  }
  return out;
}

boost::json::array params_json(const sluice_param_def* const* params, size_t n) {
  boost::json::array out;
  for (size_t i = 0; i < n; ++i) {
    const sluice_param_def& p = *params[i];
    boost::json::object o{{"name", p.name},
                          {"type", param_type_name(p.type)},
                          {"required", p.default_value == nullptr},
                          {"doc", text_or_empty(p.doc)}};
    if (p.type == SLUICE_PTYPE_LIST || p.type == SLUICE_PTYPE_MAP) {
      o["element"] = param_type_name(p.element);
    }
    if (p.default_value) o["default"] = p.default_value;  // YAML text
    if (p.has_min) o["min"] = p.min;
    if (p.has_max) o["max"] = p.max;
    if (p.choices) {
      boost::json::array c;
      for (const char* const* it = p.choices; *it; ++it) c.push_back(boost::json::string(*it));
      o["choices"] = std::move(c);
    }
    if (p.resource_type) o["resource_type"] = p.resource_type;
    out.push_back(std::move(o));
  }
  return out;
}

void ports_text(std::ostringstream& os, const char* title, const sluice_port_def* const* ports,
                size_t n) {
  if (n == 0) return;
  os << title << ":\n";
  for (size_t i = 0; i < n; ++i) {
    const sluice_port_def& p = *ports[i];
    os << "  " << p.name << "  " << port_type_text(p) << (p.optional ? "  (optional)" : "")
       << "\n      " << text_or_empty(p.doc) << "\n";
  }
}

void params_text(std::ostringstream& os, const sluice_param_def* const* params, size_t n,
                 const char* heading = "params") {
  if (n == 0) return;
  os << heading << ":\n";
  for (size_t i = 0; i < n; ++i) {
    const sluice_param_def& p = *params[i];
    os << "  " << p.name << "  " << param_type_text(p);
    if (p.default_value) {
      os << "  default " << p.default_value;
    } else {
      os << "  required";
    }
    if (p.has_min || p.has_max) {
      os << "  range " << (p.has_min ? "[" + shortest_number_text(p.min) : std::string("(-inf"))
         << ", " << (p.has_max ? shortest_number_text(p.max) + "]" : std::string("inf)"));
    }
    if (p.choices) {
      os << "  choices:";
      for (const char* const* it = p.choices; *it; ++it) os << " " << *it;
    }
    os << "\n      " << text_or_empty(p.doc) << "\n";
  }
}

}  // namespace

boost::json::object op_to_json(const OpInfo& op) {
  const sluice_op_def& d = *op.def;
  boost::json::array flags;
  for (const auto& f : flag_names(d.flags)) flags.push_back(boost::json::string(f));
  return {{"name", d.name},
          {"plugin", op.plugin->name},
          {"plugin_version", op.plugin->version},
          {"doc", text_or_empty(d.doc)},
          {"flags", std::move(flags)},
          {"inputs", ports_json(d.inputs, d.input_count)},
          {"outputs", ports_json(d.outputs, d.output_count)},
          {"params", params_json(d.params, d.param_count)}};
}

boost::json::object resource_type_to_json(const ResourceTypeInfo& r) {
  const sluice_resource_def& d = *r.def;
  return {{"type", d.type},
          {"plugin", r.plugin->name},
          {"plugin_version", r.plugin->version},
          {"doc", text_or_empty(d.doc)},
          {"params", params_json(d.params, d.param_count)}};
}

std::string op_to_text(const OpInfo& op) {
  const sluice_op_def& d = *op.def;
  std::ostringstream os;
  os << d.name << "  (plugin " << op.plugin->name << " " << op.plugin->version << ", "
     << op.plugin->path << ")\n\n"
     << text_or_empty(d.doc) << "\n\n";
  std::vector<std::string> flags = flag_names(d.flags);
  if (!flags.empty()) {
    os << "flags:";
    for (const auto& f : flags) os << " " << f;
    os << "\n";
  }
  ports_text(os, "inputs", d.inputs, d.input_count);
  ports_text(os, "outputs", d.outputs, d.output_count);
  params_text(os, d.params, d.param_count);
  return os.str();
}

boost::json::object layer_type_to_json(const LayerTypeInfo& l) {
  const sluice_layer_def& d = *l.def;
  return {{"type", d.type},
          {"plugin", l.plugin->name},
          {"plugin_version", l.plugin->version},
          {"doc", text_or_empty(d.doc)},
          {"args", params_json(d.args, d.arg_count)},
          {"cuda", d.forward_cuda != nullptr}};
}

std::string layer_type_to_text(const LayerTypeInfo& l) {
  const sluice_layer_def& d = *l.def;
  std::ostringstream os;
  os << d.type << "  (layer type for nn.model; plugin " << l.plugin->name << " "
     << l.plugin->version << ", " << l.plugin->path << ")\n\n"
     << text_or_empty(d.doc) << "\n\n";
  params_text(os, d.args, d.arg_count, "args");
  return os.str();
}

std::string resource_type_to_text(const ResourceTypeInfo& r) {
  const sluice_resource_def& d = *r.def;
  std::ostringstream os;
  os << d.type << "  (resource type; plugin " << r.plugin->name << " " << r.plugin->version
     << ", " << r.plugin->path << ")\n\n"
     << text_or_empty(d.doc) << "\n\n";
  params_text(os, d.params, d.param_count);
  return os.str();
}

}  // namespace sluice::cli
