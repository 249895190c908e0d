// Every layer's and loss's backward pass against central finite differences of its forward pass,
// in float32: an analytic gradient g and a numerical one n (step 1e-2) agree when
// |g - n| <= 2e-2 * max(1, |n|). Inputs are kept away from ReLU's kink.
#include "nn/kernels/loss.h"
#include "nn/model.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

constexpr float kStep = 1e-2f;

void check_close(double analytic, double numeric, const std::string& what) {
  INFO(what << ": analytic " << analytic << ", numeric " << numeric);
  CHECK(std::abs(analytic - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric)));
}

std::vector<float> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.1f, 1.0f);
  std::bernoulli_distribution sign(0.5);
  std::vector<float> v(n);
  for (float& x : v) x = sign(rng) ? u(rng) : -u(rng);
  return v;
}

// Loss = Σ out · weights, so dLoss/dout = weights.
double weighted_sum(const Buffer& out, const std::vector<float>& weights) {
  double s = 0;
  for (size_t i = 0; i < out.values.size(); ++i)
    s += static_cast<double>(out.values[i]) * weights[i];
  return s;
}

// Checks the gradient of every parameter; those of the first layers also check, through the
// chain rule, the input gradients every later layer passes back. `training`: the passes'
// mode (batch_norm's batch or running statistics, dropout on or off).
void check_model(const std::vector<LayerSpec>& specs, ModelInput in, bool training = true) {
  Expected<std::unique_ptr<Model>> built = Model::build(specs, {3}, 0);
  REQUIRE(built.ok());
  Model& model = **built;
  Workspace ws;
  REQUIRE(model.forward(in, training, 11, ws).ok());
  const std::vector<float> weights = random_values(ws.output().values.size(), 5);
  Buffer dout;
  dout.resize(ws.output().shape);
  dout.values = weights;
  model.backward(ws, dout);
  auto loss = [&] {
    Workspace w;
    REQUIRE(model.forward(in, training, 11, w).ok());
    return weighted_sum(w.output(), weights);
  };
  auto numeric = [&](float& x) {
    const float saved = x;
    x = saved + kStep;
    const double up = loss();
    x = saved - kStep;
    const double down = loss();
    x = saved;
    return (up - down) / (2.0 * kStep);
  };
  for (const auto& [name, p] : model.parameters()) {
    for (size_t i = 0; i < p->value.size(); i += 1 + p->value.size() / 40) {
      check_close(p->grad[i], numeric(p->value[i]), name + "[" + std::to_string(i) + "]");
    }
  }
}

TEST_CASE("linear, gelu, tanh and relu backward passes match finite differences", "[plugins][nn]") {
  std::vector<float> x = random_values(4 * 6, 1);
  ModelInput in{{4, 6}, nullptr, x.data()};
  check_model({{"linear", {{"in", 6}, {"out", 5}}},
               {"gelu", {}},
               {"linear", {{"in", 5}, {"out", 5}, {"bias", 0}}},
               {"tanh", {}},
               {"linear", {{"in", 5}, {"out", 4}}},
               {"relu", {}},
               {"linear", {{"in", 4}, {"out", 3}}}},
              in);
}

TEST_CASE("conv2d, max_pool2d, avg_pool2d and flatten backward passes match finite differences",
          "[plugins][nn]") {
  std::vector<float> x = random_values(2 * 2 * 7 * 7, 4);
  ModelInput in{{2, 2, 7, 7}, nullptr, x.data()};
  check_model(
      {{"conv2d", {{"in_channels", 2}, {"out_channels", 3}, {"kernel_size", 3}, {"padding", 1}}},
       {"tanh", {}},
       {"max_pool2d", {{"kernel_size", 2}}},
       {"conv2d", {{"in_channels", 3}, {"out_channels", 2}, {"kernel_size", 2}, {"stride", 1}}},
       {"avg_pool2d", {{"kernel_size", 2}, {"stride", 1}}},
       {"flatten", {}},
       {"linear", {{"in", 2 * 1 * 1}, {"out", 3}}}},
      in);
}

