// Serves the host's layer entry points (ABI 1.2: find_layer, layer_args) from a plugin registry:
// a layer type is looked up with Registry::find_layer, which loads the plugin that provides it on
// demand, and a layer's args are checked as an op's params are (resolve_params). Installs itself
// as the process's LayerProvider when made and removes itself when it goes, so keep one alive,
// over the registry the pipeline was loaded with, while a pipeline that may name plugin layers is
// validated and run (the sluice CLI does). Thread-safe, as Registry::find_layer is.
#pragma once

#include "engine/plugin/registry.h"
#include "engine/runtime/layer_provider.h"

namespace sluice {

class LayerCatalog final : public LayerProvider {
 public:
  explicit LayerCatalog(Registry& registry);
  ~LayerCatalog();
  LayerCatalog(const LayerCatalog&) = delete;
  LayerCatalog& operator=(const LayerCatalog&) = delete;

  Expected<const sluice_layer_def*> find_layer(const std::string& type) override;
  // Errors as resolve_params reports them for the owner "layer type '<type>'", joined by "; ".
  Expected<ParamTree> layer_args(const sluice_layer_def& def, const ParamTree& args) override;

 private:
  Registry& registry_;
};

}  // namespace sluice
