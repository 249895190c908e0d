// The image ops through OpRunner: ports, params and their checks, the shapes they give.
#include "image/geometry.h"
#include "plugins/image/image_test_util.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>

using sluice::test::image_record;
using sluice::test::record_image;
using sluice::test::run_op;

namespace {

std::string photo(const std::string& name) {
  return sluice::test::shared_data_dir() + "/image/photos/" + name;
}
std::string path_record(const std::string& path) { return "{\"path\": \"" + path + "\"}"; }

std::vector<int64_t> shape_of(const std::string& line, const std::string& field = "image") {
  std::vector<int64_t> out;
  const boost::json::value root = boost::json::parse(line);
  for (const auto& v : root.at(field).at("shape").as_array()) {
    out.push_back(v.to_number<int64_t>());
  }
  return out;
}

cv::Mat small_rgb() { return sluice::test::reference_image("china_input.png"); }

}  // namespace

TEST_CASE("decode gives HWC uint8 in each mode and at reduced scale", "[plugins][image]") {
  const std::string jpg = path_record(photo("flower.jpg"));
  using S = std::vector<int64_t>;
  CHECK(shape_of(run_op("image", "image.decode", "{}", {jpg}).outputs.at(0)) == S{427, 640, 3});
  CHECK(shape_of(run_op("image", "image.decode", "{mode: gray}", {jpg}).outputs.at(0)) ==
        S{427, 640, 1});
  CHECK(shape_of(run_op("image", "image.decode", "{reduce: 2}", {jpg}).outputs.at(0)) ==
        S{214, 320, 3});
  CHECK(shape_of(run_op("image", "image.decode", "{reduce: 8}", {jpg}).outputs.at(0)) ==
        S{54, 80, 3});
  // target_size 150: 1/2 keeps 214 >= 150, 1/4 would give 107
  CHECK(shape_of(run_op("image", "image.decode", "{target_size: 150}", {jpg}).outputs.at(0)) ==
        S{214, 320, 3});
  CHECK(shape_of(run_op("image", "image.decode", "{target_size: 500}", {jpg}).outputs.at(0)) ==
        S{427, 640, 3});
  // A PNG (61 x 37) reduces to the same ceil(side / f) a JPEG does, shrunk by area interpolation.
  const std::string png =
      path_record(sluice::test::source_dir() + "/tests/data/image/china_resize_area_48x32.png");
  const std::string odd_png =
      path_record(sluice::test::source_dir() + "/tests/data/image/china_resize_bilinear_61x37.png");
  CHECK(shape_of(run_op("image", "image.decode", "{reduce: 2}", {odd_png}).outputs.at(0)) ==
        S{19, 31, 3});
  CHECK(shape_of(
            run_op("image", "image.decode", "{reduce: 8, mode: gray}", {odd_png}).outputs.at(0)) ==
        S{5, 8, 1});
  const cv::Mat full = record_image(run_op("image", "image.decode", "{}", {png}).outputs.at(0));
  cv::Mat quarter;
  cv::resize(full, quarter, cv::Size(12, 8), 0, 0, cv::INTER_AREA);
  CHECK(sluice::test::pixel_diff(
            record_image(run_op("image", "image.decode", "{reduce: 4}", {png}).outputs.at(0)),
            quarter)
            .max_abs == 0);
  CHECK(shape_of(run_op("image", "image.decode", "{mode: unchanged}",
                        {path_record(photo("chicky_512.png"))})
                     .outputs.at(0))
            .at(0) == 512);
  const cv::Mat rgb = record_image(run_op("image", "image.decode", "{}", {jpg}).outputs.at(0));
  const cv::Mat bgr =
      record_image(run_op("image", "image.decode", "{mode: bgr}", {jpg}).outputs.at(0));
  cv::Mat swapped;
  cv::cvtColor(bgr, swapped, cv::COLOR_BGR2RGB);
  CHECK(sluice::test::pixel_diff(rgb, swapped).max_abs == 0);
  CHECK(sluice::test::params_error("image", "image.decode", "{reduce: 3}")
            .message()
            .find("param 'reduce': expected 1, 2, 4 or 8, found 3") != std::string::npos);
  CHECK(sluice::test::params_error("image", "image.decode", "{reduce: 2, mode: unchanged}")
            .message()
            .find("need mode rgb, bgr or gray") != std::string::npos);
}

