// train.cross_validate in pipelines (io, core, nn, train and eval plugins from the build): it
// reports every fold's scores and their mean and population std, a fold trains and scores exactly
// as train.fit, train.predict and eval.classification do on the same rows, regression folds are
// scored as eval.regression, and bad params and rows are refused naming the node and what was
// expected and found.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>

namespace sluice::test {
namespace {

const Registry& registry() {
  return plugin_registry(std::vector<std::string>{"io", "core", "nn", "train", "eval"});
}

// `rows` points (x0, x1) in [-1, 1]², one per line; y is 1 when x0 + x1 > 0 (classes) or, for
// regression, t = 2 x0 - x1 + 0.5 plus a little noise.
std::string point_rows(int rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::string lines;
  for (int r = 0; r < rows; ++r) {
    const float x0 = u(rng), x1 = u(rng), noise = 0.01f * u(rng);
    lines += "{\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [" + std::to_string(x0) +
             ", " + std::to_string(x1) + "]}, \"y\": " + (x0 + x1 > 0 ? "1" : "0") +
             ", \"t\": {\"dtype\": \"float32\", \"shape\": [1], \"data\": [" +
             std::to_string(2 * x0 - x1 + 0.5f + noise) + "]}}\n";
  }
  return lines;
}

const char* kMlp =
    "{seed: 3, layers: [{type: linear, in: 2, out: 8}, {type: tanh}, "
    "{type: linear, in: 8, out: 2}]}";

// One stage: read dir/rows.jsonl, then train.cross_validate of `label` with `params` (a YAML flow
// map's inside) and `extra` node keys.
std::string cv_pipeline(const std::string& dir, const std::string& params,
                        const std::string& extra = "", const std::string& label = "y") {
  return R"(
sluice: 1
name: cv
stages:
  - name: s
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
         dir + R"(/rows.jsonl"}}
      - id: cv
        op: train.cross_validate
        inputs: {input: x, label: )" +
         label + R"(}
        params: {)" +
         params + "}\n" + extra;
}

RunReport run_cv(const std::string& params, int rows = 103, const std::string& label = "y") {
  const std::string dir = temp_dir();
  write_file(dir + "/rows.jsonl", point_rows(rows, 1));
  return run_pipeline_text(registry(), cv_pipeline(dir, params, "", label), dir + "/run");
}

double metric(const RunReport& r, const std::string& name) {
  INFO(name);
  REQUIRE(r.metrics.count(name) == 1);
  return r.metrics.at(name);
}

// Every score of fold 1 also has a mean and population std over the 5 folds that agree with
// the folds' values.
void check_summary(const RunReport& report, int folds) {
  for (const auto& [name, value] : report.metrics) {
    if (name.rfind("cv.fold1.", 0) != 0) continue;
    const std::string score = name.substr(9);
    INFO(score);
    std::vector<double> values;
    for (int f = 1; f <= folds; ++f) {
      values.push_back(metric(report, "cv.fold" + std::to_string(f) + "." + score));
    }
    double mean = 0, squares = 0;
    for (double v : values) mean += v / folds;
    for (double v : values) squares += (v - mean) * (v - mean);
    CHECK(metric(report, "cv." + score + ".mean") == Approx(mean).epsilon(1e-12));
    CHECK(metric(report, "cv." + score + ".std") ==
          Approx(std::sqrt(squares / folds)).epsilon(1e-9).margin(1e-12));
  }
}

