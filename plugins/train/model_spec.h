// A model declared inside an op's params rather than as a pipeline resource, for ops that build
// fresh models of their own (train.cross_validate: one per fold): the map an nn.model resource
// is declared with, {layers: [...], seed: 0, pad_id: 0}, whose `type`, when given, must be
// nn.model, so a YAML anchor on the resource can be reused. Pure.
#pragma once

#include "nn/model.h"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace sluice::train {

struct ModelSpec {
  std::vector<nn::LayerSpec> layers;
  uint64_t seed = 0;   // of the initial weights
  int32_t pad_id = 0;  // the id masked_mean leaves out
};

// The spec in `model` (the param named `name`); an error names the param, the key, and what was
// expected and found, and checks the layers by building them once.
Expected<ModelSpec> model_spec(const Param& model, const std::string& name);

// A new model of `spec`, its weights drawn from spec.seed (the same weights every call).
Expected<std::unique_ptr<nn::Model>> build_model(const ModelSpec& spec);

}  // namespace sluice::train
