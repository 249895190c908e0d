#include "image/codec.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace sluice::image {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int imread_flags(ColorMode mode, int reduce) {
  if (mode == ColorMode::kUnchanged) return cv::IMREAD_UNCHANGED;
  const bool gray = mode == ColorMode::kGray;
  int flags = gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
  switch (reduce) {
    case 2:
      flags = gray ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_REDUCED_COLOR_2;
      break;
    case 4:
      flags = gray ? cv::IMREAD_REDUCED_GRAYSCALE_4 : cv::IMREAD_REDUCED_COLOR_4;
      break;
    case 8:
      flags = gray ? cv::IMREAD_REDUCED_GRAYSCALE_8 : cv::IMREAD_REDUCED_COLOR_8;
      break;
    default:
      break;
  }
  return flags | cv::IMREAD_IGNORE_ORIENTATION;
}

}  // namespace

int reduce_factor(const ImageHeader& h, const DecodeOptions& options) {
  if (options.mode == ColorMode::kUnchanged) return 1;
  if (options.target_size <= 0) return options.reduce;
  int best = 1;
  for (int f : {2, 4, 8}) {
    if (ceil_div(h.width, f) >= options.target_size &&
        ceil_div(h.height, f) >= options.target_size) {
      best = f;
    }
  }
  return best;
}

Status check_size(const ImageHeader& h, int64_t max_pixels) {
  if (h.width <= max_pixels / h.height) return {};
  return Status::BadRecord(std::string(format_name(h.format)) + " header claims " +
                           std::to_string(h.width) + "x" + std::to_string(h.height) +
                           " pixels, more than max_pixels (" + std::to_string(max_pixels) + ")");
}

Expected<cv::Mat> decode_image(std::string_view bytes, const DecodeOptions& options) {
  Expected<ImageHeader> header = read_image_header(bytes);
  if (!header.ok()) return header.status();
  const ImageHeader& h = *header;
  const char* format = format_name(h.format);
  SLUICE_RETURN_IF_ERROR(check_size(h, options.max_pixels));
  if (h.format == ImageFormat::kJpeg && !jpeg_has_end_marker(bytes)) {
    return Status::BadRecord("truncated JPEG: no end-of-image marker after the scan data");
  }
  const int reduce = reduce_factor(h, options);
  // libjpeg scales a JPEG as it decodes it, to ceil(side / reduce); OpenCV would shrink other
  // formats to floor(side / reduce), bilinearly: they are shrunk here instead.
  const bool jpeg = h.format == ImageFormat::kJpeg;
  cv::Mat out;
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    out = cv::imdecode(buffer, imread_flags(options.mode, jpeg ? reduce : 1));
    if (!jpeg && reduce > 1 && !out.empty()) {
      cv::resize(out, out,
                 cv::Size(static_cast<int>(ceil_div(out.cols, reduce)),
                          static_cast<int>(ceil_div(out.rows, reduce))),
                 0, 0, cv::INTER_AREA);
    }
  } catch (const cv::Exception& e) {
    return Status::BadRecord(std::string("could not decode the ") + format + " data: " + e.what());
  }
  if (out.empty()) {
    return Status::BadRecord(std::string("could not decode the ") + format +
                             " data (corrupt, truncated or a checksum mismatch)");
  }
  if (options.mode == ColorMode::kRgb) cv::cvtColor(out, out, cv::COLOR_BGR2RGB);
  if (!out.isContinuous()) out = out.clone();
  return out;
}

Expected<std::string> encode_image(const cv::Mat& image, EncodeFormat format, int quality,
                                   bool rgb) {
  cv::Mat src = image;
  if (rgb && image.channels() == 3) cv::cvtColor(image, src, cv::COLOR_RGB2BGR);
  if (rgb && image.channels() == 4) cv::cvtColor(image, src, cv::COLOR_RGBA2BGRA);
  std::vector<int> params;
  const char* ext = ".png";
  if (format == EncodeFormat::kJpeg) {
    ext = ".jpg";
    params = {cv::IMWRITE_JPEG_QUALITY, quality};
  } else {
    params = {cv::IMWRITE_PNG_COMPRESSION, quality};
  }
  std::vector<uchar> buffer;
  try {
    if (!cv::imencode(ext, src, buffer, params)) return Status::BadRecord("the encoder failed");
  } catch (const cv::Exception& e) {
    return Status::BadRecord(std::string("could not encode the image: ") + e.what());
  }
  return std::string(buffer.begin(), buffer.end());
}

}  // namespace sluice::image
