// The nn.model resource and the train and eval ops in pipelines (io, core, nn, train and eval
// plugins from the build): training learns, predictions classify, weights round-trip through
// .safetensors, metrics equal scikit-learn's, and bad records and bad models are refused with
// what was expected.
#include "nn/device_model.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace sluice::test {
namespace {

const Registry& registry() {
  return plugin_registry(std::vector<std::string>{"io", "core", "nn", "train", "eval"});
}

std::string tensor_json(const char* dtype, const std::vector<int64_t>& shape,
                        const std::string& data) {
  std::string s = "{\"dtype\": \"" + std::string(dtype) + "\", \"shape\": [";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "], \"data\": [" + data + "]}";
}

// Batches of 20 points (x0, x1) in [-1, 1]², labelled 1 when x0 + x1 > 0, as JSON lines.
std::string separable_batches(int batches, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::string lines;
  for (int b = 0; b < batches; ++b) {
    std::string x, y;
    for (int r = 0; r < 20; ++r) {
      const float x0 = u(rng), x1 = u(rng);
      x += (r ? "," : "") + std::to_string(x0) + "," + std::to_string(x1);
      y += (r ? "," : "") + std::string(x0 + x1 > 0 ? "1" : "0");
    }
    lines += "{\"x\": " + tensor_json("float32", {20, 2}, x) +
             ", \"y\": " + tensor_json("int64", {20}, y) + "}\n";
  }
  return lines;
}

// Trains a small MLP on dir/train.jsonl with Adam at `lr`, then evaluates it on dir/test.jsonl.
std::string classifier_pipeline(const std::string& dir, const std::string& model_extra,
                                const std::string& lr, const std::string& fit_extra) {
  return R"(
sluice: 1
name: separable
resources:
  model:
    type: nn.model
    seed: 3
    layers: [{type: linear, in: 2, out: 8}, {type: tanh}, {type: linear, in: 8, out: 2}])" +
         model_extra + R"(
stages:
  - name: train
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
         dir + R"(/train.jsonl"}}
      - {id: epochs, op: core.repeat, params: {count: 10}}
      - id: fit
        op: train.fit
        inputs: {input: x, label: y}
        params: {model: model, optimizer: adam, lr: )" +
         lr + fit_extra + R"(}
  - name: test
    nodes:
      - {id: read_test, op: io.read_jsonl, params: {path: ")" +
         dir + R"(/test.jsonl"}}
      - {id: predict, op: train.predict, inputs: {input: x}, params: {model: model}}
      - id: evaluate
        op: eval.classification
        inputs: {label: y}
        params: {num_classes: 2}
)";
}

