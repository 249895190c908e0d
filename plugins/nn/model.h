// A sequential model: layers applied in order, as PyTorch's nn.Sequential, with its parameters
// and buffers named as that module's state_dict names them ("<layer index>.weight",
// "<index>.bias", "<index>.running_mean"), so weights move between sluice and PyTorch through
// .safetensors files.
//
// Threading: forward() only reads the parameters and buffers and may run on several threads at
// once, each with its own Workspace; backward() (which also updates the buffers, see Layer) and
// changes to the parameters need exclusive access (the nn.model resource provides the lock).
#pragma once

#include "nn/layer.h"
#include "nn/sequence.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::nn {

// The model's input for one batch: ids (B, T) for a model starting with an embedding, or
// features (B, ...) otherwise.
struct ModelInput {
  std::vector<int64_t> shape;
  const int32_t* ids = nullptr;
  const float* features = nullptr;
};

// The state of one forward pass, kept for the backward pass.
struct Workspace {
  ForwardContext ctx;
  Buffer input;                  // the features, when the model does not take ids
  SequencePass pass;             // the layers' outputs and what they saved
  std::vector<int64_t> decoded;  // [s]: the positions of sequence s decode() has run over
  DecodeRows rows;               // those of the last decoding pass
  const Buffer& output() const { return pass.output(); }
};

class Model {
 public:
  // The layers `specs` describe, each initialised as `init` says with init.seed mixed with its
  // index (with InitialValues::kToLoad, the parameters are to be load()ed or otherwise set before
  // the model runs; with kNone, the model is only for checking the layers and their parameters'
  // names and shapes, and must not run); ids equal to `pad_id` are left out of
  // masked_mean. An embedding may only come first. Errors name the layer by index and type.
  static Expected<std::unique_ptr<Model>> build(const std::vector<LayerSpec>& specs,
                                                const ParameterInit& init, int32_t pad_id);

  bool takes_ids() const { return takes_ids_; }
  // The number of ids an embedding first layer accepts (ids must be below it); 0 otherwise.
  int64_t vocabulary_size() const { return vocabulary_size_; }
  // The most ids per row the first layer accepts (token_position_embedding's block_size); 0: any.
  int64_t max_length() const { return layers_.layers()[0]->max_length(); }
  // The id masked_mean leaves out.
  int32_t pad_id() const { return pad_id_; }

  // The output shape for `in`, after the checks forward() makes (the kind of input, its shape,
  // ids in range); an error names what was expected and found.
  Expected<std::vector<int64_t>> check_input(const ModelInput& in) const;

  // Runs every layer on `in`; the output is ws.output(). An error (bad shape, id out of range)
  // names what was expected and found, and leaves the model unchanged.
  Status forward(const ModelInput& in, bool training, uint64_t seed, Workspace& ws) const;
  // Whether decode() runs: the model reads ids and every layer decodes (Layer::decodes).
  bool decodes() const { return takes_ids_ && layers_.decodes(); }
  // A decoding pass, as text generation runs a language model with a KV cache: the model, in
  // inference mode, on ids (B, n), whose row b holds the n new ids of sequence
  // rows.sequences[b] (distinct), after the first rows.positions[b] ids of that sequence, which
  // earlier decoding passes with the same Workspace ran over (0 starts a sequence; a position
  // below what was decoded goes back to it). ws.output() is the output for the new positions
  // (B, n, ...): what forward() over each whole sequence gives them, up to the rounding of sums.
  // Any number of sequences share a Workspace; a pass may extend any of them.
  // An error (a layer that does not decode, a position beyond max_length() or after what was
  // decoded, ids out of range) names what was expected and found.
  Status decode(const int32_t* ids, int64_t n, const DecodeRows& rows, Workspace& ws) const;
  // decode() of sequence 0 alone, from `position`.
  Status decode(const int32_t* ids, int64_t n, int64_t position, Workspace& ws) const {
    return decode(ids, n, DecodeRows{{0}, {position}}, ws);
  }
  // Accumulates into every parameter's grad (allocated, zero, where it is still empty) the
  // gradient of a loss whose gradient with respect
  // to the output of the last forward pass in `ws` (a forward(), not a decode()) is `dout`. Throws
  // sluice::Error, naming the layer, when a plugin's layer fails (the SDK's op boundary reports it
  // as the op's status).
  void backward(Workspace& ws, const Buffer& dout);

  // Every parameter, with its state_dict name, in layer order.
  const std::vector<std::pair<std::string, Parameter*>>& parameters() const {
    return layers_.parameters();
  }
  // Every tensor of the model's state_dict: the parameters' values, then the buffers
  // (batch_norm's running statistics), each in layer order. What save() writes, load() reads and
  // a trainer's checkpoint keeps.
  std::vector<StateTensor> state_dict() const;
  // Sets every parameter's grad to zero, allocating it where it is empty.
  void zero_grad();

  // Writes the parameters (float32) and buffers to a .safetensors file, state_dict names.
  Status save(const std::string& path) const;
  // Reads every parameter and buffer from a .safetensors file: each must be there, of its dtype
  // and shape; an error names the file and the tensor.
  Status load(const std::string& path);

 private:
  // Fills ws.input and ws.ctx for a pass over `in`, which check_input() accepted.
  void prepare(const ModelInput& in, bool training, uint64_t seed, Workspace& ws) const;

  Sequence layers_;
  bool takes_ids_ = false;
  int64_t vocabulary_size_ = 0;
  int32_t pad_id_ = 0;
};

}  // namespace sluice::nn
