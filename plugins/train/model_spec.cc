#include "train/model_spec.h"

#include "nn/model_resource.h"

#include <string>

namespace sluice::train {
namespace {

// A non-negative int of `model` under `key`, or `fallback` when absent.
Expected<int64_t> count_of(const Param& model, const char* key, int64_t fallback,
                           const std::string& where) {
  const Param p = model.get(key);
  if (p.is_null()) return fallback;
  if (p.kind() != SLUICE_PARAM_INT || p.as<int64_t>() < 0) {
    return Status::Invalid(where + ", '" + key + "': expected an int >= 0, found " +
                           (p.kind() == SLUICE_PARAM_INT ? std::to_string(p.as<int64_t>())
                                                         : std::string("another value")));
  }
  return p.as<int64_t>();
}

}  // namespace

Expected<ModelSpec> model_spec(const Param& model, const std::string& name) {
  const std::string where = "param '" + name + "'";
  if (model.kind() != SLUICE_PARAM_MAP) {
    return Status::Invalid(where + ": expected a map {layers: [...], seed, pad_id}, found " +
                           (model.is_null() ? "none" : "another value"));
  }
  for (size_t i = 0; i < model.size(); ++i) {
    const std::string key = model.key_at(i);
    if (key != "type" && key != "layers" && key != "seed" && key != "pad_id") {
      return Status::Invalid(
          where + ": expected the keys layers, seed, pad_id (and type), found '" + key + "'");
    }
  }
  const Param type = model.get("type");
  if (!type.is_null() &&
      (type.kind() != SLUICE_PARAM_STRING || type.as<std::string>() != "nn.model")) {
    return Status::Invalid(where + ", 'type': expected nn.model, found " +
                           (type.kind() == SLUICE_PARAM_STRING ? "'" + type.as<std::string>() + "'"
                                                               : std::string("another value")));
  }
  Expected<std::vector<nn::LayerSpec>> layers = nn::layer_specs(model.get("layers"));
  if (!layers.ok()) return Status::Invalid(where + ": " + layers.status().message());
  Expected<int64_t> seed = count_of(model, "seed", 0, where);
  if (!seed.ok()) return seed.status();
  Expected<int64_t> pad_id = count_of(model, "pad_id", 0, where);
  if (!pad_id.ok()) return pad_id.status();
  ModelSpec spec{std::move(*layers), static_cast<uint64_t>(*seed), static_cast<int32_t>(*pad_id)};
  // Built to check the layers only: without values for its weights.
  Expected<std::unique_ptr<nn::Model>> built =
      nn::Model::build(spec.layers, {spec.seed, nn::InitialValues::kNone}, spec.pad_id);
  if (!built.ok()) return Status::Invalid(where + ", 'layers': " + built.status().message());
  return spec;
}

Expected<std::unique_ptr<nn::Model>> build_model(const ModelSpec& spec) {
  return nn::Model::build(spec.layers, {spec.seed}, spec.pad_id);
}

}  // namespace sluice::train
