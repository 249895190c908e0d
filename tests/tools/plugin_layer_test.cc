// A third-party layer type in a pipeline run by the CLI: `sluice run` trains a model whose layer
// list names testlayers.swish (a test plugin found on --plugin-path and loaded only when the
// model is built), its loss falls and the saved .safetensors weights hold the layer's learned
// parameter under its state_dict name; a plugin layer's errors stop validation or the run naming
// the layer; `sluice inspect` shows its args.
#include "support/command.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <sstream>

using sluice::test::read_file;
using sluice::test::run_command;
using sluice::test::shell_quote;
using sluice::test::write_file;

namespace {

std::string sluice_command(const std::string& args) {
  return shell_quote(sluice::test::sluice_binary()) + " " + args + " --plugin-path " +
         shell_quote(sluice::test::test_plugin_dir() + "/testlayers");
}

// `batches` batches of 20 points in [-1, 1]^4 labelled 1 when x0 - x1 + x2 * x3 > 0.
std::string batches(int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::string lines;
  for (int b = 0; b < count; ++b) {
    std::string x, y;
    for (int r = 0; r < 20; ++r) {
      float v[4];
      for (float& e : v) e = u(rng);
      for (int k = 0; k < 4; ++k) x += (r || k ? "," : "") + std::to_string(v[k]);
      y += (r ? "," : "") + std::string(v[0] - v[1] + v[2] * v[3] > 0 ? "1" : "0");
    }
    lines += R"({"x": {"dtype": "float32", "shape": [20, 4], "data": [)" + x +
             R"(]}, "y": {"dtype": "int64", "shape": [20], "data": [)" + y + "]}}\n";
  }
  return lines;
}

// Trains [linear, `layer`, linear] on dir/train.jsonl for 10 epochs and writes each batch's loss.
std::string pipeline(const std::string& dir, const std::string& layer) {
  std::string file = dir + "/p.yaml";
  write_file(file, R"(sluice: 1
name: custom-layer
resources:
  model:
    type: nn.model
    seed: 3
    layers:
      - {type: linear, in: 4, out: 8}
      - )" + layer + R"(
      - {type: linear, in: 8, out: 2}
stages:
  - name: train
    nodes:
      - {id: read, op: io.read_jsonl, params: {path: ")" +
                       dir + R"(/train.jsonl"}}
      - {id: epochs, op: core.repeat, params: {count: 10}}
      - id: fit
        op: train.fit
        inputs: {input: x, label: y}
        params: {model: model, optimizer: adam, lr: 0.05, path: weights.safetensors}
      - {id: keep, op: core.select, params: {fields: [loss]}}
      - {id: write, op: io.write_jsonl, params: {path: losses.jsonl}}
)");
  return file;
}

// The float32 tensor `name` of a .safetensors file, after checking its header entry's shape.
std::vector<float> safetensors_f32(const std::string& path, const std::string& name,
                                   const std::vector<int64_t>& shape) {
  const std::string bytes = read_file(path);
  REQUIRE(bytes.size() >= 8);
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);
  auto header = boost::json::parse(bytes.substr(8, header_size)).as_object();
  INFO(boost::json::serialize(header));
  REQUIRE(header.contains(name));
  const auto& entry = header.at(name).as_object();
  CHECK(entry.at("dtype").as_string() == "F32");
  std::vector<int64_t> found;
  for (const auto& d : entry.at("shape").as_array()) found.push_back(d.as_int64());
  CHECK(found == shape);
  const auto& offsets = entry.at("data_offsets").as_array();
  const size_t begin = 8 + header_size + static_cast<size_t>(offsets[0].as_int64());
  const size_t end = 8 + header_size + static_cast<size_t>(offsets[1].as_int64());
  std::vector<float> values((end - begin) / sizeof(float));
  std::memcpy(values.data(), bytes.data() + begin, end - begin);
  return values;
}

double mean_loss(const std::vector<double>& losses, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += losses[i];
  return s / static_cast<double>(to - from);
}

}  // namespace

