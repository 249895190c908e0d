// batch_norm's running statistics and residual blocks beyond their gradients (gradient_test.cc)
// and PyTorch parity (parity_test.cc): the running statistics follow the batch statistics once
// per training step and serve inference, the state_dict is named as PyTorch names it and
// round-trips through .safetensors, and bad models are refused with what was expected, from the
// API and from a pipeline file's nested layer lists.
#include "nn/model.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

namespace sluice::nn {
namespace {

std::unique_ptr<Model> build(const std::vector<LayerSpec>& specs, uint64_t seed = 1) {
  Expected<std::unique_ptr<Model>> m = Model::build(specs, {seed}, 0);
  INFO(m.status().message());
  REQUIRE(m.ok());
  return std::move(*m);
}

std::vector<float> normal_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(1.0f, 2.0f);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

// One training forward and backward pass of `model` on `in`.
void train_pass(Model& model, const ModelInput& in) {
  Workspace ws;
  REQUIRE(model.forward(in, true, 0, ws).ok());
  Buffer dout;
  dout.resize(ws.output().shape);
  std::fill(dout.values.begin(), dout.values.end(), 1.0f);
  model.backward(ws, dout);
}

const StateTensor& tensor(const std::vector<StateTensor>& state, const std::string& name) {
  for (const StateTensor& t : state) {
    if (t.name == name) return t;
  }
  FAIL("no tensor " << name);
  return state.front();
}

std::vector<float> floats(const StateTensor& t) {
  std::vector<float> v(t.bytes / sizeof(float));
  std::memcpy(v.data(), t.data, t.bytes);
  return v;
}

TEST_CASE("batch_norm's running statistics follow each training step's batch and serve inference",
          "[plugins][nn]") {
  std::unique_ptr<Model> model = build({{"batch_norm", {{"num_features", 3}, {"momentum", 0.25}}}});
  const int64_t B = 5, C = 3, L = 2;  // (B, C, L): 10 values per channel
  const std::vector<float> x = normal_values(B * C * L, 4);
  const ModelInput in{{B, C, L}, nullptr, x.data()};
  Workspace eval_before;
  REQUIRE(model->forward(in, false, 0, eval_before).ok());
  for (size_t i = 0; i < x.size(); ++i) {  // running mean 0, variance 1
    CHECK(eval_before.output().values[i] == Approx(x[i] / std::sqrt(1.0 + 1e-5)));
  }
  train_pass(*model, in);
  train_pass(*model, in);
  const std::vector<StateTensor> state = model->state_dict();
  const std::vector<float> mean = floats(tensor(state, "0.running_mean"));
  const std::vector<float> var = floats(tensor(state, "0.running_var"));
  CHECK(*static_cast<const int64_t*>(tensor(state, "0.num_batches_tracked").data) == 2);
  Workspace eval;
  REQUIRE(model->forward(in, false, 0, eval).ok());
  for (int64_t c = 0; c < C; ++c) {
    double sum = 0, squares = 0;
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t l = 0; l < L; ++l) sum += x[(b * C + c) * L + l];
    }
    const double batch_mean = sum / (B * L);
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t l = 0; l < L; ++l) {
        squares += std::pow(x[(b * C + c) * L + l] - batch_mean, 2);
      }
    }
    const double unbiased = squares / (B * L - 1);
    // two steps of running = 0.75 · running + 0.25 · batch, from 0 and 1
    const double expected_mean = 0.25 * batch_mean * (1 + 0.75);
    const double expected_var = 0.75 * 0.75 + 0.25 * unbiased * (1 + 0.75);
    CHECK(mean[c] == Approx(expected_mean).epsilon(1e-5));
    CHECK(var[c] == Approx(expected_var).epsilon(1e-5));
    for (int64_t b = 0; b < B; ++b) {
      const int64_t i = (b * C + c) * L;
      CHECK(eval.output().values[i] ==
            Approx((x[i] - expected_mean) / std::sqrt(expected_var + 1e-5)).epsilon(1e-5));
    }
  }
  // An inference pass leaves them alone.
  CHECK(floats(tensor(model->state_dict(), "0.running_mean")) == mean);
}

std::vector<LayerSpec> residual_model() {
  LayerSpec block{"residual", {}, {}};
  block.lists["body"] = {{"linear", {{"in", 4}, {"out", 4}, {"bias", 0}}},
                         {"batch_norm", {{"num_features", 4}}},
                         {"relu", {}},
                         {"linear", {{"in", 4}, {"out", 4}}}};
  LayerSpec outer{"residual", {}, {}};
  outer.lists["body"] = {block, {"batch_norm", {{"num_features", 4}, {"affine", 0}}}};
  return {{"linear", {{"in", 3}, {"out", 4}}}, outer, {"linear", {{"in", 4}, {"out", 2}}}};
}

