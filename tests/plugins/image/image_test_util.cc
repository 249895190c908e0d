#include "plugins/image/image_test_util.h"

#include "image/codec.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace sluice::test {

cv::Mat photo(const std::string& name) {
  const std::string path = shared_data_dir() + "/image/photos/" + name;
  cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
  INFO(path);
  REQUIRE(!m.empty());
  REQUIRE(m.isContinuous());
  return m;
}

std::vector<uint8_t> stack(const std::vector<cv::Mat>& images) {
  std::vector<uint8_t> out;
  for (const cv::Mat& m : images) {
    const cv::Mat c = m.isContinuous() ? m : m.clone();
    out.insert(out.end(), c.data, c.data + c.total() * c.elemSize());
  }
  return out;
}

cv::Mat reference_image(const std::string& name) {
  const std::string bytes = read_file(source_dir() + "/tests/data/image/" + name);
  image::DecodeOptions options;
  options.mode = image::ColorMode::kUnchanged;
  Expected<cv::Mat> m = image::decode_image(bytes, options);
  INFO(name << ": " << m.status().message());
  REQUIRE(m.ok());
  if (m->channels() == 3) cv::cvtColor(*m, *m, cv::COLOR_BGR2RGB);
  return *m;
}

PixelDiff pixel_diff(const cv::Mat& a, const cv::Mat& b) {
  REQUIRE(a.size() == b.size());
  REQUIRE(a.type() == b.type());
  cv::Mat d;
  cv::absdiff(a, b, d);
  d = d.reshape(1);
  double max = 0;
  cv::minMaxLoc(d, nullptr, &max);
  PixelDiff out;
  out.max_abs = static_cast<int>(max);
  out.mean_abs = cv::mean(d)[0];
  out.fraction_off = static_cast<double>(cv::countNonZero(d)) / static_cast<double>(d.total());
  out.fraction_over_2 =
      static_cast<double>(cv::countNonZero(d > 2)) / static_cast<double>(d.total());
  return out;
}

std::string image_record(const cv::Mat& m, const std::string& field, const std::string& extra) {
  boost::json::array data;
  const cv::Mat c = m.isContinuous() ? m : m.clone();
  for (size_t i = 0; i < c.total() * c.channels(); ++i) data.push_back(c.data[i]);
  boost::json::object t{{"dtype", "uint8"},
                        {"shape", boost::json::array{c.rows, c.cols, c.channels()}},
                        {"data", data}};
  std::string out = "{\"" + field + "\": " + boost::json::serialize(t);
  if (!extra.empty()) out += ", " + extra;
  return out + "}";
}

cv::Mat record_image(const std::string& json_line, const std::string& field) {
  const auto t = boost::json::parse(json_line).as_object().at(field).as_object();
  REQUIRE(t.at("dtype").as_string() == "uint8");
  const auto& shape = t.at("shape").as_array();
  const int h = static_cast<int>(shape.at(0).to_number<int64_t>()),
            w = static_cast<int>(shape.at(1).to_number<int64_t>());
  const int c = shape.size() == 3 ? static_cast<int>(shape.at(2).to_number<int64_t>()) : 1;
  cv::Mat m(h, w, CV_8UC(c));
  const auto& data = t.at("data").as_array();
  REQUIRE(data.size() == m.total() * c);
  for (size_t i = 0; i < data.size(); ++i)
    m.data[i] = static_cast<uint8_t>(data[i].to_number<int64_t>());
  return m;
}

}  // namespace sluice::test
