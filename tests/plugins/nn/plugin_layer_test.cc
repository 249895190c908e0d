// A layer type of another plugin (the test plugin testlayers, through the C ABI 1.2) in nn
// models: parsed from a layer list (its plugin looked up through the host and a LayerCatalog),
// its gradients and those it passes back against central finite differences of its forward pass
// (as gradient_test.cc checks the built-in layers), its parameters named as any layer's, and its
// errors reported naming it; its buffers (ABI 1.3) updated by training passes only, saved and
// loaded with the parameters.
#include "engine/config/layer_catalog.h"
#include "engine/runtime/host.h"
#include "engine/runtime/params.h"
#include "nn/device_plan.h"
#include "nn/model.h"
#include "nn/model_resource.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

constexpr float kStep = 1e-2f;

// The registry holding testlayers.so, with the catalog that serves its layer types.
struct TestLayers {
  Registry registry;
  LayerCatalog catalog{registry};
  TestLayers() {
    engine_host();
    REQUIRE(registry.load_file(test::test_plugin_dir() + "/testlayers/testlayers.so").ok());
  }
};

// The layer list `yaml` parsed as the nn.model resource parses its `layers` param.
Expected<std::vector<LayerSpec>> parse(const std::string& yaml) {
  ParamTree tree = param_from_yaml(YAML::Load(yaml));
  return layer_specs(Param(&tree));
}

std::unique_ptr<Model> build(const std::string& yaml, const ParameterInit& init = {3}) {
  Expected<std::vector<LayerSpec>> specs = parse(yaml);
  INFO(specs.status().message());
  REQUIRE(specs.ok());
  Expected<std::unique_ptr<Model>> model = Model::build(*specs, init, 0);
  INFO(model.status().message());
  REQUIRE(model.ok());
  return std::move(*model);
}

std::vector<float> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.5f, 1.5f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

double weighted_sum(const Buffer& out, const std::vector<float>& weights) {
  double s = 0;
  for (size_t i = 0; i < out.values.size(); ++i) {
    s += static_cast<double>(out.values[i]) * weights[i];
  }
  return s;
}

}  // namespace

TEST_CASE("a plugin's layer matches finite differences through the C ABI", "[plugins][nn][layer]") {
  TestLayers layers;
  std::unique_ptr<Model> model = build(
      "[{type: linear, in: 3, out: 4}, {type: testlayers.swish, features: 4, init_scale: 0.7},"
      " {type: linear, in: 4, out: 2}]");
  std::vector<std::string> names;
  for (const auto& [name, p] : model->parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"0.weight", "0.bias", "1.scale", "2.weight", "2.bias"});
  Parameter& scale = *model->parameters()[2].second;
  CHECK(scale.shape == std::vector<int64_t>{4});
  CHECK(scale.value == std::vector<float>(4, 0.7f));
  scale.value = {0.7f, -1.2f, 0.4f, 1.5f};  // distinct scales, so each feature's gradient differs

  const std::vector<float> x = random_values(5 * 3, 1);
  const ModelInput in{{5, 3}, nullptr, x.data()};
  Workspace ws;
  REQUIRE(model->forward(in, true, 11, ws).ok());
  REQUIRE(ws.output().shape == std::vector<int64_t>{5, 2});
  const std::vector<float> weights = random_values(ws.output().values.size(), 5);
  Buffer dout;
  dout.resize(ws.output().shape);
  dout.values = weights;
  model->zero_grad();
  model->backward(ws, dout);
  auto loss = [&] {
    Workspace w;
    REQUIRE(model->forward(in, true, 11, w).ok());
    return weighted_sum(w.output(), weights);
  };
  // The first layer's gradients reach it through the swish layer's input gradient.
  for (const auto& [name, p] : model->parameters()) {
    for (size_t i = 0; i < p->value.size(); ++i) {
      const float saved = p->value[i];
      p->value[i] = saved + kStep;
      const double up = loss();
      p->value[i] = saved - kStep;
      const double down = loss();
      p->value[i] = saved;
      const double numeric = (up - down) / (2.0 * kStep);
      INFO(name << "[" << i << "]: analytic " << p->grad[i] << ", numeric " << numeric);
      CHECK(std::abs(p->grad[i] - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric)));
    }
  }
}

TEST_CASE("a plugin's layer inside a residual body is named as the body's layers are",
          "[plugins][nn][layer]") {
  TestLayers layers;
  std::unique_ptr<Model> model =
      build("[{type: residual, body: [{type: testlayers.swish, features: 3}]}]");
  REQUIRE(model->parameters().size() == 1);
  CHECK(model->parameters()[0].first == "0.body.0.scale");
  const std::vector<float> x = {1, -2, 0.5f};
  Workspace ws;
  REQUIRE(model->forward({{1, 3}, nullptr, x.data()}, false, 0, ws).ok());
  for (size_t i = 0; i < 3; ++i) {
    const float swish = x[i] / (1.0f + std::exp(-x[i]));
    CHECK(ws.output().values[i] == Approx(x[i] + swish));
  }
}

