// Random ops: the parameters they report follow torchvision's sampling rules, the output is the
// deterministic kernel applied with those parameters, and the draws depend only on the seed.
#include "image/color.h"
#include "image/geometry.h"
#include "image/jpeg_region.h"
#include "image/sampling.h"
#include "image/warp.h"
#include "plugins/image/image_test_util.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace img = sluice::image;
using sluice::test::image_record;
using sluice::test::pixel_diff;
using sluice::test::record_image;

namespace {

constexpr int kRecords = 40;

std::vector<std::string> copies(const cv::Mat& m) {
  return std::vector<std::string>(kRecords, image_record(m));
}

std::vector<double> values(const std::string& line, const std::string& field) {
  const boost::json::value root = boost::json::parse(line);
  const auto& v = root.as_object().at(field);
  std::vector<double> out;
  if (!v.is_object()) return {v.to_number<double>()};
  for (const auto& x : v.as_object().at("data").as_array()) {
    out.push_back(x.to_number<double>());
  }
  return out;
}

cv::Mat input() { return sluice::test::reference_image("china_input.png"); }  // 96x64

}  // namespace

TEST_CASE("resized-crop boxes follow torchvision's rules, with the fallback", "[plugins][image]") {
  sluice::core::Rng rng(42);
  for (int i = 0; i < 2000; ++i) {
    const img::Box b = img::sample_resized_crop(rng, 427, 640, {0.08, 1.0}, {0.75, 4.0 / 3});
    REQUIRE(b.top >= 0);
    REQUIRE(b.left >= 0);
    REQUIRE(b.top + b.height <= 427);
    REQUIRE(b.left + b.width <= 640);
    // w and h are rounded from the drawn area and aspect: allow half a pixel on each
    const double area = double(b.width) * b.height / (427.0 * 640.0);
    CHECK(area >= 0.08 * (1 - 1.0 / b.width - 1.0 / b.height));
    CHECK(area <= 1.0);
    const double aspect = double(b.width) / b.height;
    CHECK(aspect >= 0.75 * (1 - 0.5 / b.width - 0.5 / b.height));
    CHECK(aspect <= 4.0 / 3 * (1 + 0.5 / b.width + 0.5 / b.height));
  }
  // No window of aspect 1 with >= 90% of a 1000x10 image exists: the centred fallback, aspect
  // clamped to the range's minimum.
  const img::Box f = img::sample_resized_crop(rng, 1000, 10, {0.9, 1.0}, {1.0, 1.0});
  CHECK(f.width == 10);
  CHECK(f.height == 10);
  CHECK(f.top == 495);
  CHECK(f.left == 0);
  const img::Box wide = img::sample_resized_crop(rng, 10, 1000, {0.9, 1.0}, {0.5, 2.0});
  CHECK(wide.height == 10);
  CHECK(wide.width == 20);
  CHECK(wide.left == 490);
}

TEST_CASE("random_resized_crop output is the reported box resized", "[plugins][image]") {
  const cv::Mat in = input();
  auto r = sluice::test::run_op("image", "image.random_resized_crop",
                                "{width: 32, height: 24, report: true}", copies(in));
  REQUIRE(r.outputs.size() == kRecords);
  std::set<std::vector<double>> distinct;
  for (const auto& line : r.outputs) {
    const auto box = values(line, "crop_box");
    distinct.insert(box);
    const img::Box b{int(box[0]), int(box[1]), int(box[2]), int(box[3])};
    const cv::Mat want = img::resize_image(in(cv::Rect(b.left, b.top, b.width, b.height)), 32, 24,
                                           img::Interpolation::kBilinear, true);
    CHECK(pixel_diff(record_image(line), want).max_abs == 0);
  }
  CHECK(distinct.size() > kRecords / 2);
  // The same seed gives the same boxes.
  auto again = sluice::test::run_op("image", "image.random_resized_crop",
                                    "{width: 32, height: 24, report: true}", copies(in));
  CHECK(again.outputs == r.outputs);
}

TEST_CASE("random_crop pads, then crops at the reported position", "[plugins][image]") {
  const cv::Mat in = input();
  auto r = sluice::test::run_op(
      "image", "image.random_crop",
      "{width: 90, height: 70, padding: [4], padding_mode: reflect, report: true}", copies(in));
  REQUIRE(r.outputs.size() == kRecords);
  const cv::Mat padded = img::pad(in, 4, 4, 4, 4, img::PadMode::kReflect, {});
  for (const auto& line : r.outputs) {
    const auto box = values(line, "crop_box");
    CHECK(box[2] == 70);
    CHECK(box[3] == 90);
    CHECK(box[0] + 70 <= 72);
    CHECK(box[1] + 90 <= 104);
    const cv::Mat want = padded(cv::Rect(int(box[1]), int(box[0]), 90, 70));
    CHECK(pixel_diff(record_image(line), want).max_abs == 0);
  }
  auto small =
      sluice::test::run_op("image", "image.random_crop", "{width: 200}", {image_record(in)});
  REQUIRE(small.rejected.size() == 1);
  CHECK(small.rejected[0].find("expected an image at least as large as the crop, 200x200, found") !=
        std::string::npos);
  auto needed = sluice::test::run_op("image", "image.random_crop",
                                     "{width: 200, pad_if_needed: true}", {image_record(in)});
  CHECK(needed.outputs.size() == 1);
}

