// A model layer: a forward function of the previous layer's output, its backward pass, its
// parameters and its buffers (PyTorch state_dict names relative to the layer: "weight", "bias",
// "running_mean"). A layer holds no per-call state, so forward() may run on several threads at
// once; backward() accumulates into the parameters' grad buffers, updates the layer's buffers
// and is called by one thread at a time.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sluice::nn {

// A float32 tensor owned by the model code: activations, their gradients, parameters.
struct Buffer {
  std::vector<int64_t> shape;
  std::vector<float> values;

  void resize(std::vector<int64_t> new_shape);
  int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
  int64_t row_size() const;  // product of the dims after the first
};

// A trained tensor with its gradient (same shape).
struct Parameter {
  std::string name;  // "weight", "bias"
  std::vector<int64_t> shape;
  std::vector<float> value;
  // The gradient, value's size, or empty until the model's first backward pass or zero_grad()
  // (Model allocates it): a model that only runs inference never holds one.
  std::vector<float> grad;

  // Gives grad value's size, all zero, where it is still empty (no backward pass reached it).
  void allocate_grad() {
    if (grad.empty()) grad.assign(value.size(), 0.0f);
  }
};

// A view of a tensor of a model's state_dict, valid while its layer lives: a parameter's value,
// or a buffer, a tensor the layer owns and updates itself rather than the optimizer (a PyTorch
// module buffer: batch_norm's running_mean, running_var and num_batches_tracked).
struct StateTensor {
  std::string name;            // "running_mean"
  sluice_dtype dtype;          // SLUICE_DTYPE_FLOAT32 or SLUICE_DTYPE_INT64
  std::vector<int64_t> shape;  // {} for a scalar
  void* data;
  size_t bytes;
};

struct SequencePass;  // sequence.h

// The sequences a decoding pass (Model::decode) extends: row b of its batch holds new ids of
// sequence sequences[b], which follow the positions[b] ids that earlier passes decoded.
struct DecodeRows {
  std::vector<int64_t> sequences;
  std::vector<int64_t> positions;
};

// What a forward pass sees besides the previous layer's output.
struct ForwardContext {
  const int32_t* ids = nullptr;  // the model's input ids (B, T), when it takes ids
  std::vector<int64_t> ids_shape;
  std::vector<uint8_t> mask;  // (B, T): 1 where ids[b, t] is not the model's pad id
  bool training = false;      // dropout is active only when training
  uint64_t seed = 0;          // draws of random layers (dropout) in this pass
  // What this layer keeps from its forward pass for its backward pass (the Workspace's, one list
  // per layer, so a const forward stays thread-safe); forward sizes and fills it.
  std::vector<Buffer>* saved = nullptr;
  // The passes of the layer sequences nested in this layer (residual's body), the Workspace's as
  // `saved` is; the layer sizes it, one entry per nested sequence.
  std::vector<SequencePass>* nested = nullptr;
  // Incremental decoding (Model::decode): when set, each row of the pass holds only the new
  // positions of a sequence, after those earlier decoding passes with the same Workspace ran
  // over (`decode_rows` says which sequence and how many). `cache` is the layer's own list for
  // what later passes need (attention's keys and values of every sequence), the Workspace's as
  // `saved` is, kept between passes.
  const DecodeRows* decode_rows = nullptr;
  std::vector<Buffer>* cache = nullptr;
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual const char* type() const = 0;
  // The output shape for an input of shape `in` (the first dimension is the batch); an error
  // says what the layer expected and what it found.
  virtual Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const = 0;
  // out = layer(in); `out` is already sized to output_shape(in.shape).
  virtual void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const = 0;
  // Given dout (shaped as out), adds the parameters' gradients and, when `din` is not null,
  // writes the gradient of the input into it (already sized as in). Buffers: forward is const,
  // so a training pass (ctx.training) only saves what it measured (batch_norm's batch
  // statistics, in ctx.saved) and its backward pass, which has exclusive access, folds that
  // into the layer's buffers: once per training forward-backward pair (as PyTorch updates them
  // once per training forward), in the order the backward passes run. Inference passes never
  // change them, so results are the same for any number of threads.
  virtual void backward(const Buffer& in, const Buffer& out, const Buffer& dout, Buffer* din,
                        const ForwardContext& ctx) = 0;
  virtual std::vector<Parameter*> parameters() { return {}; }
  virtual std::vector<StateTensor> buffers() { return {}; }
  // Whether forward reads ctx.ids instead of `in` (it must then be the first layer).
  virtual bool takes_ids() const { return false; }
  // The longest sequence (ids per row) the layer accepts; 0: no limit.
  virtual int64_t max_length() const { return 0; }
  // Whether forward() runs decoding passes (ctx.decode_rows set), giving the new positions the
  // output a pass over the whole sequence would give them: true for the layers that work position
  // by position and for those that keep what they need in ctx.cache (attention); false for those
  // that need the whole sequence (masked_mean, convolutions, batch_norm) and for plugin layers.
  virtual bool decodes() const { return false; }
};

// "(2, 3)" for a shape {2, 3}.
std::string shape_text(const std::vector<int64_t>& shape);

// The number of values of a tensor of `shape` (1 for a scalar's {}).
inline int64_t numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

struct PluginLayerType;  // plugin_layer.h

// A layer as the pipeline file declares it: `type`, its numeric arguments and its arguments that
// are lists of layers (residual's body); for a plugin's layer type ("mylayers.swish"), its
// definition and checked arguments instead.
struct LayerSpec {
  std::string type;
  std::map<std::string, double> args;
  std::map<std::string, std::vector<LayerSpec>> lists{};
  std::shared_ptr<const PluginLayerType> plugin{};
};

// What a model's parameters hold once it is built.
enum class InitialValues {
  // Drawn from ParameterInit::seed as PyTorch's defaults draw them.
  kDrawn,
  // Zero (batch_norm's at its fixed start), because every one is about to be overwritten, as when
  // a weights file is loaded next: the draws are most of the time it takes to build a large model.
  kToLoad,
  // None: parameters and plugin layers' buffers get their names and shapes but no values, nothing
  // is drawn and no plugin initialises them. For a model built only to be checked, as validation
  // does, which must never run: allocating and zeroing a large model's values was most of its
  // validation's time.
  kNone,
};

// How a layer's parameters start. A plugin's layer type starts its parameters its own way, from
// `seed`, whether kDrawn or kToLoad.
struct ParameterInit {
  uint64_t seed = 0;
  InitialValues values = InitialValues::kDrawn;

  bool draws() const { return values == InitialValues::kDrawn; }
  bool allocates() const { return values != InitialValues::kNone; }
};

// The layer `spec` describes, its parameters initialised as PyTorch's defaults do (drawn as
// `init` says: linear weight and bias U(-1/sqrt(in), 1/sqrt(in)), embedding N(0, 1); batch_norm
// weight 1 and bias 0). Types: linear (in, out, bias 0|1), embedding (num_embeddings, dim),
// masked_mean, relu, gelu, tanh, dropout (p), batch_norm (num_features, eps, momentum, affine 0|1),
// residual (body: a list of layers), the conv and transformer families, and the layer types of
// other plugins (spec.plugin set: plugin_layer.h). An error names the type or argument and what was
// expected.
Expected<std::unique_ptr<Layer>> make_layer(const LayerSpec& spec, const ParameterInit& init);

// The layer types make_layer knows, for messages and docs.
const std::vector<std::string>& layer_types();

}  // namespace sluice::nn