TEST_CASE("sluice run trains a model with a plugin's layer type and saves its parameter",
          "[cli][run][layer]") {
  const std::string dir = sluice::test::temp_dir();
  write_file(dir + "/train.jsonl", batches(10, 1));
  const std::string out = dir + "/run";
  auto r = run_command(sluice_command(
      "run " +
      shell_quote(pipeline(dir, "{type: testlayers.swish, features: 8, init_scale: 0.5}")) +
      " --progress none --out " + shell_quote(out)));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  std::vector<double> losses;
  std::istringstream lines(read_file(out + "/losses.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    losses.push_back(boost::json::parse(line).as_object().at("loss").to_number<double>());
  }
  REQUIRE(losses.size() == 100);
  const double first_epoch = mean_loss(losses, 0, 10), last_epoch = mean_loss(losses, 90, 100);
  INFO("mean loss: first epoch " << first_epoch << ", last epoch " << last_epoch);
  CHECK(last_epoch < 0.5 * first_epoch);

  const std::vector<float> scale = safetensors_f32(out + "/weights.safetensors", "1.scale", {8});
  REQUIRE(scale.size() == 8);
  size_t moved = 0;
  for (float s : scale) moved += s != 0.5f ? 1 : 0;
  CHECK(moved == 8);  // every feature's scale was trained away from init_scale
  CHECK(safetensors_f32(out + "/weights.safetensors", "2.weight", {2, 8}).size() == 16);
}

TEST_CASE("a plugin layer's errors stop validation or the run, naming the layer",
          "[cli][run][layer]") {
  const std::string dir = sluice::test::temp_dir();
  write_file(dir + "/train.jsonl", batches(2, 2));

  auto unknown = run_command(sluice_command(
      "validate " + shell_quote(pipeline(dir, "{type: testlayers.nope, features: 8}"))));
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err,
             Catch::Contains("resource 'model' (nn.model): param 'layers', element "
                             "1: layer type 'testlayers.nope': no plugin provides "
                             "it") &&
                 Catch::Contains("known plugin layer types: testlayers.center, testlayers.fail, "
                                 "testlayers.swish"));

  auto bad_arg = run_command(sluice_command(
      "validate " + shell_quote(pipeline(dir, "{type: testlayers.swish, features: -1}"))));
  CHECK(bad_arg.exit_code == 2);
  CHECK_THAT(bad_arg.err, Catch::Contains("param 'features' of layer type 'testlayers.swish': "
                                          "expected an int >= 1, found -1"));

  const std::string out = dir + "/run";
  auto failed = run_command(sluice_command(
      "run " + shell_quote(pipeline(dir, "{type: testlayers.fail, when: backward}")) +
      " --progress none --out " + shell_quote(out)));
  CHECK(failed.exit_code == 1);
  auto report = boost::json::parse(read_file(out + "/report.json")).as_object();
  CHECK(report.at("failed_node").as_string() == "fit");
  CHECK_THAT(std::string(report.at("error").as_string()),
             Catch::Contains("layer testlayers.fail: backward: unexpected exception: backward "
                             "failed on purpose"));
}

TEST_CASE("sluice inspect shows a plugin layer type's doc and args", "[cli][layer]") {
  auto r = run_command(sluice_command("inspect testlayers.swish"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::StartsWith("testlayers.swish  (layer type for nn.model; plugin testlayers "
                               "1.0.0, ") &&
                 Catch::Contains("y = scale * x * sigmoid(x) over the last dimension") &&
                 Catch::Contains("args:\n  features  int  required") &&
                 Catch::Contains("init_scale  float  default 1"));
  auto json = run_command(sluice_command("inspect testlayers.swish --json"));
  REQUIRE(json.exit_code == 0);
  auto schema = boost::json::parse(json.out).as_object();
  CHECK(schema.at("type").as_string() == "testlayers.swish");
  CHECK(schema.at("args").as_array().size() == 2);
  // testlayers.swish has a CUDA path exactly when the build has CUDA.
  CHECK(schema.at("cuda").as_bool() == (SLUICE_TEST_CUDA_BUILD != 0));
}
