// The format and pixel dimensions of an encoded image, read from its first bytes without
// decoding, so a decoder is never asked to allocate a size the file merely claims.
// Pure functions; safe from any thread.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <string_view>

namespace sluice::image {

enum class ImageFormat { kJpeg, kPng, kBmp, kWebp, kTiff };

struct ImageHeader {
  ImageFormat format;
  int64_t width;
  int64_t height;
};

const char* format_name(ImageFormat format);

// The header of a JPEG (its first SOFn frame), PNG (IHDR), BMP (BITMAPINFOHEADER or OS/2 core),
// WebP (VP8, VP8L or VP8X) or TIFF (the first IFD's ImageWidth and ImageLength; classic TIFF,
// not BigTIFF). BAD_RECORD saying what was wrong: empty, an unknown format, a header cut short or
// inconsistent, a zero dimension. Every read is bounds-checked against `bytes`.
Expected<ImageHeader> read_image_header(std::string_view bytes);

// For a JPEG: whether an end-of-image marker (FF D9) follows the first start-of-scan. Inside
// entropy-coded data FF is always followed by 00 or a restart marker, so a file cut anywhere
// after its header lacks it (libjpeg would pad such a file with grey and call it a success).
bool jpeg_has_end_marker(std::string_view bytes);

}  // namespace sluice::image
