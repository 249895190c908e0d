#include "nn/sequence.h"

#include <algorithm>

namespace sluice::nn {

uint64_t mix_seed(uint64_t seed, uint64_t i) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Expected<Sequence> Sequence::build(const std::vector<LayerSpec>& specs, const ParameterInit& init) {
  if (specs.empty()) return Status::Invalid("expected at least one layer, found none");
  Sequence seq;
  for (size_t i = 0; i < specs.size(); ++i) {
    Expected<std::unique_ptr<Layer>> layer =
        make_layer(specs[i], {mix_seed(init.seed, i), init.values});
    if (!layer.ok()) {
      return Status::Invalid("layer " + std::to_string(i) + ": " + layer.status().message());
    }
    for (Parameter* p : (*layer)->parameters()) {
      seq.params_.emplace_back(std::to_string(i) + "." + p->name, p);
    }
    seq.layers_.push_back(std::move(*layer));
  }
  return seq;
}

Expected<std::vector<int64_t>> Sequence::output_shape(const std::vector<int64_t>& in) const {
  std::vector<int64_t> shape = in;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Expected<std::vector<int64_t>> next = layers_[i]->output_shape(shape);
    if (!next.ok()) {
      return Status::Invalid("layer " + std::to_string(i) + ": " + next.status().message());
    }
    shape = std::move(*next);
  }
  return shape;
}

void Sequence::forward(const Buffer& in, ForwardContext ctx, SequencePass& pass) const {
  const size_t n = layers_.size();
  pass.acts.resize(n);
  pass.saved.resize(n);
  pass.nested.resize(n);
  pass.cache.resize(n);
  const uint64_t seed = ctx.seed;
  for (size_t i = 0; i < n; ++i) {
    const Buffer& x = i == 0 ? in : pass.acts[i - 1];
    pass.acts[i].resize(*layers_[i]->output_shape(x.shape));
    ctx.seed = mix_seed(seed, i);
    ctx.saved = &pass.saved[i];
    ctx.nested = &pass.nested[i];
    ctx.cache = &pass.cache[i];
    layers_[i]->forward(x, pass.acts[i], ctx);
  }
}

void Sequence::backward(const Buffer& in, const Buffer& dout, Buffer* din, ForwardContext ctx,
                        SequencePass& pass) {
  const size_t n = layers_.size();
  pass.grads.resize(n);
  const uint64_t seed = ctx.seed;
  for (size_t i = n; i-- > 0;) {
    const Buffer& x = i == 0 ? in : pass.acts[i - 1];
    Buffer* dx = din;
    if (i > 0) {
      pass.grads[i].resize(x.shape);
      dx = &pass.grads[i];
    }
    ctx.seed = mix_seed(seed, i);
    ctx.saved = &pass.saved[i];
    ctx.nested = &pass.nested[i];
    layers_[i]->backward(x, pass.acts[i], i + 1 == n ? dout : pass.grads[i + 1], dx, ctx);
  }
}

bool Sequence::decodes() const {
  return std::all_of(layers_.begin(), layers_.end(),
                     [](const std::unique_ptr<Layer>& layer) { return layer->decodes(); });
}

std::vector<StateTensor> Sequence::buffers() const {
  std::vector<StateTensor> out;
  for (size_t i = 0; i < layers_.size(); ++i) {
    for (StateTensor b : layers_[i]->buffers()) {
      b.name = std::to_string(i) + "." + b.name;
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace sluice::nn
