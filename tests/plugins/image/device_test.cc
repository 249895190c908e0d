// The `device` param of image.resize and image.normalize on any machine: device: cuda is refused
// at load, naming the node and why, when there is no CUDA device or the build has no kernels;
// auto then runs on the CPU; settings without a CUDA kernel are refused for cuda. And the batch
// path both ops have on every device: a (B, H, W, C) batch gives what its images give one by one.
#include "image/gpu.h"
#include "plugins/image/image_test_util.h"
#include "plugins/support/plugin_test.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sluice::test::image_record;
using sluice::test::params_error;
using sluice::test::run_op;

namespace {

namespace json = boost::json;

// {"image": (B, H, W, C) uint8} stacking `images` (all of one size and type).
std::string batch_record(const std::vector<cv::Mat>& images) {
  json::array data;
  for (const cv::Mat& m : images) {
    for (size_t i = 0; i < m.total() * m.channels(); ++i) data.push_back(m.data[i]);
  }
  const cv::Mat& m = images.at(0);
  json::object t{
      {"dtype", "uint8"},
      {"shape", json::array{static_cast<int64_t>(images.size()), m.rows, m.cols, m.channels()}},
      {"data", data}};
  return "{\"image\": " + json::serialize(t) + "}";
}

json::object image_tensor(const std::string& line) {
  return json::parse(line).as_object().at("image").as_object();
}

std::vector<double> values(const json::object& t) {
  std::vector<double> out;
  for (const auto& v : t.at("data").as_array()) out.push_back(v.to_number<double>());
  return out;
}

std::vector<int64_t> shape(const json::object& t) {
  std::vector<int64_t> out;
  for (const auto& v : t.at("shape").as_array()) out.push_back(v.to_number<int64_t>());
  return out;
}

}  // namespace

TEST_CASE("device: cuda is refused at load without a usable CUDA device, auto runs anywhere",
          "[plugins][image][image_gpu]") {
  const sluice::Status gpu = sluice::image::gpu_status();
#if SLUICE_WITH_CUDA
  if (!gpu.ok()) CHECK(gpu.message().rfind("no CUDA device: ", 0) == 0);
#else
  CHECK(gpu.message() ==
        "this build of the image plugin has no CUDA kernels (it was configured without nvcc, "
        "with SLUICE_CUDA=off or with sanitizers)");
#endif
  for (const char* op : {"image.resize", "image.normalize"}) {
    const std::string params =
        std::string(op) == "image.resize" ? "{width: 8, device: cuda}" : "{device: cuda}";
    if (gpu.ok()) {
      CHECK(sluice::OpRunner(sluice::test::plugin_registry("image"), op, params).status().ok());
    } else {
      CHECK_THAT(params_error("image", op, params).message(),
                 Catch::Contains("param 'device': expected a usable CUDA device for device: "
                                 "cuda, found none: " +
                                 gpu.message() + "; use device: cpu or auto"));
    }
  }
  if (!gpu.ok()) {  // validation names the node
    const auto& registry = sluice::test::plugin_registry(std::vector<std::string>{"io", "image"});
    CHECK_THAT(sluice::test::validation_errors(registry, R"(sluice: 1
name: gpu-check
stages:
  - name: s
    nodes:
      - {id: list, op: io.list_files, params: {pattern: "*.jpg"}}
      - {id: decode, op: image.decode}
      - {id: small, op: image.resize, params: {shorter_side: 64, device: cuda}}
)"),
               Catch::Contains("node 'small' (image.resize): param 'device': expected a usable "
                               "CUDA device for device: cuda, found none: "));
  }
  const cv::Mat img = sluice::test::reference_image("china_input.png");
  for (const char* device : {"auto", "cpu"}) {
    auto r = run_op("image", "image.normalize", std::string("{device: ") + device + "}",
                    {image_record(img)});
    CHECK(shape(image_tensor(r.outputs.at(0))) == std::vector<int64_t>{3, 64, 96});
    CHECK(image_tensor(r.outputs.at(0)).at("dtype").as_string() == "float32");
  }
}

TEST_CASE("device: cuda resizes with nearest and the antialiased filters only",
          "[plugins][image][image_gpu]") {
  CHECK_THAT(params_error("image", "image.resize", "{width: 8, interpolation: area, device: cuda}")
                 .message(),
             Catch::Contains("param 'device': cuda resizes with interpolation nearest, or "
                             "bilinear, bicubic or lanczos with antialias: true; found "
                             "interpolation area; use device: cpu or auto"));
  CHECK_THAT(
      params_error("image", "image.resize", "{width: 8, antialias: false, device: cuda}").message(),
      Catch::Contains("found interpolation bilinear with antialias: false; use device: "
                      "cpu or auto"));
  // auto runs them on the CPU.
  const std::string in = image_record(sluice::test::reference_image("china_input.png"));
  auto r = run_op("image", "image.resize", "{width: 30, interpolation: area, device: auto}", {in});
  CHECK(shape(image_tensor(r.outputs.at(0))) == std::vector<int64_t>{20, 30, 3});
}

TEST_CASE("a (B, H, W, C) batch is resized and normalized as its images one by one",
          "[plugins][image][image_gpu]") {
  const std::vector<cv::Mat> images = {sluice::test::reference_image("china_input.png"),
                                       sluice::test::reference_image("flower_input.png")};
  struct Case {
    const char* op;
    const char* params;
    std::vector<int64_t> image_shape;
  };
  for (const Case& c :
       {Case{"image.resize", "{width: 61, height: 37, device: cpu}", {37, 61, 3}},
        Case{
            "image.resize", "{shorter_side: 40, interpolation: nearest, device: cpu}", {40, 60, 3}},
        Case{"image.normalize", "{device: cpu}", {3, 64, 96}}}) {
    INFO(c.op << " " << c.params);
    const json::object batch =
        image_tensor(run_op("image", c.op, c.params, {batch_record(images)}).outputs.at(0));
    std::vector<int64_t> want = c.image_shape;
    want.insert(want.begin(), 2);
    CHECK(shape(batch) == want);
    std::vector<double> one_by_one;
    for (const cv::Mat& m : images) {
      const json::object one =
          image_tensor(run_op("image", c.op, c.params, {image_record(m)}).outputs.at(0));
      CHECK(shape(one) == c.image_shape);
      for (double v : values(one)) one_by_one.push_back(v);
    }
    CHECK(values(batch) == one_by_one);
  }
  // A batch of the size asked for stays as it is.
  const std::string same = batch_record(images);
  auto r = run_op("image", "image.resize", "{width: 96, height: 64, device: cpu}", {same});
  CHECK(values(image_tensor(r.outputs.at(0))) == values(image_tensor(same)));
  // What is not an image or a batch is rejected, naming the field.
  sluice::OpRunner run(sluice::test::plugin_registry("image"), "image.normalize", "{}");
  REQUIRE(run.status().ok());
  auto bad = run.process_all(
      {R"({"image": {"dtype": "uint8", "shape": [1, 1, 2, 2, 1], "data": [1, 2, 3, 4]}})"});
  REQUIRE(bad.rejected.size() == 1);
  CHECK_THAT(bad.rejected[0],
             Catch::Contains("field 'image': expected an image (H, W, C) or a batch (B, H, W, C), "
                             "found 5 dimensions"));
}
