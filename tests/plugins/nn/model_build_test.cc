// How a model starts: drawn initial weights depend on the seed alone; a model built to be loaded
// (InitialValues::kToLoad) draws nothing, and once loaded runs as the model it was saved from;
// one built only to be checked (InitialValues::kNone) has the same parameter names and shapes
// without values; parameters hold no gradient until a backward pass or zero_grad(); and a
// weights path that is not a file is refused naming it.
#include "nn/model.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

namespace sluice::nn {
namespace {

// Every drawn layer type (and batch_norm, whose start is fixed) in one language model.
std::vector<LayerSpec> drawn_layers() {
  LayerSpec block{"residual", {}, {}};
  block.lists["body"] = {{"linear", {{"in", 8}, {"out", 8}}},
                         {"batch_norm", {{"num_features", 3}}}};
  return {{"token_position_embedding", {{"num_embeddings", 20}, {"block_size", 3}, {"dim", 8}}},
          {"transformer_block", {{"dim", 8}, {"heads", 2}}},
          {"causal_self_attention", {{"dim", 8}, {"heads", 2}}},
          block,
          {"layer_norm", {{"dim", 8}}},
          {"linear", {{"in", 8}, {"out", 20}, {"bias", 0}}}};
}

std::unique_ptr<Model> build(const ParameterInit& init) {
  Expected<std::unique_ptr<Model>> m = Model::build(drawn_layers(), init, 0);
  INFO(m.status().message());
  REQUIRE(m.ok());
  return std::move(*m);
}

std::vector<std::vector<float>> values_of(const Model& m) {
  std::vector<std::vector<float>> v;
  for (const auto& [name, p] : m.parameters()) v.push_back(p->value);
  return v;
}

bool all_zero(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; });
}

}  // namespace

TEST_CASE("a model built to be loaded draws no weights and, loaded, runs as the one saved",
          "[plugins][nn]") {
  const std::unique_ptr<Model> drawn = build({7});
  CHECK(values_of(*drawn) == values_of(*build({7})));
  CHECK(values_of(*drawn) != values_of(*build({8})));
  for (const auto& [name, p] : drawn->parameters()) {
    INFO(name);
    const bool fixed_start = name.find("ln_") != std::string::npos ||  // layer norms: 1 and 0
                             name.rfind("4.", 0) == 0 || name.rfind("3.body.1.", 0) == 0;
    if (!fixed_start) CHECK(!all_zero(p->value));
  }

  const std::unique_ptr<Model> unloaded = build({7, InitialValues::kToLoad});
  for (const auto& [name, p] : unloaded->parameters()) {
    INFO(name);
    const bool ones = name.find("weight") != std::string::npos &&
                      (name.find("ln_") != std::string::npos || name.rfind("4.", 0) == 0 ||
                       name.rfind("3.body.1.", 0) == 0);
    if (ones) {
      CHECK(p->value == std::vector<float>(p->value.size(), 1.0f));
    } else {
      CHECK(all_zero(p->value));
    }
  }

  const std::string path = test::temp_dir() + "/drawn.safetensors";
  REQUIRE(drawn->save(path).ok());
  REQUIRE(unloaded->load(path).ok());
  CHECK(values_of(*unloaded) == values_of(*drawn));
  const std::vector<int32_t> ids = {3, 1, 4, 1, 5, 9};
  const ModelInput in{{2, 3}, ids.data(), nullptr};
  Workspace a, b;
  REQUIRE(drawn->forward(in, false, 0, a).ok());
  REQUIRE(unloaded->forward(in, false, 0, b).ok());
  CHECK(a.output().values == b.output().values);
}

TEST_CASE("a model built only to be checked has the parameters and layers, without values",
          "[plugins][nn]") {
  const std::unique_ptr<Model> checked = build({7, InitialValues::kNone});
  const std::unique_ptr<Model> full = build({7});
  const auto checked_params = checked->parameters(), full_params = full->parameters();
  REQUIRE(checked_params.size() == full_params.size());
  for (size_t i = 0; i < full_params.size(); ++i) {
    INFO(full_params[i].first);
    CHECK(checked_params[i].first == full_params[i].first);
    CHECK(checked_params[i].second->shape == full_params[i].second->shape);
    CHECK(checked_params[i].second->value.empty());
    CHECK(!full_params[i].second->value.empty());
  }
  const auto checked_state = checked->state_dict(), full_state = full->state_dict();
  REQUIRE(checked_state.size() == full_state.size());
  for (size_t i = 0; i < full_state.size(); ++i) {
    CHECK(checked_state[i].name == full_state[i].name);
    CHECK(checked_state[i].shape == full_state[i].shape);
  }
  CHECK(checked->takes_ids());
  CHECK(checked->vocabulary_size() == full->vocabulary_size());
}

TEST_CASE("parameters hold no gradient until a backward pass or zero_grad", "[plugins][nn]") {
  const std::unique_ptr<Model> model = build({3});
  const std::vector<int32_t> ids = {3, 1, 4, 1, 5, 9};
  Workspace ws;
  REQUIRE(model->forward({{2, 3}, ids.data(), nullptr}, true, 0, ws).ok());
  for (const auto& [name, p] : model->parameters()) CHECK(p->grad.empty());

  Buffer dout;
  dout.resize(ws.output().shape);
  std::fill(dout.values.begin(), dout.values.end(), 1.0f);
  model->backward(ws, dout);
  for (const auto& [name, p] : model->parameters()) {
    INFO(name);
    REQUIRE(p->grad.size() == p->value.size());
    if (name == "0.wte.weight") CHECK(!all_zero(p->grad));
  }
  model->zero_grad();
  for (const auto& [name, p] : model->parameters()) CHECK(all_zero(p->grad));

  const std::unique_ptr<Model> fresh = build({3});
  fresh->zero_grad();
  for (const auto& [name, p] : fresh->parameters()) {
    CHECK(p->grad == std::vector<float>(p->value.size(), 0.0f));
  }
}

TEST_CASE("loading weights from a path that is no file names it and what it found",
          "[plugins][nn]") {
  const std::unique_ptr<Model> model = build({1, InitialValues::kToLoad});
  const std::string dir = test::temp_dir();
  Status s = model->load(dir);
  CHECK_THAT(s.message(),
             Catch::Equals("'" + dir + "': expected a readable file, found another kind of file"));
  s = model->load(dir + "/missing.safetensors");
  CHECK_THAT(s.message(), Catch::Equals("'" + dir +
                                        "/missing.safetensors': expected a readable file, found "
                                        "none"));
}

}  // namespace sluice::nn