TEST_CASE("a plugin's layer buffers change in training passes only and are saved and loaded",
          "[plugins][nn][layer]") {
  TestLayers layers;
  const std::string yaml =
      "[{type: testlayers.center, features: 3}, {type: linear, in: 3, out: 2}]";
  std::unique_ptr<Model> model = build(yaml);
  std::vector<std::string> names;
  for (const StateTensor& t : model->state_dict()) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"1.weight", "1.bias", "0.running_mean"});
  auto running_mean = [&](const Model& m) {
    const StateTensor t = m.state_dict()[2];
    REQUIRE(t.dtype == SLUICE_DTYPE_FLOAT32);
    REQUIRE(t.shape == std::vector<int64_t>{3});
    const auto* v = static_cast<const float*>(t.data);
    return std::vector<float>(v, v + 3);
  };
  CHECK(running_mean(*model) == std::vector<float>(3, 0.0f));

  // Built only to be checked (as validation builds it), the same tensors without values: the
  // plugin is not asked to initialise them.
  const std::unique_ptr<Model> checked = build(yaml, {3, InitialValues::kNone});
  const std::vector<StateTensor> checked_state = checked->state_dict();
  REQUIRE(checked_state.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(checked_state[i].name == names[i]);
    CHECK(checked_state[i].shape == model->state_dict()[i].shape);
    CHECK(checked_state[i].bytes == 0);
  }

  // Two rows per batch: the batch mean of feature f is (x[f] + x[3 + f]) / 2.
  const std::vector<float> x1 = {1, -2, 4, 3, 0, -1};
  const std::vector<float> x2 = {0.5f, 1, -3, 2.5f, 2, 1};
  auto train_pass = [&](const std::vector<float>& x) {
    Workspace ws;
    REQUIRE(model->forward({{2, 3}, nullptr, x.data()}, true, 0, ws).ok());
    Buffer dout;
    dout.resize(ws.output().shape);
    model->backward(ws, dout);
  };
  // An inference pass leaves the buffer as it is.
  Workspace infer;
  REQUIRE(model->forward({{2, 3}, nullptr, x1.data()}, false, 0, infer).ok());
  CHECK(running_mean(*model) == std::vector<float>(3, 0.0f));
  train_pass(x1);
  train_pass(x2);
  std::vector<float> expected(3);
  for (size_t f = 0; f < 3; ++f) {
    const float m1 = (x1[f] + x1[3 + f]) / 2, m2 = (x2[f] + x2[3 + f]) / 2;
    expected[f] = 0.9f * (0.9f * 0.0f + 0.1f * m1) + 0.1f * m2;
  }
  const std::vector<float> after = running_mean(*model);
  for (size_t f = 0; f < 3; ++f) CHECK(after[f] == Approx(expected[f]).epsilon(1e-6));

  // The file holds it under its state_dict name, and a fresh model loads it back.
  const std::string path = test::temp_dir() + "/center.safetensors";
  REQUIRE(model->save(path).ok());
  std::unique_ptr<Model> loaded = build(yaml);
  REQUIRE(loaded->load(path).ok());
  CHECK(running_mean(*loaded) == after);
  // At inference the layer subtracts running_mean: the centred rows go through the same linear.
  Workspace a, b;
  REQUIRE(loaded->forward({{2, 3}, nullptr, x1.data()}, false, 0, a).ok());
  std::unique_ptr<Model> linear = build("[{type: linear, in: 3, out: 2}]");
  for (size_t i = 0; i < 2; ++i) {
    linear->parameters()[i].second->value = model->parameters()[i].second->value;
  }
  std::vector<float> centred = x1;
  for (size_t i = 0; i < centred.size(); ++i) centred[i] -= after[i % 3];
  REQUIRE(linear->forward({{2, 3}, nullptr, centred.data()}, false, 0, b).ok());
  CHECK(a.output().values == b.output().values);
}

