// [cuda] The model's CUDA path (nn/device_model.h) against the CPU model it mirrors, from the same
// weights: a small GPT (2 blocks, C = 64, 4 heads, T = 32, V = 65), an MLP (linear, relu, a
// residual of linear, GELU and dropout p 0.25, layer norm, tanh, linear; dropout drops the values
// the CPU model drops for the same seed) and a CNN (conv2d, relu, max_pool2d, conv2d, avg_pool2d
// with overlapping windows, flatten, linear), and the digits net's shape with batch_norm (after a
// convolution and after a linear map). Tolerances, each value |gpu - cpu| <= rtol · max(|cpu|,
// floor): the logits rtol 1e-4, floor 0.1; the loss rtol 1e-5; every parameter's gradient rtol
// 1e-3, floor 1e-3; the losses of 20 optimizer steps rtol 1e-4 (a GPT with AdamW; a GPT with SGD,
// Nesterov momentum and gradient clipping, whose norms agree within 1e-4; an MLP with Adam and mean
// squared error; the CNN with SGD and momentum). The largest relative difference of each is
// printed. With bf16 products (matmul: bf16), a GPT's logits within a relative L2 error of 2e-2,
// its loss rtol 1e-2, each gradient within a relative L2 error of 5e-2, and the losses of 20 AdamW
// steps rtol 2e-2 (first guesses, to be confirmed on a GPU). batch_norm's running statistics after
// 5 AdamW steps on each side within rtol 1e-4 (floor 1e-3), and inference on them, logits rtol
// 1e-3. Also: the parameters and the optimizer's state go to the device and back unchanged, and a
// plugin's layer type (testlayers.swish) runs through its CUDA entry points.
#include "engine/config/layer_catalog.h"
#include "engine/runtime/host.h"
#include "engine/runtime/params.h"
#include "nn/cuda/cublas_library.h"
#include "nn/device_model.h"
#include "nn/kernels/loss.h"
#include "nn/model.h"
#include "nn/model_resource.h"
#include "nn/optimizer.h"
#include "plugins/nn/random_inputs.h"
#include "support/cuda_device.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace nn = sluice::nn;
using sluice::test::class_targets;
using sluice::test::normal_values;

namespace {

constexpr int64_t kIgnore = -100;

nn::LayerSpec layer(std::string type, std::map<std::string, double> args = {},
                    std::map<std::string, std::vector<nn::LayerSpec>> lists = {}) {
  return nn::LayerSpec{std::move(type), std::move(args), std::move(lists)};
}

constexpr int64_t kVocab = 65, kBlock = 32, kDim = 64;

std::vector<nn::LayerSpec> gpt_specs() {
  const std::map<std::string, double> block{{"dim", kDim}, {"heads", 4}};
  return {layer("token_position_embedding",
                {{"num_embeddings", kVocab}, {"block_size", kBlock}, {"dim", kDim}}),
          layer("transformer_block", block), layer("transformer_block", block),
          layer("layer_norm", {{"dim", kDim}}), layer("linear", {{"in", kDim}, {"out", kVocab}})};
}

constexpr int64_t kFeatures = 20, kClasses = 5;

std::vector<nn::LayerSpec> mlp_specs() {
  return {layer("linear", {{"in", kFeatures}, {"out", 32}}),
          layer("relu"),
          layer("residual", {},
                {{"body",
                  {layer("linear", {{"in", 32}, {"out", 32}}), layer("gelu"),
                   layer("dropout", {{"p", 0.25}})}}}),
          layer("layer_norm", {{"dim", 32}}),
          layer("tanh"),
          layer("linear", {{"in", 32}, {"out", kClasses}})};
}

// A small CNN on 1x12x12 images: conv (padding 1) 4, relu, max pool 2, conv 6 (no bias), average
// pool 2 stride 1 (overlapping windows), flatten, linear.
constexpr int64_t kImage = 12;

std::vector<nn::LayerSpec> cnn_specs() {
  return {
      layer("conv2d",
            {{"in_channels", 1}, {"out_channels", 4}, {"kernel_size", 3}, {"padding", 1}}),
      layer("relu"),
      layer("max_pool2d", {{"kernel_size", 2}}),
      layer("conv2d", {{"in_channels", 4}, {"out_channels", 6}, {"kernel_size", 3}, {"bias", 0}}),
      layer("avg_pool2d", {{"kernel_size", 2}, {"stride", 1}}),
      layer("flatten"),
      layer("linear", {{"in", 6 * 3 * 3}, {"out", kClasses}})};
}

// The digits net's shape, smaller: conv (no bias), batch_norm, relu, max pool, flatten, linear
// (no bias), batch_norm over (B, 16), relu, linear.
std::vector<nn::LayerSpec> batch_norm_cnn_specs() {
  return {layer("conv2d", {{"in_channels", 1},
                           {"out_channels", 4},
                           {"kernel_size", 3},
                           {"padding", 1},
                           {"bias", 0}}),
          layer("batch_norm", {{"num_features", 4}}),
          layer("relu"),
          layer("max_pool2d", {{"kernel_size", 2}}),
          layer("flatten"),
          layer("linear", {{"in", 4 * 6 * 6}, {"out", 16}, {"bias", 0}}),
          layer("batch_norm", {{"num_features", 16}}),
          layer("relu"),
          layer("linear", {{"in", 16}, {"out", kClasses}})};
}

// The test plugin's layer types (tests/engine/plugin/plugins/testlayers.cc), loaded for models'
// layer lists: keep it while those models live.
struct TestLayerTypes {
  sluice::Registry registry;
  sluice::LayerCatalog catalog{registry};

