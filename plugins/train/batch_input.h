// Reading a batch record for a model: the `input` tensor as a ModelInput (int32 ids for a model
// starting with an embedding, float32 features otherwise; int64 ids are narrowed when in range)
// and the labels. Errors are BAD_RECORD messages saying what was expected and found.
#pragma once

#include "nn/model.h"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <vector>

namespace sluice::train {

// The model's input from `tensor`. `ids` is scratch space for narrowed ids and must outlive the
// returned ModelInput, as must `tensor`.
Expected<nn::ModelInput> model_input(const Tensor& tensor, const nn::Model& model,
                                     std::vector<int32_t>& ids);

// Class labels (B): an int64 or int32 tensor of shape (B) for a batch of B rows.
Expected<std::vector<int64_t>> class_labels(const Tensor& tensor, int64_t rows);

// Regression targets: a float32 tensor of `count` values.
Expected<const float*> regression_targets(const Tensor& tensor, int64_t count);

}  // namespace sluice::train
