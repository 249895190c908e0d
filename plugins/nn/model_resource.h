// The nn.model resource: a model declared in the pipeline file (its layers, init seed, pad id,
// optional weights to load), shared by the nodes that train it, run it and save it. Training
// takes the write lock for each step; inference takes the read lock, so both may sit in one
// stage. `device`: cpu, cuda (the model's CUDA path, device_model.h, beside the CPU model: refused
// at load without a usable device or with a layer type it does not run) or auto (cuda when that
// works, else the CPU).
#pragma once

#include "nn/device_model.h"
#include "nn/model.h"

#include <sluice/sdk.hpp>

#include <memory>
#include <shared_mutex>
#include <vector>

namespace sluice::nn {

class ModelResource : public Resource {
 public:
  static constexpr const char* kType = "nn.model";
  static ResourceSchema schema();
  static Status check(const Params& params);
  Status open(const Params& params) override;

  Model& model() { return *model_; }
  // The model's CUDA path when it runs on the device, else null. Its parameters are the current
  // ones: the CPU model's are brought up to date by whoever trains on the device (train.fit
  // downloads them at checkpoints and when it closes).
  DeviceModel* device_model() { return device_.get(); }
  // Held for a training step (exclusive) or a forward pass (shared).
  std::shared_mutex& mutex() { return mu_; }

 private:
  std::unique_ptr<Model> model_;
  std::unique_ptr<DeviceModel> device_;  // destroyed before model_
  std::shared_mutex mu_;
};

// The layer list of the `layers` param: a list of maps, each with a `type` and arguments that
// are numbers (booleans are 1 and 0) or lists of layers (residual's body), nested to any depth;
// a plugin's layer type ("mylayers.swish") is looked up (loading its plugin) and its arguments
// checked against its schema here. Fails naming the element and what was expected.
Expected<std::vector<LayerSpec>> layer_specs(const Param& layers);

void add_model_resource(PluginBuilder& plugin);

}  // namespace sluice::nn