  TestLayerTypes() {
    sluice::engine_host();
    REQUIRE(registry.load_file(sluice::test::test_plugin_dir() + "/testlayers/testlayers.so").ok());
  }
  // The layer list of `yaml`, a YAML list of layer maps.
  std::vector<nn::LayerSpec> specs(const std::string& yaml) {
    sluice::ParamTree tree = sluice::param_from_yaml(YAML::Load(yaml));
    sluice::Expected<std::vector<nn::LayerSpec>> parsed = nn::layer_specs(sluice::Param(&tree));
    INFO(parsed.status().message());
    REQUIRE(parsed.ok());
    return *parsed;
  }
};

// A CPU model and its CUDA path, from the same weights.
struct Net {
  std::unique_ptr<nn::Model> model;
  std::unique_ptr<nn::DeviceModel> device;
};

Net open_net(const std::vector<nn::LayerSpec>& specs,
             nn::MatmulPrecision precision = nn::MatmulPrecision::kFloat32) {
  Net net;
  auto model = nn::Model::build(specs, {7}, 0);
  REQUIRE(model.ok());
  net.model = std::move(*model);
  auto plan = nn::plan_device_layers(specs, *net.model);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  auto device = nn::DeviceModel::open(*net.model, std::move(*plan), precision);
  INFO(device.status().message());
  REQUIRE(device.ok());
  net.device = std::move(*device);
  return net;
}

// A batch: the input (ids or features, kept alive here), one class per output row and, for mean
// squared error, one value per output value.
struct Batch {
  std::vector<int32_t> ids;
  std::vector<float> features;
  std::vector<int64_t> targets;
  std::vector<float> values;
  nn::ModelInput input;
};

Batch gpt_batch(int64_t B, uint64_t seed) {
  Batch b;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> id(0, kVocab - 1);
  b.ids.resize(B * kBlock);
  for (int32_t& i : b.ids) i = id(rng);
  b.targets = class_targets(B * kBlock, kVocab, seed + 1, 7, kIgnore);
  b.input.shape = {B, kBlock};
  b.input.ids = b.ids.data();
  return b;
}

Batch mlp_batch(int64_t B, uint64_t seed) {
  Batch b;
  b.features = normal_values(B * kFeatures, seed);
  b.targets = class_targets(B, kClasses, seed + 1, 5, kIgnore);
  b.values = normal_values(B * kClasses, seed + 2);
  b.input.shape = {B, kFeatures};
  b.input.features = b.features.data();
  return b;
}

Batch cnn_batch(int64_t B, uint64_t seed) {
  Batch b;
  b.features = normal_values(B * kImage * kImage, seed);
  b.targets = class_targets(B, kClasses, seed + 1, 5, kIgnore);
  b.input.shape = {B, 1, kImage, kImage};
  b.input.features = b.features.data();
  return b;
}

// Checks |got - want| <= rtol · max(|want|, floor) for every value; returns the largest
// |got - want| / max(|want|, floor).
double check_close(const std::vector<float>& got, const std::vector<float>& want, double rtol,
                   double floor, const std::string& what) {
  REQUIRE(got.size() == want.size());
  double worst = 0;
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double scale = std::max(std::fabs(static_cast<double>(want[i])), floor);
    const double r = std::fabs(static_cast<double>(got[i]) - want[i]) / scale;
    worst = std::max(worst, r);
    bad += !(r <= rtol);
  }
  INFO(what << ": " << bad << " of " << got.size() << " values out of tolerance, max relative "
            << "difference " << worst);
  CHECK(bad == 0);
  return worst;
}

