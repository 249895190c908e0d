// Training a model on batches: the loss, the backward pass, gradient accumulation and clipping,
// and the optimizer step with its scheduled learning rate — what train.fit does for each batch
// record, and train.cross_validate for each batch of a fold. The params that configure it are
// declared and read here once, so both ops take the same ones with the same defaults.
//
// On a CUDA device (an nn::DeviceModel of the model) a Trainer runs the passes, the loss, gradient
// clipping and the optimizer there, keeping the step count in its optimizer; the CPU model's
// parameters and the optimizer's state are brought up to date by to_host() (before a checkpoint or
// a save), and the device's by to_device() (after a checkpoint is restored).
//
// Threading: a Trainer changes its model's parameters and is used by one thread at a time; the
// caller holds whatever lock guards the model (train.fit: the nn.model resource's write lock).
#pragma once

#include "nn/device_model.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "train/batch_input.h"
#include "train/checkpoint.h"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::train {

// How a model is trained: the loss, optimizer, schedule, clipping and accumulation params.
struct TrainingConfig {
  LossKind loss;
  nn::OptimizerConfig optimizer;
  nn::ScheduleConfig schedule;
  double clip_grad_norm = 0;
  int64_t accumulate = 1;
};

// Adds the loss params (with_loss_params) and then optimizer, lr, weight_decay, momentum,
// dampening, nesterov, beta1, beta2, eps, schedule, warmup_steps, total_steps, min_lr, step_size,
// gamma, clip_grad_norm and accumulate, in that order; training_config() reads them.
OpSchema& with_training_params(OpSchema& schema);
TrainingConfig training_config(const Params& params);

// What one batch did: its loss, the 1-based optimizer step it counted towards, that step's
// learning rate, and whether the step was taken on this batch.
struct TrainedBatch {
  BatchLoss loss;
  int64_t step = 0;
  double lr = 0;
  bool stepped = false;
};

class Trainer {
 public:
  // A trainer of `model` (which must outlive it, as must `device`, its CUDA path, when not
  // null) with a fresh optimizer; fails naming the optimizer setting that is out of range.
  static Expected<Trainer> make(nn::Model& model, const TrainingConfig& config,
                                nn::DeviceModel* device = nullptr);

  // Forward pass in training mode (dropout drawn from `seed`), the loss against `label`, the
  // backward pass, and an optimizer step once `accumulate` batches are pending. A bad batch
  // (wrong dtype, shape or class id) is a BAD_RECORD error that leaves the model unchanged.
  Expected<TrainedBatch> train(const Tensor& input, const Tensor& label, uint64_t seed);
  // Steps the batches still pending (a remainder of `accumulate`); true when it took a step.
  // Errors are the device's.
  Expected<bool> finish();
  // On a device: copies its parameters and the optimizer's state into the CPU model and
  // optimizer; nothing otherwise.
  Status to_host();
  // On a device: copies the CPU model's parameters and the optimizer's state to it.
  Status to_device();

  nn::Optimizer& optimizer() { return *optimizer_; }
  // Batches, samples and loss sum so far (restored from a checkpoint by train.fit).
  TrainerProgress& progress() { return progress_; }

 private:
  Trainer(nn::Model& model, const TrainingConfig& config, nn::DeviceModel* device)
      : model_(&model), device_(device), config_(config) {}
  // The batch's loss on the device (forward with draws from `seed`, loss, backward there) and its
  // rows.
  Expected<BatchLoss> train_on_device(const nn::ModelInput& in, const Tensor& label, uint64_t seed,
                                      int64_t* rows);
  Status step(double lr);
  std::vector<std::vector<float>*> optimizer_state();

  nn::Model* model_;
  nn::DeviceModel* device_;
  TrainingConfig config_;
  std::vector<nn::Parameter*> params_;
  std::optional<nn::Optimizer> optimizer_;
  int64_t pending_ = 0;
  TrainerProgress progress_;
  nn::Workspace ws_;
  nn::Buffer dout_;
  std::vector<int32_t> ids_;
};

}  // namespace sluice::train
