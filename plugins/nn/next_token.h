// A language model's next-token logits for sequences that grow one token at a time, as text
// generation asks for them. The model reads the last max_length() ids of a sequence (all of them
// when it has no limit), as nanoGPT crops its context. A model that decodes (Model::decode) keeps
// a KV cache per sequence while the sequence's window keeps its first id, so a new token costs
// one position's work, and the sequences with as many new ids since the last call (one each, or
// equal-length prompts) run as one pass, a batch row each (their products read the weights once
// for all of them); once a sequence outgrows the window, the window slides and each token runs
// the whole window again.
// A model that does not decode runs forward() over each window for every token. The model must
// not change while this is used (hold the nn.model resource's shared lock). Not thread-safe.
#pragma once

#include "nn/model.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <vector>

namespace sluice::nn {

// A row of logits, one per token of the vocabulary.
struct Logits {
  const float* values;
  int64_t size;
};

class NextTokenLogits {
 public:
  // An error if `model` does not read ids.
  static Expected<NextTokenLogits> open(const Model& model);

  // Computes the logits of the token after each sequence `which` names: sequences[i] holds at
  // least one id and extends the ids it held at the last call that named it (it is new when
  // none did). An error (no ids, an id out of range, an output that is not (rows, length,
  // vocabulary)) names what was expected and found.
  Status after(const std::vector<std::vector<int32_t>>& sequences,
               const std::vector<size_t>& which);
  // Those of sequence i after the last call to after(); valid until the next call.
  Logits logits(size_t i) const {
    return {logits_[i].data(), static_cast<int64_t>(logits_[i].size())};
  }

 private:
  explicit NextTokenLogits(const Model& model) : model_(&model), decodes_(model.decodes()) {}
  // Keeps row `row`'s last position's logits of the model's output as sequence i's.
  Status keep(size_t i, int64_t row);

  const Model* model_;
  bool decodes_;  // model_->decodes(), which walks every layer
  Workspace ws_;
  std::vector<int64_t> window_start_;  // [i]: the index of sequence i's first id in its cache
  std::vector<std::vector<float>> logits_;
};

}  // namespace sluice::nn