// The CPU model's training pass on `b` with the draws of `seed` (cross entropy, or mean squared
// error against b.values): its loss; the gradients are in its parameters.
double cpu_pass(nn::Model& model, const Batch& b, bool mse_loss = false, uint64_t seed = 0) {
  nn::Workspace ws;
  const sluice::Status s = model.forward(b.input, true, seed, ws);
  INFO(s.message());
  REQUIRE(s.ok());
  const nn::Buffer& out = ws.output();
  nn::Buffer dout;
  dout.resize(out.shape);
  double loss = 0;
  if (mse_loss) {
    REQUIRE(b.values.size() == out.values.size());
    loss = nn::mse(out.values.data(), b.values.data(), static_cast<int64_t>(b.values.size()),
                   dout.values.data());
  } else {
    const int64_t classes = out.shape.back(), rows = out.rows() * out.row_size() / classes;
    loss = nn::cross_entropy(out.values.data(), b.targets.data(), rows, classes, kIgnore,
                             dout.values.data());
  }
  model.backward(ws, dout);
  return loss;
}

// 20 steps of `config` (clipping gradients to `clip` when > 0) on the CPU model and on its CUDA
// path, from the same weights and batches (make_batch(step)): each step's losses, and the
// gradients' norms before clipping, agree within `rtol`.
template <class MakeBatch>
void check_training(Net& net, const nn::OptimizerConfig& config, double clip, bool mse_loss,
                    MakeBatch make_batch, const char* name, double rtol = 1e-4) {
  std::vector<nn::Parameter*> params;
  for (const auto& [n, p] : net.model->parameters()) params.push_back(p);
  auto optimizer = nn::Optimizer::make(config, params);
  REQUIRE(optimizer.ok());
  net.model->zero_grad();
  REQUIRE(net.device->zero_grad().ok());
  double worst = 0;
  for (int64_t step = 1; step <= 20; ++step) {
    const Batch b = make_batch(step);
    const double cpu_loss = cpu_pass(*net.model, b, mse_loss, step);
    const double cpu_norm = clip > 0 ? nn::clip_grad_norm(params, clip) : 0.0;
    optimizer->step(config.lr);
    net.model->zero_grad();
    sluice::Expected<double> gpu_loss =
        mse_loss ? net.device->train_batch_mse(b.input, b.values.data(), 1.0f, step)
                 : net.device->train_batch(b.input, b.targets, kIgnore, 1.0f, step);
    INFO(gpu_loss.status().message());
    REQUIRE(gpu_loss.ok());
    if (clip > 0) {
      sluice::Expected<double> gpu_norm = net.device->clip_grad_norm(clip);
      REQUIRE(gpu_norm.ok());
      INFO("step " << step << ": GPU gradient norm " << *gpu_norm << ", CPU " << cpu_norm);
      CHECK(std::fabs(*gpu_norm - cpu_norm) <= rtol * cpu_norm);
    }
    REQUIRE(net.device->optimizer_step(optimizer->update_step(config.lr, step)).ok());
    const double r = std::fabs(*gpu_loss - cpu_loss) / std::fabs(cpu_loss);
    INFO("step " << step << ": GPU loss " << *gpu_loss << ", CPU " << cpu_loss);
    CHECK(r <= rtol);
    worst = std::max(worst, r);
  }
  std::cout << "GPU " << name << ", 20 steps vs CPU: losses' max relative difference " << worst
            << "\n";
}

// ||got - want|| / ||want||, over all values.
double relative_l2(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  double diff = 0, norm = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    diff += d * d;
    norm += static_cast<double>(want[i]) * want[i];
  }
  return std::sqrt(diff / std::max(norm, 1e-30));
}