TEST_CASE("embedding and masked_mean backward passes match finite differences", "[plugins][nn]") {
  std::vector<int32_t> ids{3, 1, 4, 0, 0, 2, 2, 5, 6, 0, 0, 0};
  ModelInput in{{3, 4}, ids.data(), nullptr};
  check_model({{"embedding", {{"num_embeddings", 7}, {"dim", 5}}},
               {"masked_mean", {}},
               {"linear", {{"in", 5}, {"out", 2}}}},
              in);
}

TEST_CASE(
    "token_position_embedding, transformer_block, causal_self_attention, layer_norm and linear "
    "over sequences: backward passes match finite differences",
    "[plugins][nn]") {
  std::vector<int32_t> ids{3, 1, 4, 1, 5, 6, 2, 6, 5, 0};
  ModelInput in{{2, 5}, ids.data(), nullptr};  // T = 5 < block_size
  check_model({{"token_position_embedding", {{"num_embeddings", 7}, {"block_size", 6}, {"dim", 8}}},
               {"transformer_block", {{"dim", 8}, {"heads", 2}, {"mlp_ratio", 2}}},
               {"causal_self_attention", {{"dim", 8}, {"heads", 4}}},
               {"layer_norm", {{"dim", 8}}},
               {"linear", {{"in", 8}, {"out", 7}}}},
              in);
}

TEST_CASE("batch_norm backward passes match finite differences, with batch and running statistics",
          "[plugins][nn]") {
  // Behind a linear or a conv2d, whose gradients then check batch_norm's input gradient.
  std::vector<float> x = random_values(6 * 5, 12);
  for (bool training : {true, false}) {
    INFO("training " << training);
    check_model({{"linear", {{"in", 5}, {"out", 4}}},
                 {"batch_norm", {{"num_features", 4}}},
                 {"tanh", {}},
                 {"linear", {{"in", 4}, {"out", 3}}}},
                {{6, 5}, nullptr, x.data()}, training);
  }
  std::vector<float> images = random_values(3 * 2 * 4 * 4, 13);
  check_model(
      {{"conv2d", {{"in_channels", 2}, {"out_channels", 3}, {"kernel_size", 3}, {"padding", 1}}},
       {"batch_norm", {{"num_features", 3}, {"momentum", 0.3}}},
       {"tanh", {}},
       {"flatten", {}},
       {"linear", {{"in", 3 * 4 * 4}, {"out", 2}}}},
      {{3, 2, 4, 4}, nullptr, images.data()});
  std::vector<float> sequences = random_values(3 * 4 * 5, 14);  // (B, C, L), no affine map
  check_model({{"linear", {{"in", 5}, {"out", 5}}},
               {"batch_norm", {{"num_features", 4}, {"affine", 0}, {"eps", 1e-3}}},
               {"tanh", {}},
               {"linear", {{"in", 5}, {"out", 2}}}},
              {{3, 4, 5}, nullptr, sequences.data()});
}

TEST_CASE("residual backward passes match finite differences, nested and with batch_norm",
          "[plugins][nn]") {
  std::vector<float> x = random_values(4 * 6, 15);
  LayerSpec mlp{"residual", {}, {}};
  mlp.lists["body"] = {
      {"linear", {{"in", 5}, {"out", 5}}}, {"tanh", {}}, {"linear", {{"in", 5}, {"out", 5}}}};
  LayerSpec inner{"residual", {}, {}};
  inner.lists["body"] = {{"linear", {{"in", 5}, {"out", 5}}}};
  LayerSpec outer{"residual", {}, {}};
  outer.lists["body"] = {{"batch_norm", {{"num_features", 5}}}, {"gelu", {}}, inner};
  check_model(
      {{"linear", {{"in", 6}, {"out", 5}}}, mlp, outer, {"linear", {{"in", 5}, {"out", 3}}}},
      {{4, 6}, nullptr, x.data()});
}