TEST_CASE("batch_norm and residual state_dicts have PyTorch's names and round-trip through files",
          "[plugins][nn]") {
  std::unique_ptr<Model> model = build(residual_model());
  std::vector<std::string> names;
  for (const StateTensor& t : model->state_dict()) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{
                     "0.weight", "0.bias", "1.body.0.body.0.weight", "1.body.0.body.1.weight",
                     "1.body.0.body.1.bias", "1.body.0.body.3.weight", "1.body.0.body.3.bias",
                     "2.weight", "2.bias", "1.body.0.body.1.running_mean",
                     "1.body.0.body.1.running_var", "1.body.0.body.1.num_batches_tracked",
                     "1.body.1.running_mean", "1.body.1.running_var",
                     "1.body.1.num_batches_tracked"});
  const std::vector<float> x = normal_values(6 * 3, 5);
  const ModelInput in{{6, 3}, nullptr, x.data()};
  train_pass(*model, in);
  const std::string path = test::temp_dir() + "/model.safetensors";
  REQUIRE(model->save(path).ok());

  std::unique_ptr<Model> loaded = build(residual_model(), 9);
  REQUIRE(loaded->load(path).ok());
  const std::vector<StateTensor> a = model->state_dict(), b = loaded->state_dict();
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].name);
    CHECK(std::memcmp(a[i].data, b[i].data, a[i].bytes) == 0);
  }
  Workspace wa, wb;
  REQUIRE(model->forward(in, false, 0, wa).ok());
  REQUIRE(loaded->forward(in, false, 0, wb).ok());
  CHECK(wa.output().values == wb.output().values);

  // A file without the buffers (a model saved before batch_norm was added to it) is refused.
  std::unique_ptr<Model> plain = build({{"linear", {{"in", 3}, {"out", 4}}}});
  const std::string plain_path = test::temp_dir() + "/plain.safetensors";
  REQUIRE(plain->save(plain_path).ok());
  std::unique_ptr<Model> with_norm =
      build({{"linear", {{"in", 3}, {"out", 4}}}, {"batch_norm", {{"num_features", 4}}}});
  Status s = with_norm->load(plain_path);
  CHECK_THAT(s.message(), Catch::Contains("expected tensor '1.weight' float32 (4), found none"));
}

TEST_CASE("residual refuses a body that changes the input's shape, naming both shapes",
          "[plugins][nn]") {
  LayerSpec narrowing{"residual", {}, {}};
  narrowing.lists["body"] = {{"linear", {{"in", 4}, {"out", 3}}}};
  std::unique_ptr<Model> model = build({narrowing});
  const std::vector<float> x(8, 1.0f);
  Workspace ws;
  Status s = model->forward({{2, 4}, nullptr, x.data()}, false, 0, ws);
  CHECK_THAT(s.message(), Catch::Contains("layer 0: layer residual: expected its body to keep the "
                                          "input's shape (2, 4), found (2, 3)"));
  s = model->forward({{2, 2, 2}, nullptr, x.data()}, false, 0, ws);
  CHECK_THAT(s.message(), Catch::Contains("layer 0: layer residual: body layer 0: layer linear: "
                                          "expected an input of shape (batch, ..., 4)"));
  std::unique_ptr<Model> norm = build({{"batch_norm", {{"num_features", 4}}}});
  s = norm->forward({{2, 2, 2}, nullptr, x.data()}, false, 0, ws);
  CHECK_THAT(s.message(),
             Catch::Contains("layer batch_norm: expected an input of shape (batch, 4), "
                             "(batch, 4, length) or (batch, 4, height, width), found "
                             "(2, 2, 2)"));
}

TEST_CASE("nn.model reads nested layer lists from the pipeline file and refuses bad ones",
          "[plugins][nn]") {
  const Registry& registry =
      test::plugin_registry(std::vector<std::string>{"io", "core", "nn", "train"});
  auto errors = [&](const std::string& layers) {
    return test::validation_errors(registry, R"(
sluice: 1
name: nested
resources:
  model: {type: nn.model, layers: )" + layers + R"(}
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: x.jsonl}}
      - {id: predict, op: train.predict, inputs: {input: x}, params: {model: model}}
)");
  };
  CHECK(errors("[{type: linear, in: 2, out: 4}, {type: residual, body: [{type: batch_norm, "
               "num_features: 4}, {type: residual, body: [{type: linear, in: 4, out: 4}]}]}]") ==
        "");
  CHECK_THAT(errors("[{type: residual}]"),
             Catch::Contains("layer 0: layer residual: expected argument 'body' (a list of "
                             "layers), found none"));
  CHECK_THAT(errors("[{type: residual, body: 3}]"),
             Catch::Contains("layer residual: expected 'body' to be a list of layers, found a "
                             "number"));
  CHECK_THAT(errors("[{type: linear, in: [{type: relu}], out: 2}]"),
             Catch::Contains("layer linear: expected 'in' to be a number, found a list of layers"));
  CHECK_THAT(
      errors("[{type: residual, body: []}]"),
      Catch::Contains("layer residual: expected 'body' to hold at least one layer, found none"));
  CHECK_THAT(errors("[{type: residual, body: [{type: relu}, {type: linear, in: 2}]}]"),
             Catch::Contains("layer 0: layer residual: body layer 1: layer linear: expected "
                             "argument 'out', found none"));
  CHECK_THAT(errors("[{type: residual, body: [{type: embedding, num_embeddings: 3, dim: 2}]}]"),
             Catch::Contains("body layer 0 (embedding): expected a layer of features, found one "
                             "that reads the model's input ids"));
  CHECK_THAT(errors("[{type: residual, body: [{in: 2}]}]"),
             Catch::Contains("param 'layers', element 0 (residual), 'body', element 0: expected "
                             "a map with a 'type' string"));
  CHECK_THAT(errors("[{type: batch_norm, num_features: 4, momentum: 2}]"),
             Catch::Contains("layer batch_norm: expected 'momentum' in [0, 1], found 2"));
  CHECK_THAT(errors("[{type: batch_norm, num_features: 4, eps: 0}]"),
             Catch::Contains("layer batch_norm: expected 'eps' in (0, 1], found 0"));
}

}  // namespace
}  // namespace sluice::nn