TEST_CASE("flip flips about half the records and says which", "[plugins][image]") {
  const cv::Mat in = input();
  auto r =
      sluice::test::run_op("image", "image.flip", "{vertical: true, report: true}", copies(in));
  int horizontal = 0, vertical = 0;
  for (const auto& line : r.outputs) {
    const auto f = values(line, "flipped");
    horizontal += f[0] != 0;
    vertical += f[1] != 0;
    CHECK(pixel_diff(record_image(line), img::flip(in, f[0] != 0, f[1] != 0)).max_abs == 0);
  }
  CHECK(horizontal > kRecords / 5);
  CHECK(horizontal < kRecords * 4 / 5);
  CHECK(vertical > kRecords / 5);
  CHECK(vertical < kRecords * 4 / 5);
}

TEST_CASE("rotate and affine draw within their ranges and warp by what they report",
          "[plugins][image]") {
  const cv::Mat in = input();
  auto rot = sluice::test::run_op("image", "image.rotate",
                                  "{degrees: [-20, 35], interpolation: bilinear, report: true}",
                                  copies(in));
  for (const auto& line : rot.outputs) {
    const double angle = values(line, "angle")[0];
    CHECK(angle >= -20);
    CHECK(angle < 35);
    CHECK(pixel_diff(record_image(line), img::warp_affine(in, img::rotation(angle), true, {}))
              .max_abs == 0);
  }
  // expand: 90 degrees swaps the sides exactly; any angle holds the whole rotated image.
  auto quarter = sluice::test::run_op("image", "image.rotate", "{degrees: [90, 90], expand: true}",
                                      {image_record(in)});
  CHECK(record_image(quarter.outputs.at(0)).size() == cv::Size(in.rows, in.cols));
  auto grown = sluice::test::run_op("image", "image.rotate",
                                    "{degrees: [-40, 40], expand: true, report: true}", copies(in));
  for (const auto& line : grown.outputs) {
    const double a = std::fabs(values(line, "angle")[0]) * M_PI / 180.0;
    const cv::Size size = record_image(line).size();
    // The rotated box's extent, its two edges rounded outwards: at most 2 more.
    const double w = in.cols * std::cos(a) + in.rows * std::sin(a);
    const double h = in.cols * std::sin(a) + in.rows * std::cos(a);
    CHECK(size.width >= w - 1e-3);
    CHECK(size.width <= w + 2);
    CHECK(size.height >= h - 1e-3);
    CHECK(size.height <= h + 2);
  }
  auto aff = sluice::test::run_op(
      "image", "image.affine",
      "{degrees: [-10, 10], translate: [0.1, 0.2], scale: [0.8, 1.2], shear: [-5, 5, 0, 3], "
      "report: true}",
      copies(in));
  for (const auto& line : aff.outputs) {
    const auto v = values(line, "affine");
    REQUIRE(v.size() == 6);
    CHECK(std::fabs(v[0]) <= 10);
    CHECK(std::fabs(v[1]) <= 0.1 * 96 + 0.5);
    CHECK(v[1] == std::round(v[1]));
    CHECK(std::fabs(v[2]) <= 0.2 * 64 + 0.5);
    CHECK(v[3] >= 0.8);
    CHECK(v[3] < 1.2);
    CHECK(std::fabs(v[4]) <= 5);
    CHECK(v[5] >= 0);
    CHECK(v[5] < 3);
    img::AffineParams p{v[0], v[1], v[2], v[3], v[4], v[5]};
    CHECK(pixel_diff(record_image(line), img::warp_affine(in, p, false, {})).max_abs == 0);
  }
}

TEST_CASE("color_jitter applies the reported factors in the reported order", "[plugins][image]") {
  const cv::Mat in = input();
  auto r = sluice::test::run_op(
      "image", "image.color_jitter",
      "{brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, report: true}", copies(in));
  std::set<std::vector<double>> orders;
  for (const auto& line : r.outputs) {
    const auto v = values(line, "jitter");
    REQUIRE(v.size() == 8);
    for (int i = 0; i < 3; ++i) {
      CHECK(v[i] >= 0.6);
      CHECK(v[i] < 1.4);
    }
    CHECK(std::fabs(v[3]) <= 0.1);
    std::vector<double> order(v.begin() + 4, v.end());
    orders.insert(order);
    std::vector<double> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == std::vector<double>{0, 1, 2, 3});
    cv::Mat want = in;
    for (double o : order) {
      const auto f = static_cast<float>(v[int(o)]);
      switch (int(o)) {
        case 0:
          want = img::adjust_brightness(want, f);
          break;
        case 1:
          want = img::adjust_contrast(want, f);
          break;
        case 2:
          want = img::adjust_saturation(want, f);
          break;
        default:
          want = img::adjust_hue(want, f);
          break;
      }
    }
    CHECK(pixel_diff(record_image(line), want).max_abs == 0);
  }
  CHECK(orders.size() > 5);
}