// One forward and backward pass on both: the logits, the loss and every parameter's gradient.
void check_pass(Net& net, const Batch& b, const char* name) {
  nn::Workspace ws;
  REQUIRE(net.model->forward(b.input, false, 0, ws).ok());
  nn::Buffer logits;
  const sluice::Status inferred = net.device->infer(b.input, logits);
  INFO(inferred.message());
  REQUIRE(inferred.ok());
  CHECK(logits.shape == ws.output().shape);
  const double logits_worst = check_close(logits.values, ws.output().values, 1e-4, 0.1, "logits");

  net.model->zero_grad();
  const double cpu_loss = cpu_pass(*net.model, b);
  std::vector<std::vector<float>> cpu_grads;
  for (const auto& [n, p] : net.model->parameters()) cpu_grads.push_back(p->grad);
  net.model->zero_grad();
  REQUIRE(net.device->zero_grad().ok());
  sluice::Expected<double> gpu_loss =
      net.device->train_batch(b.input, b.targets, kIgnore, 1.0f, /*seed=*/0);
  INFO(gpu_loss.status().message());
  REQUIRE(gpu_loss.ok());
  CHECK(std::fabs(*gpu_loss - cpu_loss) <= 1e-5 * std::fabs(cpu_loss));
  REQUIRE(net.device->download_parameters(true).ok());
  double grad_worst = 0;
  const auto& params = net.model->parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    grad_worst = std::max(grad_worst, check_close(params[i].second->grad, cpu_grads[i], 1e-3, 1e-3,
                                                  "gradient of " + params[i].first));
  }
  std::cout << "GPU " << name << " vs CPU: loss " << *gpu_loss << " vs " << cpu_loss
            << ", logits max relative difference " << logits_worst << ", gradients " << grad_worst
            << "\n";
}

}  // namespace

TEST_CASE("cuBLAS loads at run time, when the CUDA path first needs it (no device needed)",
          "[nn]") {
  sluice::Expected<const nn::cuda_kernels::CublasApi*> api = nn::cuda_kernels::cublas();
  INFO(api.status().message());
  REQUIRE(api.ok());
  CHECK(std::string((*api)->status_string(CUBLAS_STATUS_SUCCESS)) != "");
  CHECK((*api)->sgemm != nullptr);
  CHECK((*api)->sgemm_strided_batched != nullptr);
  CHECK((*api)->gemm_ex != nullptr);
  CHECK((*api)->gemm_strided_batched_ex != nullptr);
}

TEST_CASE("GPU model: a GPT's logits, loss and gradients are the CPU model's", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(gpt_specs());
  check_pass(net, gpt_batch(4, 1), "GPT");
  // A shorter sequence: the attention's T is the batch's, not the block size.
  Batch short_batch = gpt_batch(1, 2);
  short_batch.input.shape = {2, kBlock / 2};
  short_batch.targets.resize(kBlock);
  check_pass(net, short_batch, "GPT T=16");
}

TEST_CASE("GPU model: an MLP's logits, loss and gradients are the CPU model's", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(mlp_specs());
  check_pass(net, mlp_batch(16, 3), "MLP");
}

TEST_CASE("GPU model: a CNN's logits, loss and gradients are the CPU model's", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(cnn_specs());
  check_pass(net, cnn_batch(8, 11), "CNN");
}

TEST_CASE("GPU model: 20 SGD steps of a CNN with momentum have the CPU model's losses",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(cnn_specs());
  nn::OptimizerConfig config;
  config.kind = "sgd";
  config.lr = 0.02;
  config.momentum = 0.9;
  check_training(
      net, config, 0, false, [](int64_t step) { return cnn_batch(8, 900 + step); }, "CNN SGD");
}

TEST_CASE("GPU model: batch_norm's batch pass is the CPU model's", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(batch_norm_cnn_specs());
  check_pass(net, cnn_batch(8, 13), "CNN with batch_norm");
}