TEST_CASE("train.fit learns a separable problem that train.predict then classifies",
          "[plugins][train]") {
  const std::string dir = temp_dir();
  write_file(dir + "/train.jsonl", separable_batches(10, 1));
  write_file(dir + "/test.jsonl", separable_batches(5, 2));
  RunReport report = run_pipeline_text(
      registry(), classifier_pipeline(dir, "", "0.05", ", path: weights.safetensors"),
      dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  CHECK(report.metrics.at("fit.steps") == 100);
  CHECK(report.metrics.at("fit.loss") < 0.2);
  CHECK(report.metrics.at("fit.loss") < report.metrics.at("fit.loss_mean"));
  const double accuracy = report.metrics.at("evaluate.accuracy");
  CHECK(accuracy >= 0.95);

  SECTION("the saved weights load into a new run and give the same predictions") {
    const std::string weights = dir + "/run/weights.safetensors";
    std::string text = classifier_pipeline(dir, "\n    weights: " + weights, "0", "");
    RunReport again = run_pipeline_text(registry(), text, dir + "/run2");
    INFO(again.error);
    REQUIRE(again.status == "ok");
    CHECK(again.metrics.at("evaluate.accuracy") == accuracy);
  }
}

TEST_CASE("train.fit rejects a batch whose labels are no classes, saying what it expected",
          "[plugins][train]") {
  const std::string dir = temp_dir();
  std::string lines = separable_batches(2, 3);
  lines += "{\"x\": " + tensor_json("float32", {1, 2}, "0.5, 0.5") +
           ", \"y\": " + tensor_json("int64", {1}, "7") + "}\n";
  lines += "{\"x\": " + tensor_json("int32", {1, 2}, "1, 2") +
           ", \"y\": " + tensor_json("int64", {1}, "0") + "}\n";
  write_file(dir + "/train.jsonl", lines);
  write_file(dir + "/test.jsonl", separable_batches(1, 4));
  RunReport report = run_pipeline_text(
      registry(), classifier_pipeline(dir, "", "0.05", "}\n        on_error: skip\n#"),
      dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  const std::string rejected = read_file(dir + "/run/rejected.jsonl");
  CHECK_THAT(rejected, Catch::Contains("expected class ids in [0, 2)") &&
                           Catch::Contains("found 7") &&
                           Catch::Contains("expected float32 features, found int32"));
}

TEST_CASE("nn.model refuses unknown layers, bad arguments and the cuda device at load",
          "[plugins][nn]") {
  auto errors = [](const std::string& model) {
    return validation_errors(registry(), R"(
sluice: 1
name: bad-model
resources:
  model: )" + model + R"(
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: x.jsonl}}
      - {id: predict, op: train.predict, inputs: {input: x}, params: {model: model}}
)");
  };
  CHECK_THAT(errors("{type: nn.model, layers: [{type: convolution}]}"),
             Catch::Contains("expected a layer type among {") && Catch::Contains("'convolution'"));
  CHECK_THAT(errors("{type: nn.model, layers: [{type: linear, in: 2}]}"),
             Catch::Contains("layer 0: layer linear: expected argument 'out', found none"));
  CHECK_THAT(errors("{type: nn.model, layers: [{type: linear, in: 2.5, out: 1e13}]}"),
             Catch::Contains("layer 0: layer linear: expected 'in' to be a whole number in [1, "
                             "10^12], found 2.5"));
  CHECK_THAT(errors("{type: nn.model, layers: [{type: relu}, {type: embedding, "
                    "num_embeddings: 3, dim: 2}]}"),
             Catch::Contains("layer 1 (embedding): expected it first"));
  CHECK_THAT(errors("{type: nn.model, layers: [{type: linear, in: 4, out: 4}, "
                    "{type: masked_mean}]}"),
             Catch::Contains("layer 1 (masked_mean): expected a model whose first layer reads "
                             "ids") &&
                 Catch::Contains("found linear first"));
  // Sizes whose product would pass int64's limit, or come near it, are refused by name.
  CHECK_THAT(errors("{type: nn.model, layers: [{type: linear, in: 2097152, out: 2097152}]}"),
             Catch::Contains("layer 0: parameter 'weight': expected at most 2^40 values, found "
                             "shape (2097152, 2097152)"));
  CHECK_THAT(errors("{type: nn.model, layers: [{type: conv2d, in_channels: 4294967296, "
                    "out_channels: 4294967296, kernel_size: 65536}]}"),
             Catch::Contains("layer 0: parameter 'weight': expected at most 2^40 values, found "
                             "shape (4294967296, 4294967296, 65536, 65536)"));
  CHECK_THAT(errors("{type: nn.model, matmul: bf16, layers: [{type: relu}]}"),
             Catch::Contains("param 'matmul': expected float32 with device: cpu (bf16 products "
                             "run on a CUDA device), found bf16"));
  const Status gpu = nn::gpu_status();
  if (!gpu.ok()) {  // this machine or build: the resource names what it found
    CHECK_THAT(errors("{type: nn.model, device: cuda, layers: [{type: relu}]}"),
               Catch::Contains("resource 'model'") &&
                   Catch::Contains("param 'device': expected a usable CUDA device for device: "
                                   "cuda, found none: " +
                                   gpu.message() + "; use device: cpu or auto"));
  } else {  // every built-in layer type runs there
    CHECK(errors("{type: nn.model, device: cuda, layers: [{type: linear, in: 4, out: 4}, "
                 "{type: batch_norm, num_features: 4}]}") == "");
  }
#if !SLUICE_WITH_CUDA
  CHECK(gpu.message() ==
        "this build of the nn plugin has no CUDA kernels (it was configured without nvcc, with "
        "SLUICE_CUDA=off or with sanitizers)");
#endif
}

TEST_CASE("nn.model whose values cannot be allocated fails at load, saying how many it has",
          "[plugins][nn]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN(
      "not run: AddressSanitizer's operator new ends the process where it cannot allocate, "
      "rather than throw std::bad_alloc");
  return;