TEST_CASE("gaussian_blur draws sigma in range", "[plugins][image]") {
  const cv::Mat in = input();
  auto r = sluice::test::run_op("image", "image.gaussian_blur",
                                "{kernel_size: [5], sigma: [0.5, 2.0], report: true}", copies(in));
  for (const auto& line : r.outputs) {
    const double s = values(line, "sigma")[0];
    CHECK(s >= 0.5);
    CHECK(s < 2.0);
    CHECK(pixel_diff(record_image(line), img::gaussian_blur(in, 5, 5, s, s)).max_abs == 0);
  }
  CHECK(sluice::test::params_error("image", "image.gaussian_blur", "{kernel_size: [4]}")
            .message()
            .find("param 'kernel_size': expected odd values, found 4") != std::string::npos);
}

TEST_CASE("decode_random_resized_crop is decode then random_resized_crop", "[plugins][image]") {
  const std::string path = sluice::test::shared_data_dir() + "/image/photos/china.jpg";
  cv::Mat full = cv::imread(path, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);  // 640x427
  cv::cvtColor(full, full, cv::COLOR_BGR2RGB);
  const std::vector<std::string> records(kRecords, "{\"path\": \"" + path + "\"}");
  // Without DCT scaling: exactly the unfused kernels on the reported box.
  auto exact = sluice::test::run_op("image", "image.decode_random_resized_crop",
                                    "{width: 64, report: true, dct_scaling: false}", records);
  REQUIRE(exact.outputs.size() == kRecords);
  for (const auto& line : exact.outputs) {
    const auto box = values(line, "crop_box");
    const cv::Rect r{int(box[1]), int(box[0]), int(box[3]), int(box[2])};
    const cv::Mat want =
        img::resize_image(full(r), 64, 64, img::Interpolation::kBilinear, /*antialias=*/true);
    CHECK(pixel_diff(record_image(line), want).max_abs == 0);
  }
  // With it (and crops of >= 30% of the area, so every one is reduced): decoded at 1/2 or 1/4 scale
  // where the box allows, and close.
  auto scaled = sluice::test::run_op("image", "image.decode_random_resized_crop",
                                     "{width: 64, report: true, scale: [0.3, 1.0]}", records);
  REQUIRE(scaled.outputs.size() == kRecords);
  for (size_t i = 0; i < scaled.outputs.size(); ++i) {
    const auto box = values(scaled.outputs[i], "crop_box");
    const cv::Rect r{int(box[1]), int(box[0]), int(box[3]), int(box[2])};
    const cv::Mat want =
        img::resize_image(full(r), 64, 64, img::Interpolation::kBilinear, /*antialias=*/true);
    const auto d = pixel_diff(record_image(scaled.outputs[i]), want);
    CHECK(d.mean_abs < 3.0);  // 1.0 to 2.5 on this photo
  }
  auto bad = sluice::test::run_op("image", "image.decode_random_resized_crop", "{width: 64}",
                                  {"{\"bytes\": {\"base64\": \"AAAA\"}}"});
  REQUIRE(bad.rejected.size() == 1);
  CHECK(bad.rejected[0].find("not an image") != std::string::npos);
}

TEST_CASE("a JPEG region decodes to the same pixels as the whole image", "[plugins][image]") {
  for (const char* file : {"china.jpg", "flower.jpg", "starry_night.jpg"}) {
    const std::string bytes =
        sluice::test::read_file(sluice::test::shared_data_dir() + "/image/photos/" + file);
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    for (int scale : {1, 2, 4, 8}) {
      const int flags[] = {cv::IMREAD_COLOR,
                           cv::IMREAD_REDUCED_COLOR_2,
                           0,
                           cv::IMREAD_REDUCED_COLOR_4,
                           0,
                           0,
                           0,
                           cv::IMREAD_REDUCED_COLOR_8};
      const cv::Mat whole = cv::imdecode(buffer, flags[scale - 1] | cv::IMREAD_IGNORE_ORIENTATION);
      sluice::core::Rng rng(scale);
      for (int i = 0; i < 8; ++i) {
        const int w = 1 + int(img::uniform(rng, 0, whole.cols - 1));
        const int h = 1 + int(img::uniform(rng, 0, whole.rows - 1));
        const cv::Rect want(int(img::uniform(rng, 0, whole.cols - w)),
                            int(img::uniform(rng, 0, whole.rows - h)), w, h);
        auto r = img::decode_jpeg_region(bytes, img::ColorMode::kBgr, scale, want);
        REQUIRE(r.ok());
        INFO(file << " scale " << scale << " region " << want);
        const cv::Rect got(r->x, r->y, r->pixels.cols, r->pixels.rows);
        REQUIRE((got & want) == want);
        CHECK(pixel_diff(r->pixels(want - got.tl()), whole(want)).max_abs == 0);
      }
    }
  }
}
