#include "nn/model.h"

#include "io/output_file.h"
#include "io/safetensors.h"

#include <cstring>
#include <map>

namespace sluice::nn {
namespace {

uint64_t mix(uint64_t seed, uint64_t i) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Expected<std::unique_ptr<Model>> Model::build(const std::vector<LayerSpec>& specs, uint64_t seed,
                                              int32_t pad_id) {
  if (specs.empty()) return Status::Invalid("expected at least one layer, found none");
  auto model = std::make_unique<Model>();
  model->pad_id_ = pad_id;
  for (size_t i = 0; i < specs.size(); ++i) {
    Expected<std::unique_ptr<Layer>> layer = make_layer(specs[i], mix(seed, i));
    if (!layer.ok()) {
      return Status::Invalid("layer " + std::to_string(i) + ": " + layer.status().message());
    }
    if ((*layer)->takes_ids() && i != 0) {
      return Status::Invalid("layer " + std::to_string(i) + " (" + specs[i].type +
                             "): expected it first, as it reads the model's input ids");
    }
    for (Parameter* p : (*layer)->parameters()) {
      model->params_.emplace_back(std::to_string(i) + "." + p->name, p);
    }
    model->layers_.push_back(std::move(*layer));
  }
  model->takes_ids_ = model->layers_[0]->takes_ids();
  if (model->takes_ids_) model->vocabulary_size_ = model->params_.at(0).second->shape.at(0);
  return model;
}

Status Model::forward(const ModelInput& in, bool training, uint64_t seed, Workspace& ws) const {
  if (takes_ids_ != (in.ids != nullptr)) {
    return Status::Invalid(
        std::string("model input: expected ") +
        (takes_ids_ ? "int32 ids (its first layer is an embedding)" : "float32 features") +
        ", found " + (in.ids != nullptr ? "int32 ids" : "float32 features"));
  }
  if (in.shape.empty() || in.shape[0] < 1) {
    return Status::Invalid("model input: expected a batch of at least one row, found shape " +
                           shape_text(in.shape));
  }
  ws.ctx.training = training;
  ws.ctx.seed = seed;
  ws.acts.resize(layers_.size() + 1);
  ws.saved.resize(layers_.size());
  ws.acts[0].resize(in.shape);
  if (takes_ids_) {
    if (in.shape.size() != 2) {
      return Status::Invalid("model input: expected ids of shape (batch, length), found " +
                             shape_text(in.shape));
    }
    const int64_t n = in.shape[0] * in.shape[1];
    for (int64_t i = 0; i < n; ++i) {
      if (in.ids[i] < 0 || in.ids[i] >= vocabulary_size_) {
        return Status::Invalid("model input: expected ids in [0, " +
                               std::to_string(vocabulary_size_) + "), found " +
                               std::to_string(in.ids[i]) + " at position " + std::to_string(i));
      }
    }
    ws.ctx.ids = in.ids;
    ws.ctx.ids_shape = in.shape;
    ws.ctx.mask.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) ws.ctx.mask[i] = in.ids[i] != pad_id_ ? 1 : 0;
  } else {
    std::memcpy(ws.acts[0].values.data(), in.features, ws.acts[0].values.size() * sizeof(float));
  }
  for (size_t i = 0; i < layers_.size(); ++i) {
    Expected<std::vector<int64_t>> shape = layers_[i]->output_shape(ws.acts[i].shape);
    if (!shape.ok()) {
      return Status::Invalid("layer " + std::to_string(i) + ": " + shape.status().message());
    }
    ws.acts[i + 1].resize(*shape);
    ws.ctx.seed = mix(seed, i);
    ws.ctx.saved = &ws.saved[i];
    layers_[i]->forward(ws.acts[i], ws.acts[i + 1], ws.ctx);
  }
  ws.ctx.seed = seed;
  ws.ctx.saved = nullptr;
  return {};
}

void Model::backward(Workspace& ws, const Buffer& dout) {
  ws.grads.resize(layers_.size() + 1);
  ws.grads[layers_.size()] = dout;
  const uint64_t seed = ws.ctx.seed;
  for (size_t i = layers_.size(); i-- > 0;) {
    Buffer* din = nullptr;
    if (i > 0) {
      ws.grads[i].resize(ws.acts[i].shape);
      din = &ws.grads[i];
    }
    ws.ctx.seed = mix(seed, i);
    ws.ctx.saved = &ws.saved[i];
    layers_[i]->backward(ws.acts[i], ws.acts[i + 1], ws.grads[i + 1], din, ws.ctx);
  }
  ws.ctx.seed = seed;
}

void Model::zero_grad() {
  for (auto& [name, p] : params_) std::fill(p->grad.begin(), p->grad.end(), 0.0f);
}

Status Model::save(const std::string& path) const {
  std::vector<io::SafetensorsTensor> tensors;
  for (const auto& [name, p] : params_) {
    tensors.push_back({name,
                       SLUICE_DTYPE_FLOAT32,
                       p->shape,
                       {std::string_view(reinterpret_cast<const char*>(p->value.data()),
                                         p->value.size() * sizeof(float))}});
  }
  io::OutputFile file;
  SLUICE_RETURN_IF_ERROR(file.open(path));
  SLUICE_RETURN_IF_ERROR(io::write_safetensors(file, tensors, {{"format", "pt"}}));
  return file.close();
}

Status Model::load(const std::string& path) {
  Expected<std::vector<io::SafetensorsEntry>> entries = io::read_safetensors(path);
  if (!entries.ok()) return entries.status();
  std::map<std::string, const io::SafetensorsEntry*> by_name;
  for (const io::SafetensorsEntry& e : *entries) by_name[e.name] = &e;
  for (const auto& [name, p] : params_) {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      return Status::Invalid("'" + path + "': expected tensor '" + name + "' " +
                             shape_text(p->shape) + ", found none");
    }
    const io::SafetensorsEntry& e = *it->second;
    if (e.dtype != SLUICE_DTYPE_FLOAT32 || e.shape != p->shape) {
      return Status::Invalid("'" + path + "': expected tensor '" + name + "' float32 " +
                             shape_text(p->shape) + ", found " + io::safetensors_dtype(e.dtype) +
                             " " + shape_text(e.shape));
    }
  }
  for (const auto& [name, p] : params_) {
    const io::SafetensorsEntry& e = *by_name[name];
    std::memcpy(p->value.data(), e.data.data(), e.data.size());
  }
  return {};
}

}  // namespace sluice::nn
