// The layer registry (make_layer, layer_types) and the Buffer helpers.
#include "nn/layer_support.h"
#include "nn/plugin_layer.h"

namespace sluice::nn {
namespace {

Status check_args(const LayerSpec& spec, const LayerType& type) {
  auto wrong = [&](const std::string& name, const char* expected, const char* found) {
    if (expected != nullptr) {
      return Status::Invalid("layer " + spec.type + ": expected '" + name + "' to be " + expected +
                             ", found " + found);
    }
    std::string list;
    for (const auto& k : type.args) list += (list.empty() ? "" : ", ") + k;
    for (const auto& k : type.lists) list += (list.empty() ? "" : ", ") + k;
    return Status::Invalid("layer " + spec.type + ": expected arguments among {" + list +
                           "}, found '" + name + "'");
  };
  for (const auto& [name, value] : spec.args) {
    if (type.args.count(name) != 0) continue;
    return wrong(name, type.lists.count(name) != 0 ? "a list of layers" : nullptr, "a number");
  }
  for (const auto& [name, list] : spec.lists) {
    if (type.lists.count(name) != 0) continue;
    return wrong(name, type.args.count(name) != 0 ? "a number" : nullptr, "a list of layers");
  }
  return {};
}

const LayerTypes& types() {
  // An object, not a leaked pointer: the plugin may be unloaded, and its statics with it.
  static const LayerTypes table = [] {
    LayerTypes t;
    add_dense_layers(t);
    add_conv_layers(t);
    add_transformer_layers(t);
    add_norm_layers(t);
    add_composite_layers(t);
    return t;
  }();
  return table;
}

}  // namespace

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

void Buffer::resize(std::vector<int64_t> new_shape) {
  shape = std::move(new_shape);
  values.assign(static_cast<size_t>(numel(shape)), 0.0f);
}

int64_t Buffer::row_size() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

const std::vector<std::string>& layer_types() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [name, type] : types()) v.push_back(name);
    return v;
  }();
  return names;
}

Expected<std::unique_ptr<Layer>> make_layer(const LayerSpec& spec, const ParameterInit& init) {
  auto it = types().find(spec.type);
  if (it == types().end()) {
    if (spec.plugin != nullptr) return make_plugin_layer(spec, init);
    std::string list;
    for (const auto& t : layer_types()) list += (list.empty() ? "" : ", ") + t;
    return Status::Invalid("expected a layer type among {" + list +
                           "} or a plugin's ('<plugin>.<name>'), found '" + spec.type + "'");
  }
  SLUICE_RETURN_IF_ERROR(check_args(spec, it->second));
  try {
    return it->second.make(spec, init);
  } catch (const Error& e) {  // make_parameter's, for a shape too large
    return e.status();
  }
}

}  // namespace sluice::nn
