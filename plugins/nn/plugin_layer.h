// Layer types that other plugins provide through the C ABI (sluice_layer_def, ABI 1.2; buffers
// 1.3), run as nn Layers: a layer list entry whose type carries a plugin prefix
// ("mylayers.swish"). The type is looked up through the host (which loads the plugin providing it
// on demand) and its args are checked by the engine against the type's schema when the layer list
// is parsed; make_layer then creates an instance. The adapter owns the layer's tensors:
// parameters (as nn Parameters, so the optimizers, checkpoints and .safetensors files see them as
// any layer's), its buffers (state_dict tensors it updates in training passes), the buffers a
// forward pass saves (in ForwardContext::saved) and the pass's input and output. A plugin layer's
// error is reported naming its type: from output_shape and construction as a Status, from forward
// and backward (which return nothing) as a thrown sluice::Error, which Model::forward and the
// SDK's op boundary turn back into a status.
#pragma once

#include "nn/layer.h"

#include <sluice/params.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

// A new layer of spec.plugin, its parameters initialised by the plugin from init.seed (or, with
// InitialValues::kNone, declared but given no values and not initialised).
Expected<std::unique_ptr<Layer>> make_plugin_layer(const LayerSpec& spec,
                                                   const ParameterInit& init);

// A float32 tensor, contiguous row-major, as the C ABI describes it: `shape`, `data` on `device`
// (index 0). A view: it owns nothing.
sluice_tensor_info float_tensor_view(const std::vector<int64_t>& shape, const float* data,
                                     sluice_device_type device);
// A layer's parameter (value and gradient) or buffer (grad null) as the C ABI describes it; the
// name's characters must outlive the view.
sluice_layer_param layer_param_view(const std::string& name, const std::vector<int64_t>& shape,
                                    float* value, float* grad);
// One pass of a layer as the C ABI describes it, over the caller's views of its parameters, saved
// buffers and layer buffers (which must outlive it); `stream` is the cudaStream_t of a CUDA pass,
// null on the CPU.
sluice_layer_pass layer_pass_view(bool training, uint64_t seed,
                                  const std::vector<sluice_layer_param>& params,
                                  const std::vector<sluice_tensor_info>& saved,
                                  const std::vector<sluice_layer_param>& buffers, void* stream);

// One instance of a plugin's layer type (created from its spec, destroyed with this) and the
// queries the engine makes of it, each error naming the type and callback ("layer
// mylayers.swish: saved_shapes: ..."). An instance holds only what create() made of its args, so
// a second one (the model's CUDA path keeps its own) computes what the model's does. Thread-safe
// as the queries are (the ABI lets any thread call them).
class PluginLayerInstance {
 public:
  static Expected<std::shared_ptr<PluginLayerInstance>> create(const LayerSpec& spec,
                                                               uint64_t seed);
  ~PluginLayerInstance();
  PluginLayerInstance(const PluginLayerInstance&) = delete;
  PluginLayerInstance& operator=(const PluginLayerInstance&) = delete;

  const sluice_layer_def& def() const { return *def_; }
  void* instance() const { return instance_; }
  // Whether the type has CUDA entry points (forward_cuda, backward_cuda).
  bool has_cuda() const { return def_->forward_cuda != nullptr; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const;
  // The shapes of the buffers a pass on an input of `in` saves for its backward pass.
  Expected<std::vector<std::vector<int64_t>>> saved_shapes(const std::vector<int64_t>& in) const;
  // The status of `callback` (a plugin call returning a C status), named as above.
  template <class F>
  Status call(const char* callback, F&& f) const {
    return named(callback, invoke(std::forward<F>(f)));
  }
  // The status a plugin call returns, unnamed; an exception escaping it (which the ABI forbids)
  // becomes INTERNAL.
  template <class F>
  static Status invoke(F&& f) {
    try {
      return from_c(f());
    } catch (const std::exception& e) {
      return Status::Internal(std::string("threw an exception across the C ABI: ") + e.what());
    } catch (...) {
      return Status::Internal("threw an exception across the C ABI");
    }
  }
  // `s` with "layer <type>: <callback>: " in front of its message.
  Status named(const char* callback, const Status& s) const;

 private:
  PluginLayerInstance(std::shared_ptr<const PluginLayerType> type, void* instance)
      : type_(std::move(type)), def_(type_->def), instance_(instance) {}
  std::shared_ptr<const PluginLayerType> type_;  // keeps the args alive
  const sluice_layer_def* def_;
  void* instance_;
};

}  // namespace sluice::nn
