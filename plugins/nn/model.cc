#include "nn/model.h"

#include "io/output_file.h"
#include "io/safetensors.h"

#include <sluice/record.hpp>

#include <algorithm>
#include <cstring>

namespace sluice::nn {
namespace {

// Runs `layers` on the pass `ws` was prepared for; a plugin's layer failing is its status.
Status run_layers(const Sequence& layers, Workspace& ws) {
  try {
    layers.forward(ws.input, ws.ctx, ws.pass);
  } catch (const Error& e) {  // a plugin's layer failed (plugin_layer.h)
    return e.status();
  }
  return {};
}

}  // namespace

Expected<std::unique_ptr<Model>> Model::build(const std::vector<LayerSpec>& specs,
                                              const ParameterInit& init, int32_t pad_id) {
  Expected<Sequence> layers = Sequence::build(specs, init);
  if (!layers.ok()) return layers.status();
  for (size_t i = 1; i < specs.size(); ++i) {
    if (layers->layers()[i]->takes_ids()) {
      return Status::Invalid("layer " + std::to_string(i) + " (" + specs[i].type +
                             "): expected it first, as it reads the model's input ids");
    }
  }
  const bool takes_ids = !specs.empty() && layers->layers()[0]->takes_ids();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].type == "masked_mean" && !takes_ids) {
      return Status::Invalid("layer " + std::to_string(i) +
                             " (masked_mean): expected a model whose first layer reads ids "
                             "(embedding or token_position_embedding; the mask leaves out the pad "
                             "id's positions), found " +
                             specs[0].type + " first");
    }
  }
  auto model = std::make_unique<Model>();
  model->pad_id_ = pad_id;
  model->layers_ = std::move(*layers);
  model->takes_ids_ = takes_ids;
  if (model->takes_ids_) model->vocabulary_size_ = model->parameters().at(0).second->shape.at(0);
  return model;
}

Expected<std::vector<int64_t>> Model::check_input(const ModelInput& in) const {
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
  if (takes_ids_ && in.shape.size() != 2) {
    return Status::Invalid("model input: expected ids of shape (batch, length), found " +
                           shape_text(in.shape));
  }
  Expected<std::vector<int64_t>> out_shape = layers_.output_shape(in.shape);
  if (!out_shape.ok()) return out_shape.status();
  if (takes_ids_) {
    const int64_t n = in.shape[0] * in.shape[1];
    for (int64_t i = 0; i < n; ++i) {
      if (in.ids[i] < 0 || in.ids[i] >= vocabulary_size_) {
        return Status::Invalid("model input: expected ids in [0, " +
                               std::to_string(vocabulary_size_) + "), found " +
                               std::to_string(in.ids[i]) + " at position " + std::to_string(i));
      }
    }
  }
  return out_shape;
}

void Model::prepare(const ModelInput& in, bool training, uint64_t seed, Workspace& ws) const {
  ws.ctx.training = training;
  ws.ctx.seed = seed;
  ws.ctx.decode_rows = nullptr;
  ws.input.resize(in.shape);
  if (takes_ids_) {
    const int64_t n = in.shape[0] * in.shape[1];
    ws.ctx.ids = in.ids;
    ws.ctx.ids_shape = in.shape;
    ws.ctx.mask.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) ws.ctx.mask[i] = in.ids[i] != pad_id_ ? 1 : 0;
  } else {
    std::memcpy(ws.input.values.data(), in.features, ws.input.values.size() * sizeof(float));
  }
}

Status Model::forward(const ModelInput& in, bool training, uint64_t seed, Workspace& ws) const {
  Expected<std::vector<int64_t>> out_shape = check_input(in);
  if (!out_shape.ok()) return out_shape.status();
  prepare(in, training, seed, ws);
  ws.decoded.clear();  // the layers' caches no longer hold decoded sequences
  return run_layers(layers_, ws);
}