TEST_CASE("causal_self_attention: a position's output does not depend on later positions",
          "[plugins][nn]") {
  Expected<std::unique_ptr<Model>> m =
      Model::build({{"causal_self_attention", {{"dim", 4}, {"heads", 2}}}}, {1}, 0);
  REQUIRE(m.ok());
  std::vector<float> x = random_values(1 * 3 * 4, 3);
  Workspace a, b;
  REQUIRE((*m)->forward({{1, 3, 4}, nullptr, x.data()}, false, 0, a).ok());
  x[2 * 4 + 1] += 1.0f;  // change the last position only
  REQUIRE((*m)->forward({{1, 3, 4}, nullptr, x.data()}, false, 0, b).ok());
  for (int i = 0; i < 8; ++i) CHECK(a.output().values[i] == b.output().values[i]);
  CHECK(a.output().values[9] != b.output().values[9]);
}

TEST_CASE("token_position_embedding refuses sequences longer than block_size", "[plugins][nn]") {
  Expected<std::unique_ptr<Model>> m = Model::build(
      {{"token_position_embedding", {{"num_embeddings", 5}, {"block_size", 3}, {"dim", 2}}}}, {1},
      0);
  REQUIRE(m.ok());
  CHECK((*m)->max_length() == 3);
  std::vector<int32_t> ids{1, 2, 3, 4};
  Workspace ws;
  Status s = (*m)->forward({{1, 4}, ids.data(), nullptr}, false, 0, ws);
  CHECK(s.message().find("length <= 3") != std::string::npos);
  CHECK(!Model::build({{"transformer_block", {{"dim", 6}, {"heads", 4}}}}, {1}, 0).ok());
}

TEST_CASE("dropout drops the same elements forward and backward, and is off at inference",
          "[plugins][nn]") {
  std::vector<float> x = random_values(8 * 16, 2);
  ModelInput in{{8, 16}, nullptr, x.data()};
  check_model({{"linear", {{"in", 16}, {"out", 16}}},
               {"dropout", {{"p", 0.3}}},
               {"linear", {{"in", 16}, {"out", 2}}}},
              in);
  Expected<std::unique_ptr<Model>> m = Model::build({{"dropout", {{"p", 0.5}}}}, {0}, 0);
  REQUIRE(m.ok());
  Workspace train, eval;
  REQUIRE((*m)->forward(in, true, 1, train).ok());
  REQUIRE((*m)->forward(in, false, 1, eval).ok());
  CHECK(eval.output().values == x);
  int zeros = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const float y = train.output().values[i];
    if (y == 0.0f) {
      ++zeros;
    } else {
      CHECK(y == Approx(2 * x[i]));
    }
  }
  CHECK(zeros > 30);
  CHECK(zeros < 98);
}

TEST_CASE("cross_entropy and mse gradients match finite differences", "[plugins][nn]") {
  std::vector<float> logits = random_values(4 * 3, 7);
  const std::vector<int64_t> targets{2, -100, 0, 1};
  std::vector<float> grad(logits.size());
  cross_entropy(logits.data(), targets.data(), 4, 3, -100, grad.data());
  for (size_t i = 0; i < logits.size(); ++i) {
    const float saved = logits[i];
    logits[i] = saved + kStep;
    const double up = cross_entropy(logits.data(), targets.data(), 4, 3, -100, nullptr);
    logits[i] = saved - kStep;
    const double down = cross_entropy(logits.data(), targets.data(), 4, 3, -100, nullptr);
    logits[i] = saved;
    check_close(grad[i], (up - down) / (2 * kStep), "logit " + std::to_string(i));
  }
  CHECK(grad[3] == 0.0f);  // the ignored row
  std::vector<float> pred = random_values(6, 8), target = random_values(6, 9), dpred(6);
  mse(pred.data(), target.data(), 6, dpred.data());
  for (size_t i = 0; i < pred.size(); ++i) {
    const float saved = pred[i];
    pred[i] = saved + kStep;
    const double up = mse(pred.data(), target.data(), 6, nullptr);
    pred[i] = saved - kStep;
    const double down = mse(pred.data(), target.data(), 6, nullptr);
    pred[i] = saved;
    check_close(dpred[i], (up - down) / (2 * kStep), "pred " + std::to_string(i));
  }
}

}  // namespace
}  // namespace sluice::nn