TEST_CASE("GPU model: batch_norm's running statistics after 5 AdamW steps are the CPU model's",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net cpu = open_net(batch_norm_cnn_specs()), gpu = open_net(batch_norm_cnn_specs());
  nn::OptimizerConfig config;
  config.kind = "adamw";
  config.lr = 1e-2;
  std::vector<nn::Parameter*> params;
  for (const auto& [n, p] : cpu.model->parameters()) params.push_back(p);
  auto cpu_optimizer = nn::Optimizer::make(config, params);
  REQUIRE(cpu_optimizer.ok());
  for (int64_t step = 1; step <= 5; ++step) {
    const Batch b = cnn_batch(8, 40 + step);
    cpu_pass(*cpu.model, b);
    cpu_optimizer->step(config.lr);
    cpu.model->zero_grad();
    REQUIRE(gpu.device->train_batch(b.input, b.targets, kIgnore, 1.0f, 0).ok());
    REQUIRE(gpu.device->optimizer_step(cpu_optimizer->update_step(config.lr, step)).ok());
  }
  const std::vector<nn::StateTensor> want = cpu.model->state_dict(), got = gpu.model->state_dict();
  REQUIRE(want.size() == got.size());
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    INFO(want[i].name);
    if (want[i].name.find("num_batches_tracked") != std::string::npos) {
      CHECK(*static_cast<const int64_t*>(got[i].data) == 5);
      CHECK(*static_cast<const int64_t*>(want[i].data) == 5);
    } else if (want[i].name.find("running_") != std::string::npos) {
      const auto* w = static_cast<const float*>(want[i].data);
      const auto* g = static_cast<const float*>(got[i].data);
      const size_t n = want[i].bytes / sizeof(float);
      worst = std::max(worst, check_close(std::vector<float>(g, g + n),
                                          std::vector<float>(w, w + n), 1e-4, 1e-3, "running"));
    }
  }
  // Inference reads the running statistics.
  const Batch b = cnn_batch(8, 99);
  nn::Workspace ws;
  REQUIRE(cpu.model->forward(b.input, false, 0, ws).ok());
  nn::Buffer logits;
  REQUIRE(gpu.device->infer(b.input, logits).ok());
  const double logits_worst = check_close(logits.values, ws.output().values, 1e-3, 0.1, "logits");
  std::cout << "GPU CNN with batch_norm, 5 AdamW steps vs CPU: running statistics max relative "
            << "difference " << worst << ", inference logits " << logits_worst << "\n";
}

TEST_CASE("GPU model: a plugin's layer runs through its CUDA entry points as on the CPU",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  // testlayers.swish's forward_cuda and backward_cuda, between two linear maps.
  TestLayerTypes types;
  Net net = open_net(types.specs(
      "[{type: linear, in: 20, out: 16}, {type: testlayers.swish, features: 16, init_scale: 0.8},"
      " {type: linear, in: 16, out: 5}]"));
  check_pass(net, mlp_batch(16, 9), "linear + testlayers.swish");
}

TEST_CASE("GPU model: a plugin's layer with a buffer runs and updates it as on the CPU",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  // testlayers.center's running_mean (ABI 1.3 buffers): copied to the device for each pass,
  // updated there by its backward_cuda, and copied back into the CPU model.
  TestLayerTypes types;
  const std::vector<nn::LayerSpec> specs = types.specs(
      "[{type: linear, in: 20, out: 16}, {type: testlayers.center, features: 16, momentum: 0.3},"
      " {type: linear, in: 16, out: 5}]");
  Net cpu = open_net(specs), gpu = open_net(specs);
  for (int64_t step = 1; step <= 3; ++step) {  // training passes, no updates: the buffer moves
    const Batch b = mlp_batch(16, 60 + step);
    cpu_pass(*cpu.model, b);
    REQUIRE(gpu.device->train_batch(b.input, b.targets, kIgnore, 1.0f, 0).ok());
  }
  const auto running = [](const Net& net) {
    for (const nn::StateTensor& t : net.model->state_dict()) {
      if (t.name == "1.running_mean") {
        const auto* v = static_cast<const float*>(t.data);
        return std::vector<float>(v, v + t.bytes / sizeof(float));
      }
    }
    FAIL("no 1.running_mean");
    return std::vector<float>{};
  };
  // The means of products that cuBLAS and OpenBLAS sum in different orders: rtol 1e-4.
  check_close(running(gpu), running(cpu), 1e-4, 1e-3, "running_mean");
  check_pass(gpu, mlp_batch(16, 21), "linear + testlayers.center");  // inference reads it
}

TEST_CASE("GPU model: 20 AdamW steps of a GPT have the CPU model's losses", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(gpt_specs());
  nn::OptimizerConfig config;
  config.kind = "adamw";
  config.lr = 1e-3;
  config.weight_decay = 0.01;
  check_training(
      net, config, 0, false, [](int64_t step) { return gpt_batch(4, 100 + step); }, "GPT AdamW");
}

TEST_CASE(
    "GPU model: 20 SGD steps of a GPT with Nesterov momentum and clipping have the CPU "
    "model's losses",
    "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(gpt_specs());
  nn::OptimizerConfig config;
  config.kind = "sgd";
  config.lr = 0.05;
  config.momentum = 0.9;
  config.nesterov = true;
  config.weight_decay = 1e-4;
  check_training(
      net, config, 0.5, false, [](int64_t step) { return gpt_batch(4, 300 + step); },
      "GPT SGD + clip_grad_norm");
}

