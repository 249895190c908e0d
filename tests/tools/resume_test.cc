// sluice run --resume: a training run stopped after a checkpoint and resumed reaches the same
// weights, byte for byte, as a run never stopped (train.fit's checkpoints under the run
// directory; the pipeline replays the same batches and the trainer skips the ones it had used).
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

namespace fs = std::filesystem;
using sluice::test::read_file;
using sluice::test::run_command;
using sluice::test::shell_quote;
using sluice::test::write_file;

namespace {

// 12 batches of 8 points in [-1, 1]² labelled by the sign of x0 - x1, as JSON lines.
void write_batches(const std::string& path) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::string lines;
  for (int b = 0; b < 12; ++b) {
    std::string x, y;
    for (int r = 0; r < 8; ++r) {
      const float x0 = u(rng), x1 = u(rng);
      x += (r ? "," : "") + std::to_string(x0) + "," + std::to_string(x1);
      y += (r ? "," : "") + std::string(x0 > x1 ? "1" : "0");
    }
    lines += R"({"x": {"dtype": "float32", "shape": [8, 2], "data": [)" + x +
             R"(]}, "y": {"dtype": "int64", "shape": [8], "data": [)" + y + "]}}\n";
  }
  write_file(path, lines);
}

// Dropout (drawn from each record's seed), batch_norm's running statistics (buffers, not
// parameters), gradient accumulation and a schedule, so that a resumed run only matches when all
// of its state came back.
std::string write_pipeline(const std::string& dir) {
  const std::string file = dir + "/train.yaml";
  write_file(file, R"(
sluice: 1
name: resume
seed: 5
resources:
  model:
    type: nn.model
    layers: [{type: linear, in: 2, out: 16}, {type: batch_norm, num_features: 16}, {type: relu},
             {type: dropout, p: 0.2}, {type: linear, in: 16, out: 2}]
stages:
  - name: train
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                       dir + R"(/batches.jsonl"}}
      - {id: epochs, op: core.repeat, params: {count: 5}}
      - {id: shuffle, op: core.shuffle, params: {buffer_size: 30}}
      - id: fit
        op: train.fit
        inputs: {input: x, label: y}
        params: {model: model, optimizer: adamw, lr: 0.02, accumulate: 2, schedule: cosine,
                 total_steps: 30, warmup_steps: 3, checkpoint_every: 7,
                 path: weights.safetensors}
)");
  return file;
}

sluice::test::CommandResult sluice_run(const std::string& args) {
  return run_command(shell_quote(sluice::test::sluice_binary()) + " run " + args +
                     " --progress none");
}

}  // namespace

TEST_CASE("a resumed training run reaches the weights of a run never stopped",
          "[cli][run][integration]") {
  const std::string dir = sluice::test::temp_dir();
  write_batches(dir + "/batches.jsonl");
  const std::string file = write_pipeline(dir);
  auto whole = sluice_run(shell_quote(file) + " --out " + shell_quote(dir + "/whole"));
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  const std::string checkpoints = dir + "/whole/checkpoints/fit";
  REQUIRE(fs::exists(checkpoints + "/step-28.safetensors"));  // 60 batches, 2 per step

  // The stopped run: its checkpoints up to step 14, no final weights.
  const std::string stopped = dir + "/stopped";
  fs::copy(dir + "/whole", stopped, fs::copy_options::recursive);
  fs::remove(stopped + "/weights.safetensors");
  fs::remove(stopped + "/checkpoints/fit/step-21.safetensors");
  fs::remove(stopped + "/checkpoints/fit/step-28.safetensors");
  auto resumed = sluice_run(shell_quote(file) + " --resume " + shell_quote(stopped));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(read_file(stopped + "/weights.safetensors") ==
        read_file(dir + "/whole/weights.safetensors"));
  CHECK(read_file(stopped + "/checkpoints/fit/step-28.safetensors") ==
        read_file(checkpoints + "/step-28.safetensors"));

  // It trained only on the batches after the checkpoint: the 28 before it were skipped, so the
  // same weights mean that the model and optimizer state came back from the checkpoint.
  const auto report = boost::json::parse(read_file(stopped + "/report.json")).as_object();
  const auto& nodes = report.at("stages").at(0).at("nodes").as_array();
  const auto& fit = nodes.back().as_object();
  CHECK(fit.at("id").as_string() == "fit");
  CHECK(fit.at("filtered").as_int64() == 28);
  CHECK(fit.at("records_out").as_int64() == 32);
}

TEST_CASE("sluice run --resume needs an existing run directory and excludes --out", "[cli][run]") {
  const std::string dir = sluice::test::temp_dir();
  const std::string file = write_pipeline(dir);
  auto missing = sluice_run(shell_quote(file) + " --resume " + shell_quote(dir + "/nothing"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("expected the run directory of an earlier run, found "
                                          "nothing"));
  auto both = sluice_run(shell_quote(file) + " --resume " + shell_quote(dir) + " --out x");
  CHECK(both.exit_code == 2);
}