TEST_CASE("encode to bytes decodes back; to files under the run directory", "[plugins][image]") {
  const cv::Mat in = small_rgb();
  auto png = run_op("image", "image.encode", "{}", {image_record(in)});
  auto back = run_op("image", "image.decode", "{}", png.outputs);
  CHECK(sluice::test::pixel_diff(record_image(back.outputs.at(0)), in).max_abs == 0);
  auto jpeg = run_op("image", "image.encode", "{format: jpeg, quality: 90}", {image_record(in)});
  back = run_op("image", "image.decode", "{}", jpeg.outputs);
  CHECK(sluice::test::pixel_diff(record_image(back.outputs.at(0)), in).mean_abs < 4);

  const std::string dir = sluice::test::temp_dir();
  sluice::OpRunner run(sluice::test::plugin_registry("image"), "image.encode",
                       "{path: \"out/{label}/{id}.png\"}");
  REQUIRE(run.status().ok());
  run.set_run_dir(dir);
  auto r = run.process_all({image_record(in, "image", "\"label\": \"cat\", \"id\": 7")});
  REQUIRE(r.error.ok());
  REQUIRE(r.outputs.size() == 1);
  CHECK(std::filesystem::exists(dir + "/out/cat/7.png"));
  INFO(r.outputs[0]);
  CHECK(r.outputs[0].find("/out/cat/7.png\"") != std::string::npos);
}

TEST_CASE("resize by size, by one side and by the shorter side", "[plugins][image]") {
  const std::string in = image_record(small_rgb());  // 96x64
  using S = std::vector<int64_t>;
  auto shape = [&](const std::string& params) {
    return shape_of(run_op("image", "image.resize", params, {in}).outputs.at(0));
  };
  CHECK(shape("{width: 30, height: 20}") == S{20, 30, 3});
  CHECK(shape("{width: 48}") == S{32, 48, 3});
  CHECK(shape("{height: 16}") == S{16, 24, 3});
  CHECK(shape("{shorter_side: 32}") == S{32, 48, 3});
  CHECK(shape("{shorter_side: 32, max_size: 40}") == S{26, 40, 3});
  CHECK(shape("{shorter_side: 50, interpolation: lanczos, device: cpu}") == S{50, 75, 3});
  const sluice::image::OutputSize portrait = sluice::image::shorter_side_size({427, 640}, 224, 0);
  CHECK(portrait.width == 224);
  CHECK(portrait.height == 335);
  CHECK(sluice::test::params_error("image", "image.resize", "{width: 3, shorter_side: 4}")
            .message()
            .find("set width and/or height, or shorter_side (exactly one way)") !=
        std::string::npos);
}

TEST_CASE("sizes too large for an image are refused, at validation or for the record",
          "[plugins][image]") {
  using sluice::test::params_error;
  // 10^12 once became a negative int and crashed the engine (shorter_side) or OpenCV.
  CHECK_THAT(params_error("image", "image.resize", "{shorter_side: 1000000000000}").message(),
             Catch::Contains("expected an int in [1, 65536], found 1000000000000"));
  CHECK_THAT(params_error("image", "image.center_crop", "{width: 65537}").message(),
             Catch::Contains("expected an int in [1, 65536], found 65537"));
  CHECK_THAT(params_error("image", "image.random_crop", "{width: 8, padding: [70000]}").message(),
             Catch::Contains("expected an int in [0, 65536], found 70000"));
  CHECK_THAT(params_error("image", "image.gaussian_blur", "{kernel_size: [99999]}").message(),
             Catch::Contains("expected an int in [1, 65536], found 99999"));
  for (const char* op : {"image.resize", "image.center_crop", "image.random_crop",
                         "image.random_resized_crop", "image.decode_random_resized_crop"}) {
    INFO(op);
    CHECK_THAT(params_error("image", op, "{width: 20000, height: 20000}").message(),
               Catch::Contains("params 'width' and 'height': expected at most 2^28 pixels, found "
                               "20000 x 20000"));
  }
  // A kept aspect that makes the output too large rejects the record, naming the size.
  const cv::Mat thin(200, 2, CV_8UC3, cv::Scalar(1, 2, 3));
  auto r = run_op("image", "image.resize", "{shorter_side: 60000}", {image_record(thin)});
  CHECK(r.outputs.empty());
  REQUIRE(r.rejected.size() == 1);
  CHECK_THAT(r.rejected[0], Catch::Contains("expected an output of at most 65536 pixels a side "
                                            "and 2^28 in all, found 60000 x 6000000"));
  r = run_op("image", "image.resize", "{width: 65536}", {image_record(thin)});
  REQUIRE(r.rejected.size() == 1);
  CHECK_THAT(r.rejected[0], Catch::Contains("found 65536 x 6553600"));
  CHECK(shape_of(
            run_op("image", "image.resize", "{height: 100}", {image_record(thin)}).outputs.at(0)) ==
        std::vector<int64_t>{100, 1, 3});
  // random_crop pads the whole image before it crops: padding of 2^28 pixels or more is refused.
  r = run_op("image", "image.random_crop", "{width: 8, padding: [60000]}", {image_record(thin)});
  REQUIRE(r.rejected.size() == 1);
  CHECK_THAT(r.rejected[0], Catch::Contains("expected padding that adds at most 2^28 pixels, "
                                            "found 14424240000 added to the 2x200 image"));
  r = run_op("image", "image.random_crop", "{width: 8, padding: [1]}", {image_record(thin)});
  REQUIRE(r.rejected.size() == 1);
  CHECK_THAT(r.rejected[0], Catch::Contains("expected an image at least as large as the crop, "
                                            "8x8, found 4x202 after padding"));
}

