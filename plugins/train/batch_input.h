// Reading a batch record for a model: the `input` tensor as a ModelInput (int32 ids for a model
// starting with an embedding, float32 features otherwise; int64 ids are narrowed when in range)
// and the labels. Errors are BAD_RECORD messages saying what was expected and found.
#pragma once

#include "nn/model.h"
#include "nn/model_resource.h"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <vector>

namespace sluice::train {

// The model's input from `tensor`. `ids` is scratch space for narrowed ids and must outlive the
// returned ModelInput, as must `tensor`.
Expected<nn::ModelInput> model_input(const Tensor& tensor, const nn::Model& model,
                                     std::vector<int32_t>& ids);

// Runs `model` in inference mode (dropout off) on `input` with its read lock held, on its device
// when it has one (ModelResource::device_model); the output is ws.output(). Errors of the input
// are BAD_RECORD messages; a device's CUDA errors are returned as they are.
Status run_inference(nn::ModelResource& model, const Tensor& input, uint64_t seed,
                     nn::Workspace& ws);

// Class labels of `shape` (the model output's leading dimensions: (B) for (B, C) scores,
// (B, T) for a language model's (B, T, V)): an int64 or int32 tensor of that shape.
Expected<std::vector<int64_t>> class_labels(const Tensor& tensor,
                                            const std::vector<int64_t>& shape);

// Regression targets: a float32 tensor of `count` values.
Expected<const float*> regression_targets(const Tensor& tensor, int64_t count);

// How a batch's loss is taken: cross entropy fused with softmax over the output's last
// dimension, leaving out targets equal to ignore_index, or mean squared error.
struct LossKind {
  bool mse = false;
  int64_t ignore_index = -100;
};

// Adds the params that choose the loss, `loss` (cross_entropy | mse) and `ignore_index`, to an op
// that takes one (train.fit, train.evaluate); loss_kind() reads them.
OpSchema& with_loss_params(OpSchema& schema);
LossKind loss_kind(const Params& params);

// A batch's mean loss and the number of targets it is the mean of (those not ignored; for mse,
// every output value).
struct BatchLoss {
  double loss = 0;
  int64_t count = 0;
};

// Cross entropy's targets: the class ids of `label` for a model output of shape `out_shape`,
// shaped as its leading dimensions, each in [0, classes) (out_shape's last dimension) or
// kind.ignore_index. Errors are BAD_RECORD messages.
Expected<std::vector<int64_t>> class_targets(const LossKind& kind, const Tensor& label,
                                             const std::vector<int64_t>& out_shape);

// The targets among `labels` that cross entropy counts: those that are not `ignore_index`.
int64_t counted_targets(const std::vector<int64_t>& labels, int64_t ignore_index);

// The loss of the model output `out` against `label`: cross_entropy takes class ids shaped as
// out's leading dimensions, each row of out's last dimension one distribution; mse takes float32
// targets of out's size. `dout`, when not null, gets the loss's gradient (out's size).
Expected<BatchLoss> batch_loss(const LossKind& kind, const Tensor& label, const nn::Buffer& out,
                               float* dout);

}  // namespace sluice::train