TEST_CASE("train.cross_validate reports every fold's scores, their mean and population std",
          "[plugins][train]") {
  RunReport report = run_cv(std::string("folds: 5, epochs: 20, batch_size: 8, optimizer: adam, "
                                        "lr: 0.05, class_names: [neg, pos], model: ") +
                            kMlp);
  INFO(report.error);
  REQUIRE(report.status == "ok");
  double test_rows = 0;
  for (int f = 1; f <= 5; ++f) {
    const std::string fold = "cv.fold" + std::to_string(f) + ".";
    test_rows += metric(report, fold + "test_rows");
    CHECK(metric(report, fold + "train_rows") + metric(report, fold + "test_rows") == 103);
    CHECK(metric(report, fold + "accuracy") >= 0.85);
    CHECK(metric(report, fold + "pos.f1") > 0);
    CHECK(report.metrics.count(fold + "macro_f1") == 1);
    CHECK(report.metrics.count(fold + "loss") == 1);
  }
  CHECK(test_rows == 103);
  CHECK(metric(report, "cv.accuracy.mean") >= 0.9);
  CHECK(metric(report, "cv.test_rows.std") == Approx(std::sqrt(0.24)));  // 21, 21, 21, 20, 20
  CHECK(report.metrics.count("cv.fold6.accuracy") == 0);
  check_summary(report, 5);
  const auto& node = report.stages.at(0).nodes.at(1);
  CHECK(node.records_in == 103);
  CHECK(node.records_out == 103);
}

TEST_CASE("a fold trains and scores exactly as train.fit, train.predict and eval.classification",
          "[plugins][train]") {
  // Unshuffled KFold puts rows 0-20 of 103 in fold 1; with epoch_order: stream its training
  // batches are rows 21-102 in order, as core.skip then core.batch give them to train.fit.
  const std::string dir = temp_dir();
  write_file(dir + "/rows.jsonl", point_rows(103, 1));
  const std::string train = R"(optimizer: adam, lr: 0.05, accumulate: 2, clip_grad_norm: 0.5)";
  RunReport cv = run_pipeline_text(
      registry(),
      cv_pipeline(dir, "folds: 5, stratified: false, epoch_order: stream, batch_size: 8, " + train +
                           ", model: " + kMlp),
      dir + "/cv");
  INFO(cv.error);
  REQUIRE(cv.status == "ok");
  RunReport fit = run_pipeline_text(registry(),
                                    R"(
sluice: 1
name: fold1
resources:
  model: {type: nn.model, seed: 3, layers: [{type: linear, in: 2, out: 8}, {type: tanh},
                                            {type: linear, in: 8, out: 2}]}
stages:
  - name: train
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                                        dir + R"(/rows.jsonl"}}
      - {id: skip, op: core.skip, params: {count: 21}}
      - {id: batch, op: core.batch, params: {batch_size: 8}}
      - {id: fit, op: train.fit, inputs: {input: x, label: y}, params: {model: model, )" +
                                        train + R"(}}
  - name: test
    nodes:
      - {id: read_test, op: io.read_jsonl, params: {path: ")" +
                                        dir + R"(/rows.jsonl"}}
      - {id: take, op: core.take, params: {count: 21}}
      - {id: test_batch, op: core.batch, params: {batch_size: 8}}
      - {id: predict, op: train.predict, inputs: {input: x}, params: {model: model}}
      - {id: evaluate, op: eval.classification, inputs: {label: y}, params: {num_classes: 2}}
)",
                                    dir + "/fit");
  INFO(fit.error);
  REQUIRE(fit.status == "ok");
  CHECK(metric(cv, "cv.fold1.train_loss") == metric(fit, "fit.loss_mean"));
  for (const char* score : {"accuracy", "macro_precision", "macro_recall", "macro_f1",
                            "weighted_f1", "0.precision", "1.recall", "1.f1"}) {
    INFO(score);
    CHECK(metric(cv, std::string("cv.fold1.") + score) ==
          metric(fit, std::string("evaluate.") + score));
  }
}

TEST_CASE("regression folds are KFold's and scored with MSE, MAE and R2", "[plugins][train]") {
  RunReport report = run_cv(
      "folds: 4, epochs: 30, batch_size: 8, loss: mse, optimizer: adam, lr: 0.05, "
      "model: {layers: [{type: linear, in: 2, out: 1}]}",
      100, "t");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  for (int f = 1; f <= 4; ++f) {
    CHECK(metric(report, "cv.fold" + std::to_string(f) + ".test_rows") == 25);
  }
  CHECK(metric(report, "cv.mse.mean") < 0.01);
  CHECK(metric(report, "cv.r2.mean") > 0.99);
  CHECK(report.metrics.count("cv.accuracy.mean") == 0);
  check_summary(report, 4);
}