#endif
  // Only where the kernel refuses what it cannot back (heuristic or strict overcommit): under
  // "always overcommit" the allocation would succeed and zeroing 2 TiB would exhaust the machine.
  std::ifstream overcommit("/proc/sys/vm/overcommit_memory");
  int mode = -1;
  overcommit >> mode;
  if (mode != 0 && mode != 2) {
    WARN("not run: vm.overcommit_memory is " + std::to_string(mode) +
         ", so a 2 TiB allocation might succeed and exhaust the machine");
    return;
  }
  const std::string dir = temp_dir();
  write_file(dir + "/test.jsonl", separable_batches(1, 2));
  // 2^39 + 2^19 values, 2 TiB: within the limit of values per tensor.
  const std::string text = R"(
sluice: 1
name: too-large
resources:
  model: {type: nn.model, layers: [{type: linear, in: 1048576, out: 524288}]}
stages:
  - name: test
    nodes:
      - {id: read_test, op: io.read_jsonl, params: {path: ")" +
                           dir + R"(/test.jsonl"}}
      - {id: predict, op: train.predict, inputs: {input: x}, params: {model: model}}
)";
  RunReport report = run_pipeline_text(registry(), text, dir + "/run");
  CHECK(report.status == "failed");
  CHECK_THAT(report.error,
             Catch::Contains("resource 'model'") &&
                 Catch::Contains("expected memory for the model's 549756338176 float32 parameter "
                                 "values (2097154 MiB), found an allocation of them failing"));
}

TEST_CASE(
    "nn.model's device auto trains on the CPU without a device, as device cpu does (in "
    "float32, with matmul bf16 too)",
    "[plugins][nn]") {
  if (nn::gpu_status().ok()) {
    WARN("a CUDA device is visible: auto runs there ([cuda] tests check it)");
    return;
  }
  const std::string dir = temp_dir();
  write_file(dir + "/train.jsonl", separable_batches(4, 5));
  write_file(dir + "/test.jsonl", separable_batches(2, 6));
  const std::string resource_params[] = {"\n    device: cpu", "\n    device: auto",
                                         "\n    device: auto\n    matmul: bf16"};
  std::string weights[3];
  for (int i = 0; i < 3; ++i) {
    const std::string run = dir + "/run" + std::to_string(i);
    RunReport report = run_pipeline_text(
        registry(),
        classifier_pipeline(dir, resource_params[i], "0.05", ", path: weights.safetensors"), run);
    INFO(report.error);
    REQUIRE(report.status == "ok");
    weights[i] = read_file(run + "/weights.safetensors");
  }
  CHECK(!weights[0].empty());
  CHECK(weights[0] == weights[1]);
  CHECK(weights[0] == weights[2]);
}

TEST_CASE("eval.classification reports scikit-learn's metrics", "[plugins][eval]") {
  std::ifstream in(source_dir() + "/tests/data/nn/classification.json");
  std::stringstream text;
  text << in.rdbuf();
  const boost::json::object ref = boost::json::parse(text.str()).as_object();
  const auto& labels = ref.at("labels").as_array();
  const auto& predictions = ref.at("predictions").as_array();
  const std::string dir = temp_dir();
  std::string lines;
  for (size_t i = 0; i < labels.size(); ++i) {
    lines += "{\"label\": " + std::to_string(labels[i].as_int64()) +
             ", \"prediction\": " + std::to_string(predictions[i].as_int64()) + "}\n";
  }
  write_file(dir + "/rows.jsonl", lines);
  RunReport report = run_pipeline_text(registry(),
                                       R"(
sluice: 1
name: metrics
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                           dir + R"(/rows.jsonl"}}
      - id: eval
        op: eval.classification
        params: {num_classes: 3, class_names: [cat, dog, fox], path: metrics.json}
)",
                                       dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  size_t counted_cells = 0;
  for (const auto& [name, value] : ref.at("metrics").as_object()) {
    INFO(name);
    const std::string key = "eval." + std::string(name);
    if (name.starts_with("confusion.") && value.as_double() == 0) {  // cells not counted: absent
      CHECK(report.metrics.count(key) == 0);
      continue;
    }
    counted_cells += name.starts_with("confusion.");
    REQUIRE(report.metrics.count(key) == 1);
    CHECK(report.metrics.at(key) == Approx(value.as_double()).epsilon(1e-12));
  }
  // The file's confusion: the counted cells as [label, predicted, count], in order.
  const auto json = boost::json::parse(read_file(dir + "/run/metrics.json")).as_object();
  const auto& cells = json.at("confusion").as_array();
  REQUIRE(cells.size() == counted_cells);
  const std::string names[] = {"cat", "dog", "fox"};
  for (size_t i = 0; i < cells.size(); ++i) {
    const auto& cell = cells[i].as_array();
    const std::string key =
        "eval.confusion." + names[cell.at(0).as_int64()] + "." + names[cell.at(1).as_int64()];
    INFO(key);
    CHECK(report.metrics.at(key) == static_cast<double>(cell.at(2).as_int64()));
    if (i > 0) {
      const auto& before = cells[i - 1].as_array();
      CHECK(std::pair(before.at(0).as_int64(), before.at(1).as_int64()) <
            std::pair(cell.at(0).as_int64(), cell.at(1).as_int64()));
    }
  }
}

