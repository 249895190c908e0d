// Helpers of the image plugin tests: reference images, pixel differences, and images as the JSON
// records OpRunner takes and gives.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::test {

// The photo `name` of ../shared/data/image/photos decoded as stored (BGR(A) order: every path
// under test sees the same bytes); fails when missing.
cv::Mat photo(const std::string& name);

// `images` (one size and type) one after another, as a (B, H, W, C) tensor holds them.
std::vector<uint8_t> stack(const std::vector<cv::Mat>& images);

// tests/data/image/<name>, decoded as RGB (or grey when it has one channel); fails when missing.
cv::Mat reference_image(const std::string& name);

struct PixelDiff {
  int max_abs = 0;
  double mean_abs = 0.0;
  double fraction_off = 0.0;     // share of values that differ at all
  double fraction_over_2 = 0.0;  // share that differ by more than 2
};
// a and b must have the same size and type (CV_8U).
PixelDiff pixel_diff(const cv::Mat& a, const cv::Mat& b);

// {"<field>": {"dtype": "uint8", "shape": [H, W, C], "data": [...]}} plus `extra` fields
// (a JSON fragment such as "\"path\": \"x\"", or "").
std::string image_record(const cv::Mat& m, const std::string& field = "image",
                         const std::string& extra = "");
// The uint8 (H, W, C) tensor in field `field` of a JSON record.
cv::Mat record_image(const std::string& json_line, const std::string& field = "image");

}  // namespace sluice::test