TEST_CASE("normalize and to_tensor give float32 CHW", "[plugins][image]") {
  cv::Mat px(1, 2, CV_8UC3, cv::Scalar(0, 51, 255));
  auto data = [](const std::string& line) {
    std::vector<double> out;
    const boost::json::value root = boost::json::parse(line);
    for (const auto& v : root.at("image").at("data").as_array())
      out.push_back(v.to_number<double>());
    return out;
  };
  auto near = [](const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(std::fabs(a[i] - b[i]) < 1e-6);
  };
  auto r = run_op("image", "image.to_tensor", "{}", {image_record(px)});
  CHECK(shape_of(r.outputs.at(0)) == std::vector<int64_t>{3, 1, 2});
  near(data(r.outputs.at(0)), {0, 0, 0.2, 0.2, 1, 1});
  r = run_op("image", "image.normalize", "{mean: [0, 0.2, 0.5], std: [1, 0.5, 0.25]}",
             {image_record(px)});
  near(data(r.outputs.at(0)), {0, 0, 0, 0, 2, 2});
  auto bad = sluice::test::run_op("image", "image.normalize", "{mean: [0.5], std: [0.5]}",
                                  {image_record(px)});
  REQUIRE(bad.rejected.size() == 1);
  CHECK(bad.rejected[0].find("3 channels, but mean/std have 1 values") != std::string::npos);
}

TEST_CASE("center_crop, grayscale and flip through the ops", "[plugins][image]") {
  const cv::Mat in = small_rgb();
  auto crop = run_op("image", "image.center_crop", "{width: 50, height: 40}", {image_record(in)});
  CHECK(sluice::test::pixel_diff(record_image(crop.outputs.at(0)),
                                 sluice::test::reference_image("china_center_crop_50x40.png"))
            .max_abs == 0);
  auto gray = run_op("image", "image.grayscale", "{channels: 3}", {image_record(in)});
  CHECK(shape_of(gray.outputs.at(0)) == std::vector<int64_t>{64, 96, 3});
  auto flip = run_op("image", "image.flip", "{probability: 1}", {image_record(in)});
  CHECK(sluice::test::pixel_diff(record_image(flip.outputs.at(0)),
                                 sluice::test::reference_image("china_hflip.png"))
            .max_abs == 0);
  auto jitter = run_op("image", "image.color_jitter", "{hue: 0.1}", {image_record(in, "image")});
  CHECK(jitter.outputs.size() == 1);
  cv::Mat grey(4, 4, CV_8UC1, cv::Scalar(7));
  auto rej = run_op("image", "image.color_jitter", "{hue: 0.1}", {image_record(grey)});
  REQUIRE(rej.rejected.size() == 1);
  CHECK(rej.rejected[0].find("colour jitter needs 3 channels, found 1") != std::string::npos);
}

TEST_CASE("grid_cells cuts digits.png into 5,000 labelled 20x20 cells", "[plugins][image]") {
  const std::string sheet = sluice::test::shared_data_dir() + "/image/digits.png";
  auto r = run_op("image", "image.grid_cells",
                  "{path: \"" + sheet + "\", cell_width: 20, label_rows: 5}", {});
  REQUIRE(r.outputs.size() == 5000);
  std::map<int64_t, int> per_label;
  for (const auto& line : r.outputs) {
    ++per_label[boost::json::parse(line).as_object().at("label").to_number<int64_t>()];
  }
  CHECK(per_label.size() == 10);
  for (const auto& [label, n] : per_label) CHECK(n == 500);
  CHECK(shape_of(r.outputs[0]) == std::vector<int64_t>{20, 20, 1});
  const auto last = boost::json::parse(r.outputs.back()).as_object();
  CHECK(last.at("label").to_number<int64_t>() == 9);
  CHECK(last.at("row").to_number<int64_t>() == 49);
  CHECK(last.at("col").to_number<int64_t>() == 99);
  CHECK(last.at("index").to_number<int64_t>() == 4999);
}
