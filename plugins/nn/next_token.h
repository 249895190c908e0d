// A language model's next-token logits for a sequence that grows one token at a time, as text
// generation asks for them. The model reads the last max_length() ids (all of them when it has no
// limit), as nanoGPT crops its context. A model that decodes (Model::decode) keeps its KV cache
// while the window's first id stays the same, so a new token costs one position's work; once the
// sequence outgrows the window, the window slides and each token runs the whole window again.
// A model that does not decode runs forward() over the window for every token. One per sequence;
// the model must not change while it is used (hold the nn.model resource's shared lock).
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

  // The logits of the token after `ids` (at least one), which extend the ids of the previous
  // call; valid until the next call. An error (no ids, an id out of range, an output that is not
  // (1, length, vocabulary)) names what was expected and found.
  Expected<Logits> after(const std::vector<int32_t>& ids);

 private:
  explicit NextTokenLogits(const Model& model) : model_(&model) {}
  const Model* model_;
  Workspace ws_;
  int64_t window_start_ = 0;  // the index of the first id the cache holds
};

}  // namespace sluice::nn
