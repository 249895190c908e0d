// [nn_device] The host side of the model's CUDA path, on any machine: the plan of a GPT and of an
// MLP with a residual (each layer's dimensions, its parameters by state_dict name, the shapes the
// CPU layers give), the refusal of layer types the device does not run and of training with
// dropout, and the attention layout the device's head copies use, against attention_forward.
#include "nn/device_plan.h"
#include "nn/cuda/attention_layout.h"
#include "nn/kernels/attention.h"
#include "nn/model.h"
#include "nn/sequence.h"
#include "plugins/nn/random_inputs.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace nn = sluice::nn;
namespace k = sluice::nn::cuda_kernels;

namespace {

nn::LayerSpec layer(std::string type, std::map<std::string, double> args = {},
                    std::map<std::string, std::vector<nn::LayerSpec>> lists = {}) {
  return nn::LayerSpec{std::move(type), std::move(args), std::move(lists)};
}

std::vector<nn::LayerSpec> gpt_specs() {
  return {
      layer("token_position_embedding", {{"num_embeddings", 65}, {"block_size", 32}, {"dim", 64}}),
      layer("transformer_block", {{"dim", 64}, {"heads", 4}}),
      layer("causal_self_attention", {{"dim", 64}, {"heads", 4}}),
      layer("layer_norm", {{"dim", 64}}), layer("linear", {{"in", 64}, {"out", 65}})};
}

std::vector<nn::LayerSpec> mlp_specs(double dropout) {
  return {layer("linear", {{"in", 20}, {"out", 32}}),
          layer("relu"),
          layer("residual", {},
                {{"body",
                  {layer("linear", {{"in", 32}, {"out", 32}, {"bias", 0}}), layer("gelu"),
                   layer("dropout", {{"p", dropout}})}}}),
          layer("layer_norm", {{"dim", 32}}),
          layer("tanh"),
          layer("linear", {{"in", 32}, {"out", 5}})};
}

std::unique_ptr<nn::Model> build(const std::vector<nn::LayerSpec>& specs) {
  auto model = nn::Model::build(specs, {1}, 0);
  INFO(model.status().message());
  REQUIRE(model.ok());
  return std::move(*model);
}

// The state_dict names of a layer's planned parameters.
std::vector<std::string> names(const nn::Model& model, const nn::DeviceLayer& l) {
  std::vector<std::string> out;
  for (size_t i : l.params) out.push_back(model.parameters().at(i).first);
  return out;
}

// The shapes the CPU layers give, layer by layer, against the plan's.
void check_shapes(const std::vector<nn::LayerSpec>& specs, const std::vector<nn::DeviceLayer>& plan,
                  std::vector<int64_t> shape) {
  auto seq = nn::Sequence::build(specs, {1});
  REQUIRE(seq.ok());
  REQUIRE(seq->layers().size() == plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    auto cpu = seq->layers()[i]->output_shape(shape);
    REQUIRE(cpu.ok());
    INFO("layer " << i);
    auto device = nn::device_output_shape(plan[i], shape);
    REQUIRE(device.ok());
    CHECK(*device == *cpu);
    shape = *cpu;
  }
}

}  // namespace

TEST_CASE("the device plan of a GPT has its layers' dimensions, parameters and shapes",
          "[nn][nn_device]") {
  const auto specs = gpt_specs();
  const auto model = build(specs);
  auto plan = nn::plan_device_layers(specs, *model);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 5);
  const auto& p = *plan;
  CHECK(p[0].op == nn::DeviceOp::kTokenPositionEmbedding);
  CHECK((p[0].count == 65 && p[0].dim == 64 && p[0].block_size == 32));
  CHECK(names(*model, p[0]) == std::vector<std::string>{"0.wte.weight", "0.wpe.weight"});
  CHECK(p[1].op == nn::DeviceOp::kBlock);
  CHECK((p[1].dim == 64 && p[1].heads == 4 && p[1].hidden == 256));
  CHECK(names(*model, p[1]) ==
        std::vector<std::string>{"1.ln_1.weight", "1.ln_1.bias", "1.attn.c_attn.weight",
                                 "1.attn.c_attn.bias", "1.attn.c_proj.weight", "1.attn.c_proj.bias",
                                 "1.ln_2.weight", "1.ln_2.bias", "1.mlp.c_fc.weight",
                                 "1.mlp.c_fc.bias", "1.mlp.c_proj.weight", "1.mlp.c_proj.bias"});
  CHECK(p[2].op == nn::DeviceOp::kAttention);
  CHECK(names(*model, p[2]) == std::vector<std::string>{"2.c_attn.weight", "2.c_attn.bias",
                                                        "2.c_proj.weight", "2.c_proj.bias"});
  CHECK((p[3].op == nn::DeviceOp::kLayerNorm && p[3].dim == 64));
  CHECK((p[4].op == nn::DeviceOp::kLinear && p[4].in == 64 && p[4].out == 65 && p[4].bias));
  CHECK(names(*model, p[4]) == std::vector<std::string>{"4.weight", "4.bias"});
  check_shapes(specs, p, {3, 17});
}

