// Where the host's layer entry points (ABI 1.2: find_layer, layer_args) get their answers. The
// runtime cannot see the plugin registry or the param checker, which sit above it, so a
// LayerCatalog (engine/config/layer_catalog.h) over a registry installs itself here while it
// lives. Process-wide: the provider installed last (and not yet removed) answers; without one the
// host's layer entry points fail with NOT_FOUND saying so. Thread-safe.
#pragma once

#include "engine/runtime/params.h"

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <string>

namespace sluice {

class LayerProvider {
 public:
  // The definition of layer type `type`, valid while the provider lives; NOT_FOUND naming it.
  virtual Expected<const sluice_layer_def*> find_layer(const std::string& type) = 0;
  // `args` (a MAP, its key `type` skipped) checked against def.args, defaults filled in; the
  // error names the layer type and the argument.
  virtual Expected<ParamTree> layer_args(const sluice_layer_def& def, const ParamTree& args) = 0;

 protected:
  ~LayerProvider() = default;
};

// Makes `provider` the one that answers, until it is removed. Remove it before it goes, and
// only once no host layer call that it may be answering is running (a call holds a shared lock).
void install_layer_provider(LayerProvider* provider);
void remove_layer_provider(LayerProvider* provider);

}  // namespace sluice
