// Layer types that other plugins provide through the C ABI (sluice_layer_def, ABI 1.2), run as
// nn Layers: a layer list entry whose type carries a plugin prefix ("mylayers.swish"). The type is
// looked up through the host (which loads the plugin providing it on demand) and its args are
// checked by the engine against the type's schema when the layer list is parsed; make_layer then
// creates an instance. The adapter owns the layer's tensors: parameters (as nn Parameters, so the
// optimizers, checkpoints and .safetensors files see them as any layer's), the buffers a forward
// pass saves (in ForwardContext::saved) and the pass's input and output. A plugin layer's error
// is reported naming its type: from output_shape and construction as a Status, from forward and
// backward (which return nothing) as a thrown sluice::Error, which Model::forward and the SDK's
// op boundary turn back into a status.
#pragma once

#include "nn/layer.h"

#include <sluice/params.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace sluice::nn {

// What a LayerSpec of a plugin's layer type holds: its definition and its checked args.
struct PluginLayerType {
  const sluice_layer_def* def = nullptr;
  std::shared_ptr<const sluice_param> args;  // a MAP with the defaults filled in
};

// Whether `type` names a plugin's layer type ("plugin.name"); built-in types have no dot.
bool is_plugin_layer_type(const std::string& type);

// The spec of the layer list entry `entry` (a map whose `type` is `type`, the other keys its
// args). Fails naming the type: no plugin provides it, or the args are not what it expects.
Expected<LayerSpec> plugin_layer_spec(const std::string& type, const Param& entry);

// A new layer of spec.plugin, its parameters initialised by the plugin from `seed`.
Expected<std::unique_ptr<Layer>> make_plugin_layer(const LayerSpec& spec, uint64_t seed);

}  // namespace sluice::nn
