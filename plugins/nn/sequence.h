// Layers applied in order, as the body of PyTorch's nn.Sequential: what a Model runs and what a
// residual block wraps. Names its layers' parameters and buffers as that module's state_dict
// does ("<layer index>.<name>") and keeps each pass's state in a SequencePass, so forward() is
// const and may run on several threads at once (each with its own pass); backward() runs on one
// thread at a time, as Layer's.
#pragma once

#include "nn/layer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sluice::nn {

// What one pass through a Sequence keeps for its backward pass.
struct SequencePass {
  std::vector<Buffer> acts;   // acts[i]: the output of layer i
  std::vector<Buffer> grads;  // grads[i], i >= 1: the gradient of layer i's input (backward's)
  std::vector<std::vector<Buffer>> saved;         // saved[i]: layer i's ctx.saved
  std::vector<std::vector<SequencePass>> nested;  // nested[i]: layer i's ctx.nested
  std::vector<std::vector<Buffer>> cache;         // cache[i]: layer i's ctx.cache
  const Buffer& output() const { return acts.back(); }
};

// The seed of part `i` of something seeded with `seed` (splitmix64 of both): layer i's
// initialisation and its draws in a pass.
uint64_t mix_seed(uint64_t seed, uint64_t i);

class Sequence {
 public:
  // The layers `specs` describe (at least one), layer i initialised as `init` says with the
  // seed mix_seed(init.seed, i). Errors name the layer by index.
  static Expected<Sequence> build(const std::vector<LayerSpec>& specs, const ParameterInit& init);

  // The output shape for an input of shape `in`; an error names the layer, by index, that
  // refused its input.
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const;
  // Runs every layer on `in`, whose shape output_shape() accepted; the output is
  // pass.output(). Layer i sees `ctx` with the seed mix_seed(ctx.seed, i) and its own saved,
  // nested and cached state in `pass`.
  void forward(const Buffer& in, ForwardContext ctx, SequencePass& pass) const;
  // The backward pass of the forward pass that filled `pass` from `in` with `ctx`: given dout
  // (shaped as the output), adds the parameters' gradients and, when `din` is not null, writes
  // the gradient of `in` into it (sized as in).
  void backward(const Buffer& in, const Buffer& dout, Buffer* din, ForwardContext ctx,
                SequencePass& pass);

  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  // Whether every layer runs decoding passes (Layer::decodes).
  bool decodes() const;
  // Every parameter with its name "<layer index>.<name>", in layer order.
  const std::vector<std::pair<std::string, Parameter*>>& parameters() const { return params_; }
  // Every buffer, named "<layer index>.<name>", in layer order.
  std::vector<StateTensor> buffers() const;

 private:
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::pair<std::string, Parameter*>> params_;
};

}  // namespace sluice::nn
