// The kernels against torchvision 0.14 (tests/data/image/cases.json, made by
// tools/refgen/image_refs.py): each case's op applied to the same small input, compared value by
// value with a tolerance stated per op below. SLUICE_IMAGE_REF_REPORT=1 prints every case's
// measured difference.
#include "image/codec.h"
#include "image/color.h"
#include "image/geometry.h"
#include "image/tensor_layout.h"
#include "image/warp.h"
#include "plugins/image/image_test_util.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

namespace img = sluice::image;
namespace json = boost::json;
using sluice::test::pixel_diff;
using sluice::test::reference_image;

namespace {

// Largest max |diff| (0..255) and mean |diff| allowed per kernel, with why.
struct Tolerance {
  int max_abs;
  double mean_abs;
};
const std::map<std::string, Tolerance>& tolerances() {
  static const std::map<std::string, Tolerance> t = {
      // exact index arithmetic, no rounding
      {"center_crop", {0, 0.0}},
      {"flip", {0, 0.0}},
      // float32 arithmetic in the same order as torchvision's, truncated as .to(uint8)
      {"grayscale", {1, 0.01}},
      {"brightness", {1, 0.01}},
      {"contrast", {1, 0.01}},
      {"saturation", {1, 0.01}},
      {"hue", {1, 0.01}},
      // float kernel and rounding as torchvision; float sums in another order
      {"gaussian_blur", {1, 0.01}},
      // OpenCV's warpAffine quantises coordinates to 1/32 pixel: nearest may pick the
      // neighbour where the source point is within 1/64 of a pixel boundary, bilinear is off by
      // 1-2 in places
      {"rotate", {255, 0.5}},
      {"affine", {255, 0.5}},
  };
  return t;
}

// Resize tolerances depend on the filter: see the cases below.
Tolerance resize_tolerance(const json::object& p) {
  const std::string interp(p.at("interpolation").as_string());
  const bool aa = p.at("antialias").as_bool();
  if (interp == "nearest") return {0, 0.0};
  // PIL's Lanczos keeps 8-bit intermediates (torch's antialiased filters keep float, as ours)
  if (aa) return interp == "lanczos" ? Tolerance{3, 0.3} : Tolerance{1, 0.05};
  // OpenCV rounds the 2x2 means half up, torch half to even
  if (interp == "area") return {1, 0.2};
  return {1, 0.3};  // OpenCV's fixed-point bilinear/bicubic
}

double num(const json::value& v) { return v.to_number<double>(); }
int integer(const json::value& v) { return static_cast<int>(v.to_number<int64_t>()); }

cv::Scalar fill_of(const json::object& p) {
  const auto& f = p.at("fill").as_array();
  if (f.size() == 1) return cv::Scalar::all(num(f[0]));
  return cv::Scalar(num(f[0]), num(f[1]), num(f[2]));
}

cv::Mat apply(const std::string& kernel, const json::object& p, const cv::Mat& in) {
  if (kernel == "resize") {
    auto interp = img::parse_interpolation(std::string(p.at("interpolation").as_string()));
    return img::resize_image(in, integer(p.at("width")), integer(p.at("height")), *interp,
                             p.at("antialias").as_bool());
  }
  if (kernel == "center_crop") {
    const int w = integer(p.at("width")), h = integer(p.at("height"));
    return img::crop(in, img::center_crop_box(in.rows, in.cols, h, w), cv::Scalar::all(0));
  }
  if (kernel == "flip") {
    return img::flip(in, p.at("horizontal").as_bool(), p.at("vertical").as_bool());
  }
  const bool bilinear =
      p.contains("interpolation") && p.at("interpolation").as_string() == "bilinear";
  if (kernel == "rotate") {
    const img::AffineParams r = img::rotation(num(p.at("angle")));
    const bool expand = p.contains("expand") && p.at("expand").as_bool();
    return img::warp_affine(in, r, bilinear, fill_of(p),
                            expand ? img::expanded_size(r, in.size()) : cv::Size());
  }
  if (kernel == "affine") {
    img::AffineParams a;
    a.angle = num(p.at("angle"));
    a.translate_x = num(p.at("translate").as_array()[0]);
    a.translate_y = num(p.at("translate").as_array()[1]);
    a.scale = num(p.at("scale"));
    a.shear_x = num(p.at("shear").as_array()[0]);
    a.shear_y = num(p.at("shear").as_array()[1]);
    return img::warp_affine(in, a, bilinear, fill_of(p));
  }
  if (kernel == "grayscale") return img::to_grayscale(in, integer(p.at("channels")));
  if (kernel == "gaussian_blur") {
    const auto& k = p.at("kernel_size").as_array();
    const double s = num(p.at("sigma"));
    return img::gaussian_blur(in, integer(k[0]), integer(k[1]), s, s);
  }
  const auto f = static_cast<float>(p.contains("factor") ? num(p.at("factor")) : 0.0);
  if (kernel == "brightness") return img::adjust_brightness(in, f);
  if (kernel == "contrast") return img::adjust_contrast(in, f);
  if (kernel == "saturation") return img::adjust_saturation(in, f);
  if (kernel == "hue") return img::adjust_hue(in, f);
  FAIL("unknown kernel " << kernel);
  return {};
}

bool report() { return std::getenv("SLUICE_IMAGE_REF_REPORT") != nullptr; }

json::array cases() {
  const auto text =
      sluice::test::read_file(sluice::test::source_dir() + "/tests/data/image/cases.json");
  return json::parse(text).as_object().at("cases").as_array();
}

}  // namespace

