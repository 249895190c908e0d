// sluice C++ SDK: fluent schemas for ops, resources and layer types.
//
//   OpSchema("image.resize")
//       .doc("Resizes an image.")
//       .input("image", SLUICE_KIND_TENSOR, "HWC uint8 image", SLUICE_DTYPE_UINT8)
//       .output("image", SLUICE_KIND_TENSOR, "resized image", SLUICE_DTYPE_UINT8)
//       .param(ParamSpec::Int("width", "target width").min(1).optional())
//       .param(ParamSpec::String("interpolation", "filter").choices({"nearest", "bilinear"})
//                  .default_value("bilinear"));
//
// A ParamSpec without default_value() or optional() is required. Defaults are stored as YAML
// text, so a schema is plain data the engine can print, check and turn into JSON schema.
// The objects own the strings the C structs point into; the SDK keeps them alive for the life of
// the plugin.
#ifndef SLUICE_SCHEMA_HPP_
#define SLUICE_SCHEMA_HPP_

#include <sluice/plugin.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace sluice {

// `v` in the fewest digits that read back as the same double: "0.9", "1e-08", "1000".
inline std::string shortest_number_text(double v) {
  char text[32];  // the longest shortest form, "-2.2250738585072014e-308", is 24
  return std::string(text, std::to_chars(text, text + sizeof text, v).ptr);
}

class ParamSpec {
 public:
  static ParamSpec Bool(std::string name, std::string doc) { return {std::move(name), SLUICE_PTYPE_BOOL, std::move(doc)}; }
  static ParamSpec Int(std::string name, std::string doc) { return {std::move(name), SLUICE_PTYPE_INT, std::move(doc)}; }
  static ParamSpec Float(std::string name, std::string doc) { return {std::move(name), SLUICE_PTYPE_FLOAT, std::move(doc)}; }
  static ParamSpec String(std::string name, std::string doc) { return {std::move(name), SLUICE_PTYPE_STRING, std::move(doc)}; }
  static ParamSpec Any(std::string name, std::string doc) { return {std::move(name), SLUICE_PTYPE_ANY, std::move(doc)}; }
  static ParamSpec List(std::string name, sluice_param_type element, std::string doc) {
    ParamSpec p{std::move(name), SLUICE_PTYPE_LIST, std::move(doc)};
    p.def_.element = element;
    return p;
  }
  static ParamSpec Map(std::string name, sluice_param_type element, std::string doc) {
    ParamSpec p{std::move(name), SLUICE_PTYPE_MAP, std::move(doc)};
    p.def_.element = element;
    return p;
  }
  // A string naming a pipeline resource of type `resource_type` (e.g. "text.vocabulary").
  static ParamSpec Resource(std::string name, std::string resource_type, std::string doc) {
    ParamSpec p{std::move(name), SLUICE_PTYPE_RESOURCE, std::move(doc)};
    p.resource_type_ = std::move(resource_type);
    return p;
  }

  // Default given as YAML text ("[1, 2]", "null") or as a value.
  ParamSpec& default_yaml(std::string yaml) {
    default_ = std::move(yaml);
    has_default_ = true;
    return *this;
  }
  template <class T>
  ParamSpec& default_value(const T& v) { return default_yaml(to_yaml(v)); }
  // Not required, no default: the op sees it as unset (null).
  ParamSpec& optional() { return default_yaml("null"); }
  ParamSpec& min(double v) {
    def_.has_min = 1;
    def_.min = v;
    return *this;
  }
  ParamSpec& max(double v) {
    def_.has_max = 1;
    def_.max = v;
    return *this;
  }
  ParamSpec& range(double lo, double hi) { return min(lo).max(hi); }
  ParamSpec& choices(std::vector<std::string> c) {
    choices_ = std::move(c);
    return *this;
  }

  // The C view; valid while this object lives and is not changed.
  const sluice_param_def* c_def() {
    def_.struct_size = sizeof(def_);
    def_.name = name_.c_str();
    def_.doc = doc_.c_str();
    def_.default_value = has_default_ ? default_.c_str() : nullptr;
    def_.resource_type = resource_type_.empty() ? nullptr : resource_type_.c_str();
    choice_ptrs_.clear();
    for (const auto& c : choices_) choice_ptrs_.push_back(c.c_str());
    choice_ptrs_.push_back(nullptr);
    def_.choices = choices_.empty() ? nullptr : choice_ptrs_.data();
    return &def_;
  }

 private:
  ParamSpec(std::string name, sluice_param_type type, std::string doc)
      : name_(std::move(name)), doc_(std::move(doc)) {
    def_.type = type;
  }
  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  static std::string to_yaml(bool v) { return v ? "true" : "false"; }
  static std::string to_yaml(const char* v) { return quote(v); }
  static std::string to_yaml(const std::string& v) { return quote(v); }
  template <class T>
  static std::string to_yaml(const T& v) {
    if constexpr (std::is_floating_point_v<T>) {
      return shortest_number_text(static_cast<double>(v));
    } else if constexpr (std::is_arithmetic_v<T>) {
      return std::to_string(v);
    } else {  // a container
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ", ";
        first = false;
        out += to_yaml(e);
      }
      return out + "]";
    }
  }

  std::string name_, doc_, default_, resource_type_;
  bool has_default_ = false;
  std::vector<std::string> choices_;
  std::vector<const char*> choice_ptrs_;
  sluice_param_def def_{};
};

class OpSchema {
 public:
  explicit OpSchema(std::string name) : name_(std::move(name)) {}