TEST_CASE("GPU model: 20 Adam steps of an MLP on mean squared error have the CPU model's losses",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(mlp_specs());
  nn::OptimizerConfig config;
  config.kind = "adam";
  config.lr = 1e-3;
  config.weight_decay = 0.01;
  check_training(
      net, config, 0, true, [](int64_t step) { return mlp_batch(16, 500 + step); },
      "MLP Adam + mse");
}

// bf16 products (8-bit mantissas): bounds of relative error over whole tensors, not per value.
TEST_CASE(
    "GPU model with bf16 products: a GPT's logits, loss and gradients are near the CPU "
    "model's",
    "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(gpt_specs(), nn::MatmulPrecision::kBf16);
  const Batch b = gpt_batch(4, 1);
  nn::Workspace ws;
  REQUIRE(net.model->forward(b.input, false, 0, ws).ok());
  nn::Buffer logits;
  REQUIRE(net.device->infer(b.input, logits).ok());
  const double logits_error = relative_l2(logits.values, ws.output().values);
  CHECK(logits_error <= 2e-2);
  net.model->zero_grad();
  const double cpu_loss = cpu_pass(*net.model, b);
  std::vector<std::vector<float>> cpu_grads;
  for (const auto& [n, p] : net.model->parameters()) cpu_grads.push_back(p->grad);
  REQUIRE(net.device->zero_grad().ok());
  sluice::Expected<double> gpu_loss =
      net.device->train_batch(b.input, b.targets, kIgnore, 1.0f, /*seed=*/0);
  REQUIRE(gpu_loss.ok());
  CHECK(std::fabs(*gpu_loss - cpu_loss) <= 1e-2 * std::fabs(cpu_loss));
  REQUIRE(net.device->download_parameters(true).ok());
  double grads_error = 0;
  const auto& params = net.model->parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    const double e = relative_l2(params[i].second->grad, cpu_grads[i]);
    INFO("gradient of " << params[i].first << ": relative L2 error " << e);
    CHECK(e <= 5e-2);
    grads_error = std::max(grads_error, e);
  }
  std::cout << "GPU GPT with bf16 products vs CPU: loss " << *gpu_loss << " vs " << cpu_loss
            << ", logits relative L2 error " << logits_error << ", gradients' largest "
            << grads_error << "\n";
}

TEST_CASE(
    "GPU model with bf16 products: 20 AdamW steps of a GPT have losses near the CPU "
    "model's",
    "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(gpt_specs(), nn::MatmulPrecision::kBf16);
  nn::OptimizerConfig config;
  config.kind = "adamw";
  config.lr = 1e-3;
  check_training(
      net, config, 0, false, [](int64_t step) { return gpt_batch(4, 700 + step); },
      "GPT AdamW, bf16 products", 2e-2);
}

TEST_CASE("GPU model: parameters and the optimizer's state go to the device and back unchanged",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  Net net = open_net(mlp_specs());
  const auto& params = net.model->parameters();
  std::vector<std::vector<float>> values, moments;
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params[i].second->value);
    moments.push_back(normal_values(values.back().size(), 2 * i));
    moments.push_back(normal_values(values.back().size(), 2 * i + 1, 1.0f, 0.1f));
  }
  std::vector<std::vector<float>*> up, down;
  std::vector<std::vector<float>> back(moments.size());
  for (size_t i = 0; i < moments.size(); ++i) {
    up.push_back(&moments[i]);
    back[i].resize(moments[i].size());
    down.push_back(&back[i]);
  }
  REQUIRE(net.device->upload_optimizer_state(up).ok());
  REQUIRE(net.device->download_optimizer_state(down).ok());
  CHECK(back == moments);
  for (const auto& [n, p] : params) std::fill(p->value.begin(), p->value.end(), 0.0f);
  REQUIRE(net.device->download_parameters(false).ok());
  for (size_t i = 0; i < params.size(); ++i) CHECK(params[i].second->value == values[i]);
  // sgd's state: one momentum buffer per parameter.
  std::vector<std::vector<float>*> one_up, one_down;
  for (size_t i = 0; i < params.size(); ++i) {
    one_up.push_back(&moments[2 * i + 1]);
    one_down.push_back(&back[2 * i]);
  }
  REQUIRE(net.device->upload_optimizer_state(one_up).ok());
  REQUIRE(net.device->download_optimizer_state(one_down).ok());
  for (size_t i = 0; i < params.size(); ++i) CHECK(back[2 * i] == moments[2 * i + 1]);
  up.pop_back();
  CHECK_THAT(net.device->upload_optimizer_state(up).message(),
             Catch::Contains("expected the optimizer's state as one or two vectors"));
}