Status Model::decode(const int32_t* ids, int64_t n, const DecodeRows& rows, Workspace& ws) const {
  if (!decodes()) {
    const auto& layers = layers_.layers();
    size_t i = 0;
    while (i < layers.size() && layers[i]->decodes()) ++i;
    return Status::Invalid(
        "model: expected a language model whose every layer decodes (reads ids first, then works "
        "position by position or keeps a cache), found " +
        (i < layers.size() ? "layer " + std::to_string(i) + " (" + layers[i]->type() + ")"
                           : std::string("a model of features")));
  }
  if (n < 1) {
    return Status::Invalid("decode: expected at least one new id, found " + std::to_string(n));
  }
  const auto B = static_cast<int64_t>(rows.sequences.size());
  if (B < 1 || rows.positions.size() != rows.sequences.size()) {
    return Status::Invalid("decode: expected a position for each of at least one sequence, found " +
                           std::to_string(rows.positions.size()) + " positions for " +
                           std::to_string(B) + " sequences");
  }
  for (int64_t b = 0; b < B; ++b) {
    const int64_t s = rows.sequences[b], position = rows.positions[b];
    if (s < 0 || std::count(rows.sequences.begin(), rows.sequences.end(), s) != 1) {
      return Status::Invalid("decode: expected distinct sequence numbers >= 0, found " +
                             std::to_string(s) + " in row " + std::to_string(b));
    }
    const int64_t decoded =
        static_cast<size_t>(s) < ws.decoded.size() ? ws.decoded[static_cast<size_t>(s)] : 0;
    if (position < 0 || position > decoded) {
      return Status::Invalid("decode: expected a position in [0, " + std::to_string(decoded) +
                             "] (the positions of sequence " + std::to_string(s) +
                             " decoded so far), found " + std::to_string(position));
    }
    if (max_length() > 0 && position + n > max_length()) {
      return Status::Invalid("decode: expected at most " + std::to_string(max_length()) +
                             " positions (the model's block size), found " +
                             std::to_string(position) + " decoded and " + std::to_string(n) +
                             " new");
    }
  }
  const ModelInput in{{B, n}, ids, nullptr};
  Expected<std::vector<int64_t>> out_shape = check_input(in);
  if (!out_shape.ok()) return out_shape.status();
  prepare(in, false, 0, ws);
  ws.rows = rows;
  ws.ctx.decode_rows = &ws.rows;
  for (int64_t b = 0; b < B; ++b) {  // their caches are rewritten from here on
    const auto s = static_cast<size_t>(rows.sequences[b]);
    if (ws.decoded.size() <= s) ws.decoded.resize(s + 1, 0);
    ws.decoded[s] = 0;
  }
  const Status ran = run_layers(layers_, ws);
  ws.ctx.decode_rows = nullptr;
  SLUICE_RETURN_IF_ERROR(ran);
  for (int64_t b = 0; b < B; ++b) ws.decoded[rows.sequences[b]] = rows.positions[b] + n;
  return {};
}

void Model::backward(Workspace& ws, const Buffer& dout) {
  for (const auto& [name, p] : parameters()) p->allocate_grad();
  layers_.backward(ws.input, dout, nullptr, ws.ctx, ws.pass);
}

void Model::zero_grad() {
  for (const auto& [name, p] : parameters()) p->grad.assign(p->value.size(), 0.0f);
}

std::vector<StateTensor> Model::state_dict() const {
  std::vector<StateTensor> out;
  for (const auto& [name, p] : parameters()) {
    out.push_back(
        {name, SLUICE_DTYPE_FLOAT32, p->shape, p->value.data(), p->value.size() * sizeof(float)});
  }
  for (StateTensor& b : layers_.buffers()) out.push_back(std::move(b));
  return out;
}

Status Model::save(const std::string& path) const {
  const std::vector<StateTensor> state = state_dict();
  std::vector<io::SafetensorsTensor> tensors;
  for (const StateTensor& t : state) {
    tensors.push_back(
        {t.name, t.dtype, t.shape, {std::string_view(static_cast<const char*>(t.data), t.bytes)}});
  }
  io::OutputFile file;
  SLUICE_RETURN_IF_ERROR(file.open(path));
  SLUICE_RETURN_IF_ERROR(io::write_safetensors(file, tensors, {{"format", "pt"}}));
  return file.close();
}

Status Model::load(const std::string& path) {
  Expected<io::SafetensorsFile> file = io::open_safetensors(path);
  if (!file.ok()) return file.status();
  const std::vector<StateTensor> state = state_dict();
  std::vector<const io::SafetensorsEntry*> entries;  // state's, in its order
  for (const StateTensor& t : state) {
    const io::SafetensorsEntry* e = file->find(t.name);
    const std::string expected = "'" + path + "': expected tensor '" + t.name + "' " +
                                 dtype_name(t.dtype) + " " + shape_text(t.shape);
    if (e == nullptr) return Status::Invalid(expected + ", found none");
    if (e->dtype != t.dtype || e->shape != t.shape) {
      return Status::Invalid(expected + ", found " + dtype_name(e->dtype) + " " +
                             shape_text(e->shape));
    }
    entries.push_back(e);
  }
  for (size_t i = 0; i < state.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(file->read(*entries[i], state[i].data));
  }
  return {};
}

}  // namespace sluice::nn