TEST_CASE("uint8 kernels match torchvision within the stated tolerance", "[plugins][image]") {
  int checked = 0;
  for (const auto& c : cases()) {
    const auto& o = c.as_object();
    const std::string kernel(o.at("kernel").as_string());
    if (kernel == "normalize" || kernel == "decode") continue;
    const std::string name(o.at("name").as_string());
    const auto& params = o.at("params").as_object();
    const cv::Mat in = reference_image(std::string(o.at("input").as_string()));
    const cv::Mat want = reference_image(std::string(o.at("output").as_string()));
    const cv::Mat got = apply(kernel, params, in);
    const auto d = pixel_diff(got, want);
    const Tolerance tol = kernel == "resize" ? resize_tolerance(params) : tolerances().at(kernel);
    if (report()) {
      std::cout << name << " max " << d.max_abs << " mean " << d.mean_abs << " off "
                << d.fraction_off << " over2 " << d.fraction_over_2 << "\n";
    }
    INFO(name << ": max |diff| " << d.max_abs << ", mean " << d.mean_abs << ", "
              << d.fraction_off * 100 << "% of values differ");
    CHECK(d.max_abs <= tol.max_abs);
    CHECK(d.mean_abs <= tol.mean_abs);
    if (kernel == "rotate" || kernel == "affine") CHECK(d.fraction_over_2 <= 0.005);
    ++checked;
  }
  CHECK(checked >= 30);
}

TEST_CASE("normalize matches torchvision's ToTensor + Normalize within 1e-6", "[plugins][image]") {
  for (const auto& c : cases()) {
    const auto& o = c.as_object();
    if (o.at("kernel").as_string() != "normalize") continue;
    const auto& p = o.at("params").as_object();
    cv::Mat in = reference_image(std::string(o.at("input").as_string()));
    in = in.rowRange(0, integer(p.at("rows")));
    std::vector<float> mean, std;
    for (const auto& v : p.at("mean").as_array()) mean.push_back(float(num(v)));
    for (const auto& v : p.at("std").as_array()) std.push_back(float(num(v)));
    std::vector<float> got(in.total() * 3);
    img::to_chw_float(in, mean, std, got.data());
    const std::string want_bytes =
        sluice::test::read_file(sluice::test::source_dir() + "/tests/data/image/" +
                                std::string(o.at("output").as_string()));
    REQUIRE(want_bytes.size() == got.size() * sizeof(float));
    std::vector<float> want(got.size());
    std::memcpy(want.data(), want_bytes.data(), want_bytes.size());
    double max = 0;
    for (size_t i = 0; i < got.size(); ++i)
      max = std::max(max, double(std::fabs(got[i] - want[i])));
    if (report()) std::cout << o.at("name").as_string().c_str() << " max " << max << "\n";
    CHECK(max <= 1e-6);
  }
}

TEST_CASE("JPEG decoding matches torchvision's decode_jpeg", "[plugins][image]") {
  const std::string bytes =
      sluice::test::read_file(sluice::test::shared_data_dir() + "/image/photos/flower.jpg");
  sluice::Expected<cv::Mat> m = img::decode_image(bytes, {});
  REQUIRE(m.ok());
  const cv::Mat want = reference_image("flower_decode_center64.png");
  const cv::Mat got = img::crop(*m, img::center_crop_box(m->rows, m->cols, 64, 64), {});
  const auto d = pixel_diff(got, want);
  if (report()) std::cout << "decode max " << d.max_abs << " mean " << d.mean_abs << "\n";
  INFO("max " << d.max_abs << " mean " << d.mean_abs);
  CHECK(d.max_abs <= 1);
  CHECK(d.mean_abs <= 0.05);
}