TEST_CASE("eval.classification scores 50257 classes, holding only the cells counted",
          "[plugins][eval]") {
  // Dense, this confusion matrix would take 20 GB; a language model's tokens are such classes.
  const std::string dir = temp_dir();
  write_file(dir + "/rows.jsonl",
             "{\"label\": 50256, \"prediction\": 50256}\n{\"label\": 7, \"prediction\": 50256}\n"
             "{\"label\": 7, \"prediction\": 7}\n{\"label\": 0, \"prediction\": 3}\n");
  RunReport report = run_pipeline_text(registry(),
                                       R"(
sluice: 1
name: tokens
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                           dir + R"(/rows.jsonl"}}
      - {id: eval, op: eval.classification, params: {num_classes: 50257}}
)",
                                       dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  CHECK(report.metrics.at("eval.accuracy") == 0.5);
  CHECK(report.metrics.at("eval.confusion.7.50256") == 1);
  CHECK(report.metrics.at("eval.confusion.50256.50256") == 1);
  CHECK(report.metrics.at("eval.confusion.0.3") == 1);
  CHECK(report.metrics.count("eval.confusion.0.0") == 0);
  CHECK(report.metrics.at("eval.50256.precision") == 0.5);
  CHECK(report.metrics.at("eval.7.recall") == 0.5);
  CHECK(report.metrics.at("eval.3.precision") == 0);
  // Macro averages run over all 50257 classes, as scikit-learn's with labels=range(50257).
  CHECK(report.metrics.at("eval.macro_recall") == Approx((1.0 + 0.5) / 50257).epsilon(1e-12));
}

}  // namespace
}  // namespace sluice::test

namespace sluice::test {
namespace {

TEST_CASE("eval.regression reports scikit-learn's MSE, MAE and R2", "[plugins][eval]") {
  const boost::json::object ref =
      boost::json::parse(read_file(source_dir() + "/tests/data/nn/regression.json")).as_object();
  const auto& label = ref.at("label").as_array();
  const auto& prediction = ref.at("prediction").as_array();
  auto values = [](const boost::json::array& a, size_t from, size_t count) {
    std::string s;
    for (size_t i = from; i < from + count; ++i) {
      std::ostringstream v;
      v.precision(9);
      v << a[i].to_number<double>();
      s += (s.empty() ? "" : ",") + v.str();
    }
    return s;
  };
  std::string lines;
  for (size_t row = 0; row < 12; row += 4) {  // batches of 4 rows of 2 outputs
    lines += "{\"prediction\": " + tensor_json("float32", {4, 2}, values(prediction, row * 2, 8)) +
             ", \"label\": " + tensor_json("float32", {4, 2}, values(label, row * 2, 8)) + "}\n";
  }
  const std::string dir = temp_dir();
  write_file(dir + "/rows.jsonl", lines);
  RunReport report = run_pipeline_text(registry(),
                                       R"(
sluice: 1
name: regression-metrics
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                           dir + R"(/rows.jsonl"}}
      - {id: eval, op: eval.regression}
)",
                                       dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  CHECK(report.metrics.at("eval.rows") == 12);
  for (const char* name : {"mse", "mae", "r2"}) {
    INFO(name);
    CHECK(report.metrics.at(std::string("eval.") + name) ==
          Approx(ref.at("metrics").at(name).to_number<double>()).epsilon(1e-9));
  }
}

}  // namespace
}  // namespace sluice::test
