// [cuda] image.resize and image.normalize with device: cuda against device: cpu: through OpRunner
// on single images and batches, and in a pipeline on 2 threads (decode, resize, crop, batch,
// normalize) over the photos, whose outputs must match the CPU pipeline's within 1/255 after
// normalisation (resize within 1 on 0-255, scaled by 1 / (255 std)).
#include "plugins/image/image_test_util.h"
#include "plugins/support/plugin_test.h"
#include "support/cuda_device.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

using sluice::test::image_record;
using sluice::test::run_op;

namespace {

namespace json = boost::json;

std::vector<double> values(const std::string& line) {
  std::vector<double> out;
  for (const auto& v : json::parse(line).as_object().at("image").as_object().at("data").as_array())
    out.push_back(v.to_number<double>());
  return out;
}

std::string shape(const std::string& line) {
  return json::serialize(json::parse(line).as_object().at("image").as_object().at("shape"));
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

// The float32 data of a .npy file written by io.write_npy.
std::vector<float> npy_floats(const std::string& path, std::string& header) {
  const std::string bytes = sluice::test::read_file(path);
  REQUIRE(bytes.size() > 10);
  const size_t header_len = static_cast<uint8_t>(bytes[8]) | static_cast<uint8_t>(bytes[9]) << 8;
  header = bytes.substr(10, header_len);
  std::vector<float> out((bytes.size() - 10 - header_len) / sizeof(float));
  std::memcpy(out.data(), bytes.data() + 10 + header_len, out.size() * sizeof(float));
  return out;
}

}  // namespace

TEST_CASE("device: cuda gives the CPU's results through the ops", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const cv::Mat china = sluice::test::reference_image("china_input.png");
  const cv::Mat flower = sluice::test::reference_image("flower_input.png");
  // One 4-D batch record of both images.
  json::array data;
  for (const cv::Mat* m : {&china, &flower}) {
    for (size_t i = 0; i < m->total() * m->channels(); ++i) data.push_back(m->data[i]);
  }
  const std::string batch =
      "{\"image\": " +
      json::serialize(
          json::object{{"dtype", "uint8"}, {"shape", json::array{2, 64, 96, 3}}, {"data", data}}) +
      "}";
  struct Case {
    const char* op;
    const char* params;  // device added
    double tolerance;
  };
  for (const Case& c :
       {Case{"image.resize", "width: 61, height: 37", 1},
        Case{"image.resize", "shorter_side: 160, interpolation: bicubic", 1},
        Case{"image.resize", "width: 200, interpolation: nearest", 0},
        Case{"image.resize", "height: 30, interpolation: lanczos", 1},
        Case{"image.normalize", "mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.4]", 1e-5}}) {
    for (const std::string& record : {image_record(china), image_record(flower), batch}) {
      INFO(c.op << " {" << c.params << "} on a record of shape " << shape(record));
      const auto gpu =
          run_op("image", c.op, std::string("{") + c.params + ", device: cuda}", {record});
      const auto cpu =
          run_op("image", c.op, std::string("{") + c.params + ", device: cpu}", {record});
      REQUIRE(gpu.outputs.size() == 1);
      CHECK(shape(gpu.outputs[0]) == shape(cpu.outputs[0]));
      CHECK(max_difference(values(gpu.outputs[0]), values(cpu.outputs[0])) <= c.tolerance);
    }
  }
}

TEST_CASE("a pipeline on 2 threads with device: cuda matches the CPU pipeline", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const auto& registry =
      sluice::test::plugin_registry(std::vector<std::string>{"io", "core", "image"});
  const std::string photos = sluice::test::shared_data_dir() + "/image/photos";
  std::vector<float> outputs[2];
  std::string headers[2];
  int i = 0;
  for (const char* device : {"cuda", "cpu"}) {
    const std::string dir = sluice::test::temp_dir();
    const std::string d(device);
    const auto report = sluice::test::run_pipeline_text(registry,
                                                        R"(sluice: 1
name: gpu-pipeline
stages:
  - name: s
    nodes:
      - {id: list, op: io.list_files, params: {pattern: ")" +
                                                            photos + R"(/*.jpg"}}
      - {id: repeat, op: core.repeat, params: {count: 8}}
      - {id: decode, op: image.decode}
      - {id: resize, op: image.resize, params: {shorter_side: 80, device: )" +
                                                            d + R"(}}
      - {id: crop, op: image.center_crop, params: {width: 64}}
      - {id: batch, op: core.batch, params: {batch_size: 4, drop: [path]}}
      - {id: norm, op: image.normalize, params: {device: )" +
                                                            d + R"(}}
      - {id: out, op: io.write_npy, params: {path: x.npy, field: image, stack: true}}
)",
                                                        dir);
    INFO(report.error);
    REQUIRE(report.status == "ok");
    outputs[i] = npy_floats(dir + "/x.npy", headers[i]);
    ++i;
  }
  CHECK(headers[0] == headers[1]);
  CHECK(headers[0].find("(6, 4, 3, 64, 64)") != std::string::npos);
  REQUIRE(outputs[0].size() == outputs[1].size());
  REQUIRE(outputs[0].size() == size_t{6} * 4 * 3 * 64 * 64);
  double worst = 0;
  for (size_t k = 0; k < outputs[0].size(); ++k) {
    worst = std::max(worst, static_cast<double>(std::fabs(outputs[0][k] - outputs[1][k])));
  }
  // A resized pixel off by 1 is off by 1 / (255 * 0.225) after ImageNet normalisation.
  CHECK(worst <= 1.0 / (255 * 0.225) + 1e-5);
  std::cout << "GPU pipeline vs CPU pipeline: max |diff| " << worst << "\n";
}