TEST_CASE("the device plan of an MLP nests a residual's body and its parameters' names",
          "[nn][nn_device]") {
  const auto specs = mlp_specs(0.0);
  const auto model = build(specs);
  auto plan = nn::plan_device_layers(specs, *model);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  const auto& p = *plan;
  REQUIRE(p.size() == 6);
  CHECK(p[2].op == nn::DeviceOp::kResidual);
  REQUIRE(p[2].body.size() == 3);
  CHECK((p[2].body[0].op == nn::DeviceOp::kLinear && !p[2].body[0].bias));
  CHECK(names(*model, p[2].body[0]) == std::vector<std::string>{"2.body.0.weight"});
  CHECK(p[2].body[2].op == nn::DeviceOp::kDropout);
  CHECK(p[4].op == nn::DeviceOp::kTanh);
  check_shapes(specs, p, {7, 20});

  const auto with_dropout = mlp_specs(0.25);
  auto dropout_plan = nn::plan_device_layers(with_dropout, *build(with_dropout));
  REQUIRE(dropout_plan.ok());
  CHECK((*dropout_plan)[2].body[2].p == 0.25);
}

TEST_CASE("the device plan of batch_norm: its settings, parameters and buffers, nested too",
          "[nn][nn_device]") {
  const std::vector<nn::LayerSpec> specs{
      layer("linear", {{"in", 4}, {"out", 4}}),
      layer("batch_norm", {{"num_features", 4}, {"eps", 1e-3}, {"momentum", 0.2}}),
      layer("residual", {},
            {{"body", {layer("batch_norm", {{"num_features", 4}, {"affine", 0}})}}})};
  const auto model = build(specs);
  auto plan = nn::plan_device_layers(specs, *model);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  const nn::DeviceLayer& bn = (*plan)[1];
  CHECK((bn.op == nn::DeviceOp::kBatchNorm && bn.dim == 4 && bn.eps == 1e-3 && bn.momentum == 0.2 &&
         bn.bias));
  CHECK(names(*model, bn) == std::vector<std::string>{"1.weight", "1.bias"});
  CHECK(bn.buffers ==
        std::vector<std::string>{"1.running_mean", "1.running_var", "1.num_batches_tracked"});
  const nn::DeviceLayer& plain = (*plan)[2].body[0];
  CHECK((plain.op == nn::DeviceOp::kBatchNorm && plain.eps == 1e-5 && plain.momentum == 0.1 &&
         !plain.bias && plain.params.empty()));
  CHECK(plain.buffers == std::vector<std::string>{"2.body.0.running_mean", "2.body.0.running_var",
                                                  "2.body.0.num_batches_tracked"});
  check_shapes(specs, *plan, {3, 4});
}