  OpSchema& doc(std::string d) {
    doc_ = std::move(d);
    return *this;
  }
  OpSchema& source() { return flag(SLUICE_OP_SOURCE); }
  OpSchema& sink() { return flag(SLUICE_OP_SINK); }
  OpSchema& stateful() { return flag(SLUICE_OP_STATEFUL); }
  OpSchema& device() { return flag(SLUICE_OP_DEVICE); }
  OpSchema& regroup() { return flag(SLUICE_OP_REGROUP); }

  OpSchema& input(std::string name, sluice_kind kind, std::string doc,
                  sluice_dtype dtype = SLUICE_DTYPE_ANY) {
    inputs_.push_back(Port{std::move(name), kind, dtype, false, std::move(doc)});
    return *this;
  }
  OpSchema& optional_input(std::string name, sluice_kind kind, std::string doc,
                           sluice_dtype dtype = SLUICE_DTYPE_ANY) {
    inputs_.push_back(Port{std::move(name), kind, dtype, true, std::move(doc)});
    return *this;
  }
  OpSchema& output(std::string name, sluice_kind kind, std::string doc,
                   sluice_dtype dtype = SLUICE_DTYPE_ANY) {
    outputs_.push_back(Port{std::move(name), kind, dtype, false, std::move(doc)});
    return *this;
  }
  OpSchema& param(ParamSpec p) {
    params_.push_back(std::move(p));
    return *this;
  }

  const std::string& name() const { return name_; }

  // Fills the schema part of `def` (name, doc, flags, ports, params); pointers stay valid while
  // this object lives.
  void fill(sluice_op_def* def) {
    def->name = name_.c_str();
    def->doc = doc_.c_str();
    def->flags = flags_;
    fill_ports(inputs_, &input_defs_, &input_ptrs_);
    fill_ports(outputs_, &output_defs_, &output_ptrs_);
    def->input_count = input_ptrs_.size();
    def->inputs = input_ptrs_.data();
    def->output_count = output_ptrs_.size();
    def->outputs = output_ptrs_.data();
    fill_params(params_, &param_ptrs_);
    def->param_count = param_ptrs_.size();
    def->params = param_ptrs_.data();
  }

  static void fill_params(std::vector<ParamSpec>& params,
                          std::vector<const sluice_param_def*>* ptrs) {
    ptrs->clear();
    for (auto& p : params) ptrs->push_back(p.c_def());
  }

 private:
  struct Port {
    std::string name;
    sluice_kind kind;
    sluice_dtype dtype;
    bool optional;
    std::string doc;
  };
  OpSchema& flag(uint32_t f) {
    flags_ |= f;
    return *this;
  }
  static void fill_ports(const std::vector<Port>& ports, std::vector<sluice_port_def>* defs,
                         std::vector<const sluice_port_def*>* ptrs) {
    defs->clear();
    ptrs->clear();
    defs->reserve(ports.size());
    for (const auto& p : ports) {
      sluice_port_def d{};
      d.struct_size = sizeof(d);
      d.name = p.name.c_str();
      d.kind = p.kind;
      d.dtype = p.dtype;
      d.optional = p.optional ? 1 : 0;
      d.doc = p.doc.c_str();
      defs->push_back(d);
    }
    for (const auto& d : *defs) ptrs->push_back(&d);
  }

  std::string name_, doc_;
  uint32_t flags_ = 0;
  std::vector<Port> inputs_, outputs_;
  std::vector<ParamSpec> params_;
  std::vector<sluice_port_def> input_defs_, output_defs_;
  std::vector<const sluice_port_def*> input_ptrs_, output_ptrs_;
  std::vector<const sluice_param_def*> param_ptrs_;
};

class ResourceSchema {
 public:
  explicit ResourceSchema(std::string type) : type_(std::move(type)) {}
  ResourceSchema& doc(std::string d) {
    doc_ = std::move(d);
    return *this;
  }
  ResourceSchema& param(ParamSpec p) {
    params_.push_back(std::move(p));
    return *this;
  }
  const std::string& type() const { return type_; }

  void fill(sluice_resource_def* def) {
    def->type = type_.c_str();
    def->doc = doc_.c_str();
    OpSchema::fill_params(params_, &param_ptrs_);
    def->param_count = param_ptrs_.size();
    def->params = param_ptrs_.data();
  }

 private:
  std::string type_, doc_;
  std::vector<ParamSpec> params_;
  std::vector<const sluice_param_def*> param_ptrs_;
};

// A layer type's schema (ABI 1.2): its name ("mylayers.swish"), doc and args, which a model's
// layer list entry gives beside its `type` and the engine checks as it checks an op's params.
class LayerSchema {
 public:
  explicit LayerSchema(std::string type) : type_(std::move(type)) {}
  LayerSchema& doc(std::string d) {
    doc_ = std::move(d);
    return *this;
  }
  LayerSchema& arg(ParamSpec p) {
    args_.push_back(std::move(p));
    return *this;
  }
  const std::string& type() const { return type_; }

  void fill(sluice_layer_def* def) {
    def->type = type_.c_str();
    def->doc = doc_.c_str();
    OpSchema::fill_params(args_, &arg_ptrs_);
    def->arg_count = arg_ptrs_.size();
    def->args = arg_ptrs_.data();
  }

 private:
  std::string type_, doc_;
  std::vector<ParamSpec> args_;
  std::vector<const sluice_param_def*> arg_ptrs_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEMA_HPP_
