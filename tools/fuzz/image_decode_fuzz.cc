// libFuzzer target: any bytes as an encoded image. The header reader (image_header.h) and the
// decoder (codec.h) must reject what they cannot read with a status, never crash, and never
// decode an image larger than max_pixels; an image they accept has the header's size (or its
// reduced size) and the channels its mode asks for.
#include "image/codec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace sluice::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sluice::Expected<ImageHeader> header = read_image_header(bytes);
  if (!header.ok()) return 0;
  if (header->width <= 0 || header->height <= 0) std::abort();
  if (header->format == ImageFormat::kJpeg) jpeg_has_end_marker(bytes);
  DecodeOptions options;
  options.max_pixels = int64_t{1} << 22;  // 4 Mpixel: the fuzzer's memory limit stays far
  options.mode = size % 2 == 0 ? ColorMode::kRgb : ColorMode::kGray;
  options.target_size = size % 3 == 0 ? 16 : 0;
  sluice::Expected<cv::Mat> image = decode_image(bytes, options);
  if (!image.ok()) return 0;
  const int f = reduce_factor(*header, options);
  if (header->width * header->height > options.max_pixels ||
      image->channels() != (options.mode == ColorMode::kRgb ? 3 : 1) ||
      image->cols != (header->width + f - 1) / f || image->rows != (header->height + f - 1) / f) {
    std::abort();
  }
  return 0;
}