TEST_CASE("the device plan of a CNN: conv2d, pooling and flatten with their shapes",
          "[nn][nn_device]") {
  const std::vector<nn::LayerSpec> specs{
      layer("conv2d",
            {{"in_channels", 1}, {"out_channels", 8}, {"kernel_size", 3}, {"padding", 1}}),
      layer("relu"),
      layer("max_pool2d", {{"kernel_size", 2}}),
      layer("conv2d", {{"in_channels", 8},
                       {"out_channels", 4},
                       {"kernel_size", 3},
                       {"stride", 2},
                       {"bias", 0}}),
      layer("avg_pool2d", {{"kernel_size", 2}, {"stride", 1}}),
      layer("flatten"),
      layer("linear", {{"in", 36}, {"out", 3}})};
  const auto model = build(specs);
  auto plan = nn::plan_device_layers(specs, *model);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  const auto& p = *plan;
  CHECK((p[0].op == nn::DeviceOp::kConv2d && p[0].in == 1 && p[0].out == 8 && p[0].kernel == 3 &&
         p[0].stride == 1 && p[0].padding == 1 && p[0].bias));
  CHECK(names(*model, p[0]) == std::vector<std::string>{"0.weight", "0.bias"});
  CHECK((p[2].op == nn::DeviceOp::kMaxPool2d && p[2].kernel == 2 && p[2].stride == 2));
  CHECK((p[3].op == nn::DeviceOp::kConv2d && p[3].stride == 2 && p[3].padding == 0 && !p[3].bias));
  CHECK(names(*model, p[3]) == std::vector<std::string>{"3.weight"});
  CHECK((p[4].op == nn::DeviceOp::kAvgPool2d && p[4].kernel == 2 && p[4].stride == 1));
  CHECK(p[5].op == nn::DeviceOp::kFlatten);
  check_shapes(specs, p, {2, 1, 20, 20});
}

TEST_CASE("the device's head layout is attention_forward's: its heads give its output",
          "[nn][nn_device]") {
  const int64_t B = 2, T = 5, H = 3, hs = 4, C = H * hs;
  const std::vector<float> qkv = sluice::test::normal_values(B * T * 3 * C, 11);
  std::vector<float> att(B * H * T * T), y(B * T * C);
  nn::attention_forward(qkv.data(), att.data(), y.data(), B, T, C, H);

  // Each part's (B, H, T, hs) heads, as the device copies them out of qkv.
  const int64_t n = B * H * T * hs;
  std::vector<float> heads[3];
  for (int64_t part = 0; part < 3; ++part) {
    heads[part].resize(n);
    for (int64_t i = 0; i < n; ++i) {
      heads[part][i] = qkv[k::row_index(k::head_value(i, H, T, hs), T, 3 * C, part * C, hs)];
    }
  }
  // Attention per (b, h) on the contiguous heads (as the batched products see them), written
  // back as rows of y.
  std::vector<float> mine(B * T * C, -1.0f);
  for (int64_t bh = 0; bh < B * H; ++bh) {
    const float *q = &heads[0][bh * T * hs], *kk = &heads[1][bh * T * hs],
                *v = &heads[2][bh * T * hs];
    for (int64_t t = 0; t < T; ++t) {
      std::vector<double> p(t + 1);
      double top = -1e30, sum = 0;
      for (int64_t j = 0; j <= t; ++j) {
        double s = 0;
        for (int64_t d = 0; d < hs; ++d) s += q[t * hs + d] * kk[j * hs + d];
        p[j] = s / std::sqrt(static_cast<double>(hs));
        top = std::max(top, p[j]);
      }
      for (double& e : p) sum += (e = std::exp(e - top));
      for (int64_t d = 0; d < hs; ++d) {
        double out = 0;
        for (int64_t j = 0; j <= t; ++j) out += p[j] / sum * v[j * hs + d];
        const int64_t i = (bh * T + t) * hs + d;
        mine[k::row_index(k::head_value(i, H, T, hs), T, C, 0, hs)] = static_cast<float>(out);
      }
    }
  }
  for (size_t i = 0; i < y.size(); ++i) {
    INFO("value " << i);
    CHECK(std::fabs(mine[i] - y[i]) <= 1e-5 + 1e-5 * std::fabs(y[i]));
  }
  // And the copy back is the copy out's inverse: every value of qkv lands where it came from.
  std::vector<float> back(qkv.size(), 0.0f);
  for (int64_t part = 0; part < 3; ++part) {
    for (int64_t i = 0; i < n; ++i) {
      back[k::row_index(k::head_value(i, H, T, hs), T, 3 * C, part * C, hs)] = heads[part][i];
    }
  }
  CHECK(back == qkv);
}
