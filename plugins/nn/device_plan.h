// What the CUDA path of a model runs: the layers of a built Model, as its LayerSpecs declare them,
// in the form the device model executes (nn/cuda/device_model.cc), each with its dimensions and
// the indices of its parameters in Model::parameters(). Plain C++ (no CUDA), so the planning and
// the refusal of layer types without a CUDA path are tested on any machine. Pure functions,
// thread-safe.
#pragma once

#include "nn/layer.h"
#include "nn/model.h"
#include "nn/plugin_layer.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::nn {

enum class DeviceOp {
  kLinear,                  // dims: in, out; params: weight (out, in)[, bias (out)]
  kEmbedding,               // dims: count, dim; params: weight (count, dim)
  kTokenPositionEmbedding,  // dims: count, dim, block_size; params: wte, wpe
  kLayerNorm,               // dims: dim; params: weight, bias
  kGelu,
  kRelu,
  kTanh,
  kDropout,     // p: the identity unless training with p > 0
  kMaskedMean,  // (B, T, D) -> (B, D), over the positions whose id is not the pad id
  kAttention,   // dims: dim, heads; params: c_attn.weight, c_attn.bias, c_proj.weight, .bias
  kBlock,       // dims: dim, heads, hidden; params: ln_1 (2), attn (4), ln_2 (2), c_fc (2),
                // c_proj (2), in the order TransformerBlock::parameters() gives them
  kResidual,    // body: the layers of in + body(in)
  kConv2d,      // dims: in (channels), out (channels), kernel, stride, padding; params: weight
                // (out, in, kernel, kernel)[, bias (out)]
  kMaxPool2d,   // dims: kernel, stride
  kAvgPool2d,   // dims: kernel, stride
  kFlatten,     // (B, ...) -> (B, the rest's size)
  kBatchNorm,   // dims: dim (channels), eps, momentum; params: weight, bias when affine (bias);
                // buffers: running_mean, running_var, num_batches_tracked
  kPlugin,      // another plugin's layer type with CUDA entry points (forward_cuda,
                // backward_cuda); params: its parameters in its order; buffers: its buffers'
                // names; plugin: its instance
};

struct DeviceLayer {
  DeviceOp op;
  std::string type;  // the spec's type, for messages
  int64_t in = 0, out = 0, count = 0, dim = 0, heads = 0, hidden = 0, block_size = 0;
  int64_t kernel = 0, stride = 0, padding = 0;  // conv2d, pooling
  double p = 0;                                 // dropout
  double eps = 0, momentum = 0;                 // batch_norm
  bool bias = false;                            // linear, conv2d; batch_norm: affine
  std::vector<size_t> params;        // indices into Model::parameters(), in the layer's order
  std::vector<DeviceLayer> body;     // residual
  std::vector<std::string> buffers;  // batch_norm, kPlugin: its buffers' state_dict names
  // kPlugin: the names its plugin declared, within the layer ("weight", "running_mean"), of its
  // params and buffers, in their order
  std::vector<std::string> param_names, buffer_names;
  // kPlugin: an instance of the layer type of the CUDA path's own (plugin_layer.h), made from the
  // spec as the model's was.
  std::shared_ptr<const PluginLayerInstance> plugin;
};

// The layer types the CUDA path runs, for messages and docs.
const std::vector<std::string>& device_layer_types();

// The plan of `model`, built from `specs` (the same list). An error names the first layer the
// CUDA path does not run, by its index (nested: "layer 2 (residual): body layer 0 (...)") and
// type, and lists the types it runs; another plugin's layer type runs when it has CUDA entry
// points (its buffers, if any, are copied to the device for each pass and back after training).
Expected<std::vector<DeviceLayer>> plan_device_layers(const std::vector<LayerSpec>& specs,
                                                      const Model& model);

// The shape layer `l` gives for input shape `in` (which the CPU model accepted); an error only
// from a plugin's layer type, naming it.
Expected<std::vector<int64_t>> device_output_shape(const DeviceLayer& l,
                                                   const std::vector<int64_t>& in);

}  // namespace sluice::nn