TEST_CASE("the CUDA path plans a plugin's layer that has a CUDA path and refuses one without",
          "[plugins][nn][layer][nn_device]") {
  TestLayers layers;
  const std::string yaml =
      "[{type: linear, in: 3, out: 4}, {type: testlayers.swish, features: 4},"
      " {type: linear, in: 4, out: 2}]";
  Expected<std::vector<LayerSpec>> specs = parse(yaml);
  REQUIRE(specs.ok());
  std::unique_ptr<Model> model = build(yaml);
  Expected<std::vector<DeviceLayer>> plan = plan_device_layers(*specs, *model);
  if (SLUICE_WITH_CUDA) {  // testlayers.swish has forward_cuda and backward_cuda
    INFO(plan.status().message());
    REQUIRE(plan.ok());
    REQUIRE(plan->size() == 3);
    const DeviceLayer& swish = (*plan)[1];
    CHECK(swish.op == DeviceOp::kPlugin);
    REQUIRE(swish.params.size() == 1);
    CHECK(model->parameters()[swish.params[0]].first == "1.scale");
    CHECK(swish.param_names == std::vector<std::string>{"scale"});
    Expected<std::vector<int64_t>> shape = device_output_shape(swish, {5, 4});
    REQUIRE(shape.ok());
    CHECK(*shape == std::vector<int64_t>{5, 4});
    Expected<std::vector<int64_t>> bad = device_output_shape(swish, {5, 3});
    CHECK(bad.status().message() ==
          "layer testlayers.swish: expected an input of shape (batch, ..., 4), found (5, 3)");
  } else {
    CHECK(plan.status().message() ==
          "layer 1 (testlayers.swish): expected a layer type with a CUDA path (forward_cuda and "
          "backward_cuda), found one its plugin runs on the CPU only; use device: cpu");
  }
  // In a residual body, whose state_dict names are the body's ("0.body.0.running_mean"), the
  // plugin still sees the names it declared.
  const std::string centred = "[{type: residual, body: [{type: testlayers.center, features: 3}]}]";
  Expected<std::vector<LayerSpec>> center = parse(centred);
  REQUIRE(center.ok());
  Expected<std::vector<DeviceLayer>> center_plan = plan_device_layers(*center, *build(centred));
  if (SLUICE_WITH_CUDA) {  // testlayers.center too, with its buffer
    INFO(center_plan.status().message());
    REQUIRE(center_plan.ok());
    const DeviceLayer& center_layer = (*center_plan)[0].body.at(0);
    CHECK(center_layer.buffers == std::vector<std::string>{"0.body.0.running_mean"});
    CHECK(center_layer.buffer_names == std::vector<std::string>{"running_mean"});
  } else {
    CHECK(center_plan.status().message() ==
          "layer 0 (residual): body layer 0 (testlayers.center): expected a layer type with a CUDA "
          "path (forward_cuda and "
          "backward_cuda), found one its plugin runs on the CPU only; use device: cpu");
  }
}

TEST_CASE("a plugin's layer errors name the layer and say what was expected",
          "[plugins][nn][layer]") {
  TestLayers layers;
  auto parse_error = [](const std::string& yaml) { return parse(yaml).status().message(); };
  CHECK_THAT(parse_error("[{type: linear, in: 2, out: 2}, {type: testlayers.nope}]"),
             Catch::StartsWith("param 'layers', element 1: layer type 'testlayers.nope': no "
                               "plugin provides it (") &&
                 Catch::Contains("known plugin layer types: testlayers.center, testlayers.fail, "
                                 "testlayers.swish"));
  CHECK(parse_error("[{type: testlayers.swish, features: 0}]") ==
        "param 'layers', element 0: param 'features' of layer type 'testlayers.swish': expected "
        "an int >= 1, found 0");
  CHECK(parse_error("[{type: testlayers.swish}]") ==
        "param 'layers', element 0: layer type 'testlayers.swish': missing required param "
        "'features': expected an int >= 1");

  Expected<std::vector<LayerSpec>> create = parse("[{type: testlayers.fail, when: create}]");
  REQUIRE(create.ok());
  Expected<std::unique_ptr<Model>> not_built = Model::build(*create, {0}, 0);
  CHECK(not_built.status().message() ==
        "layer 0: layer testlayers.fail: create: unexpected exception: cannot create");

  const std::vector<float> x(2 * 5, 0.5f);
  const ModelInput in{{2, 5}, nullptr, x.data()};
  Workspace ws;
  Status shape = build("[{type: testlayers.swish, features: 4}]")->forward(in, false, 0, ws);
  CHECK(shape.message() ==
        "layer 0: layer testlayers.swish: expected an input of shape (batch, ..., 4), found (2, "
        "5)");

  Status forward = build("[{type: testlayers.fail, when: forward}]")->forward(in, true, 0, ws);
  CHECK(forward.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(forward.message() == "layer testlayers.fail: forward: forward failed on purpose");

  std::unique_ptr<Model> backward = build("[{type: testlayers.fail, when: backward}]");
  REQUIRE(backward->forward(in, true, 0, ws).ok());
  Buffer dout;
  dout.resize({2, 5});
  try {
    backward->backward(ws, dout);
    FAIL("backward did not fail");
  } catch (const Error& e) {
    CHECK(e.status().code() == SLUICE_INTERNAL);
    CHECK(e.status().message() ==
          "layer testlayers.fail: backward: unexpected exception: backward failed on purpose");
  }
}

}  // namespace sluice::nn