TEST_CASE("train.cross_validate refuses bad params at load, naming the node and what it found",
          "[plugins][train]") {
  auto errors = [](const std::string& params) {
    return validation_errors(registry(), cv_pipeline("/nonexistent", params));
  };
  CHECK_THAT(errors(std::string("folds: 1, model: ") + kMlp),
             Catch::Contains("node 'cv' (train.cross_validate)") && Catch::Contains("'folds'") &&
                 Catch::Contains("found 1"));
  CHECK_THAT(errors("model: {layers: [{type: linear, in: 2}]}"),
             Catch::Contains("node 'cv' (train.cross_validate): param 'model', 'layers'") &&
                 Catch::Contains("expected argument 'out', found none"));
  CHECK_THAT(errors("model: {lr: 3, layers: [{type: relu}]}"),
             Catch::Contains("param 'model': expected the keys layers, seed, pad_id (and type), "
                             "found 'lr'"));
  CHECK_THAT(errors("model: {type: nn.vocabulary, layers: [{type: relu}]}"),
             Catch::Contains("param 'model', 'type': expected nn.model, found 'nn.vocabulary'"));
  CHECK_THAT(errors("model: [1, 2]"),
             Catch::Contains("param 'model': expected a map {layers: [...], seed, pad_id}, found "
                             "another value"));
  CHECK_THAT(errors("loss: mse, stratified: true, model: {layers: [{type: linear, in: 2, out: "
                    "1}]}"),
             Catch::Contains("node 'cv' (train.cross_validate): param 'stratified': expected "
                             "false or unset with loss mse") &&
                 Catch::Contains("found true"));
  CHECK_THAT(errors(std::string("optimizer: adam, nesterov: true, model: ") + kMlp),
             Catch::Contains("node 'cv' (train.cross_validate): optimizer: expected nesterov "
                             "only with sgd"));
}

TEST_CASE("train.cross_validate fails a run whose folds or class names do not fit the data",
          "[plugins][train]") {
  RunReport few = run_cv(std::string("folds: 5, model: ") + kMlp, 4);
  CHECK(few.status != "ok");
  CHECK(few.failed_node == "cv");
  CHECK_THAT(few.error, Catch::Contains("param 'folds': expected at most as many folds as rows "
                                        "(4), found 5 folds (stratified)"));
  RunReport names = run_cv(std::string("class_names: [a, b, c], model: ") + kMlp);
  CHECK(names.status != "ok");
  CHECK(names.failed_node == "cv");
  CHECK_THAT(names.error, Catch::Contains("param 'class_names': expected 2 names (the model's "
                                          "output classes), found 3"));
}

TEST_CASE("train.cross_validate rejects rows that differ from the first or are no class",
          "[plugins][train]") {
  const std::string dir = temp_dir();
  std::string lines = point_rows(30, 2);
  lines += "{\"x\": {\"dtype\": \"float32\", \"shape\": [3], \"data\": [1, 2, 3]}, \"y\": 0}\n";
  lines += "{\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, 2]}, \"y\": 7}\n";
  lines += "{\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, 2]}, \"y\": -100}\n";
  write_file(dir + "/rows.jsonl", lines);
  RunReport report = run_pipeline_text(
      registry(),
      cv_pipeline(dir, std::string("folds: 3, model: ") + kMlp, "        on_error: skip\n"),
      dir + "/run");
  INFO(report.error);
  REQUIRE(report.status == "ok");
  const auto& node = report.stages.at(0).nodes.at(1);
  CHECK(node.records_in == 33);
  CHECK(node.rejected == 2);
  CHECK(node.filtered == 1);  // labelled ignore_index
  CHECK(metric(report, "cv.train_rows.mean") + metric(report, "cv.test_rows.mean") == 30);
  const std::string rejected = read_file(dir + "/run/rejected.jsonl");
  CHECK_THAT(rejected, Catch::Contains("input: expected a CPU tensor float32 (2) as the first "
                                       "row's, found float32 (3)") &&
                           Catch::Contains("y: expected a class id in [0, 2) (the model's "
                                           "output classes), found 7"));
}

}  // namespace
}  // namespace sluice::test
