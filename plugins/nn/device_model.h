// A model's CUDA path: a copy of a built Model's parameters on device 0 that runs the model's
// forward pass, its loss (cross entropy or mean squared error) and backward pass there, gradient
// clipping and the optimizers (sgd, adam, adamw), with the CPU layers' shapes, layouts and formulas
// (matrix products on cuBLAS in float32, or bf16 on request: matmul_precision.h; layer norm,
// softmax, GELU, the losses and the optimizers on nn/cuda's kernels). The CPU Model stays the
// reference copy that save(), load() and checkpoints use: download_parameters() brings the device's
// values back. Plain C++ (no CUDA headers): nn/cuda/device_model.cc implements it in builds with
// CUDA, nn/device_model_none.cc in builds without.
//
// Threading: infer() may run on several threads at once (each call on its own stream, with its
// own activations); training, the optimizer and the transfers need exclusive access (the
// nn.model resource's write lock), as the CPU Model's backward pass does.
#pragma once

#include "nn/cuda/optimizer_math.h"
#include "nn/device_plan.h"
#include "nn/layer.h"
#include "nn/matmul_precision.h"
#include "nn/model.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::nn {

// OK when models can run on the GPU: the build has nn's CUDA path and device 0 runs it.
// Otherwise UNSUPPORTED saying why: "this build of the nn plugin has no CUDA kernels (...)" or
// cuda::device_status()'s "no CUDA device: ...". Thread-safe.
Status gpu_status();

class DeviceModel {
 public:
  // The CUDA path of `model` on device 0, running `plan` (plan_device_layers of the specs the
  // model was built from; `model` must outlive the DeviceModel), with the model's parameters
  // uploaded, its matrix products made in `precision`. Errors: gpu_status()'s; a CUDA or cuBLAS
  // error naming the call and its place; OUT_OF_MEMORY naming the size.
  static Expected<std::unique_ptr<DeviceModel>> open(
      Model& model, std::vector<DeviceLayer> plan,
      MatmulPrecision precision = MatmulPrecision::kFloat32);
  virtual ~DeviceModel() = default;

  // "cuda:0 (<name>, compute <x.y>, <memory> MiB)".
  virtual const std::string& device_name() const = 0;

  // The model's output for `in` in inference mode (dropout off), in `out` (host memory, resized
  // to the output shape). Input errors are Model::check_input's.
  virtual Status infer(const ModelInput& in, Buffer& out) = 0;
  // A training pass with the draws of Model::forward's `seed` (dropout drops the values the CPU
  // model would): forward, cross entropy of the output's rows (its last dimension the classes)
  // against `targets` (one per row, each in [0, classes) or ignore_index: the caller checks), and
  // backward, adding the gradient of loss / grad_divisor to every parameter's device gradient.
  // Returns the loss (the mean over the rows not ignored; 0 when all are).
  virtual Expected<double> train_batch(const ModelInput& in, const std::vector<int64_t>& targets,
                                       int64_t ignore_index, float grad_divisor, uint64_t seed) = 0;
  // The same with mean squared error against `targets` (host memory, as many values as the
  // output, which the caller checks): the mean over all output values of (out - target)².
  virtual Expected<double> train_batch_mse(const ModelInput& in, const float* targets,
                                           float grad_divisor, uint64_t seed) = 0;
  // Scales every device gradient so that their global L2 norm is at most `max_norm`, as
  // nn::clip_grad_norm does (the norm summed in another order: equal within rounding); returns
  // the norm before clipping.
  virtual Expected<double> clip_grad_norm(double max_norm) = 0;
  // One optimizer update of every parameter from its device gradient with the constants `step`
  // (Optimizer::update_step), then the gradients are zeroed.
  virtual Status optimizer_step(const cuda_kernels::UpdateStep& step) = 0;
  // Zeroes the device gradients.
  virtual Status zero_grad() = 0;

  // Copies the CPU model's parameter values to the device.
  virtual Status upload_parameters() = 0;
  // Copies the device's parameter values (and, with `grads`, their gradients) into the CPU
  // model.
  virtual Status download_parameters(bool grads) = 0;
  // The optimizer's state, host vectors in Optimizer::state()'s order, each the size of its
  // parameter: one per parameter (sgd's momentum_buffer) or two (adam's and adamw's exp_avg,
  // then exp_avg_sq); to and from the device's copies (zero at open).
  virtual Status upload_optimizer_state(const std::vector<std::vector<float>*>& state) = 0;
  virtual Status download_optimizer_state(const std::vector<std::vector<float>*>& state) = 0;
};

}  // namespace sluice::nn
