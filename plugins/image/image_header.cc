#include "image/image_header.h"

#include <cstring>
#include <string>

namespace sluice::image {
namespace {

// Bounds-checked big- and little-endian reads; false when [pos, pos + n) is outside `b`.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool has(size_t pos, size_t n) const { return pos <= b_.size() && n <= b_.size() - pos; }
  uint32_t byte(size_t pos) const { return static_cast<unsigned char>(b_[pos]); }
  uint32_t be16(size_t p) const { return byte(p) << 8 | byte(p + 1); }
  uint32_t be32(size_t p) const { return be16(p) << 16 | be16(p + 2); }
  uint32_t le16(size_t p) const { return byte(p) | byte(p + 1) << 8; }
  uint32_t le32(size_t p) const { return le16(p) | le16(p + 2) << 16; }
  uint32_t le24(size_t p) const { return byte(p) | byte(p + 1) << 8 | byte(p + 2) << 16; }
  bool starts(size_t pos, const char* magic, size_t n) const {
    return has(pos, n) && std::memcmp(b_.data() + pos, magic, n) == 0;
  }
  size_t size() const { return b_.size(); }

 private:
  std::string_view b_;
};

Status cut_short(const char* format) {
  return Status::BadRecord(std::string("truncated ") + format + " header");
}

Expected<ImageHeader> png_header(const Reader& r) {
  if (!r.has(8, 16)) return cut_short("PNG");
  if (!r.starts(12, "IHDR", 4)) return Status::BadRecord("PNG without an IHDR chunk first");
  return ImageHeader{ImageFormat::kPng, r.be32(16), r.be32(20)};
}

bool is_sof(uint32_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

Expected<ImageHeader> jpeg_header(const Reader& r) {
  size_t pos = 2;
  while (true) {
    if (!r.has(pos, 2)) return cut_short("JPEG");
    if (r.byte(pos) != 0xFF) return Status::BadRecord("corrupt JPEG header: expected a marker");
    uint32_t m = r.byte(pos + 1);
    if (m == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // markers without a length
      pos += 2;
      continue;
    }
    if (m == 0xD9 || m == 0xDA) return Status::BadRecord("JPEG without a frame header");
    if (!r.has(pos + 2, 2)) return cut_short("JPEG");
    const uint32_t length = r.be16(pos + 2);
    if (length < 2) return Status::BadRecord("corrupt JPEG header: segment length below 2");
    if (is_sof(m)) {
      if (!r.has(pos + 4, 5)) return cut_short("JPEG");
      return ImageHeader{ImageFormat::kJpeg, r.be16(pos + 7), r.be16(pos + 5)};
    }
    pos += 2 + length;
  }
}

Expected<ImageHeader> bmp_header(const Reader& r) {
  if (!r.has(14, 4)) return cut_short("BMP");
  const uint32_t dib = r.le32(14);
  if (dib == 12) {
    if (!r.has(18, 4)) return cut_short("BMP");
    return ImageHeader{ImageFormat::kBmp, r.le16(18), r.le16(20)};
  }
  if (dib < 40) return Status::BadRecord("BMP with an unknown info header size");
  if (!r.has(18, 8)) return cut_short("BMP");
  const auto width = static_cast<int32_t>(r.le32(18));
  const auto height = static_cast<int32_t>(r.le32(22));  // negative: rows stored top-down
  if (width < 0) return Status::BadRecord("BMP with a negative width");
  return ImageHeader{ImageFormat::kBmp, width, height < 0 ? -static_cast<int64_t>(height) : height};
}

Expected<ImageHeader> webp_header(const Reader& r) {
  if (!r.has(12, 18)) return cut_short("WebP");
  if (r.starts(12, "VP8 ", 4)) {  // lossy: frame tag (3 bytes), start code 9D 01 2A, sizes
    if (r.byte(23) != 0x9D || r.byte(24) != 0x01 || r.byte(25) != 0x2A) {
      return Status::BadRecord("corrupt WebP VP8 frame header");
    }
    return ImageHeader{ImageFormat::kWebp, r.le16(26) & 0x3FFF, r.le16(28) & 0x3FFF};
  }
  if (r.starts(12, "VP8L", 4)) {  // lossless: signature 0x2F, then 14-bit width-1, height-1
    if (r.byte(20) != 0x2F) return Status::BadRecord("corrupt WebP VP8L header");
    const uint32_t bits = r.le32(21);
    return ImageHeader{ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
  }
  if (r.starts(12, "VP8X", 4)) {  // extended: 24-bit canvas width-1, height-1
    return ImageHeader{ImageFormat::kWebp, r.le24(24) + 1, r.le24(27) + 1};
  }
  return Status::BadRecord("WebP with an unknown first chunk");
}

Expected<ImageHeader> tiff_header(const Reader& r) {
  const bool le = r.byte(0) == 'I';
  auto u16 = [&](size_t p) { return le ? r.le16(p) : r.be16(p); };
  auto u32 = [&](size_t p) { return le ? r.le32(p) : r.be32(p); };
  if (!r.has(4, 4)) return cut_short("TIFF");
  const size_t ifd = u32(4);
  if (!r.has(ifd, 2)) return cut_short("TIFF");
  const size_t count = u16(ifd);
  int64_t width = -1, height = -1;
  for (size_t i = 0; i < count; ++i) {
    const size_t e = ifd + 2 + 12 * i;
    if (!r.has(e, 12)) return cut_short("TIFF");
    const uint32_t tag = u16(e), type = u16(e + 2);
    if (tag != 256 && tag != 257) continue;
    int64_t value;
    if (type == 3) {
      value = u16(e + 8);  // SHORT
    } else if (type == 4) {
      value = u32(e + 8);  // LONG
    } else {
      return Status::BadRecord("TIFF image size of an unexpected type");
    }
    (tag == 256 ? width : height) = value;
  }
  if (width < 0 || height < 0) return Status::BadRecord("TIFF without ImageWidth/ImageLength");
  return ImageHeader{ImageFormat::kTiff, width, height};
}

}  // namespace

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kBmp:
      return "BMP";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kTiff:
      return "TIFF";
  }
  return "?";
}

Expected<ImageHeader> read_image_header(std::string_view bytes) {
  if (bytes.empty()) return Status::BadRecord("empty file");
  Reader r(bytes);
  Expected<ImageHeader> h = Status::BadRecord(
      "not an image: the data does not start like a JPEG, PNG, BMP, WebP or TIFF file");
  if (r.starts(0, "\xFF\xD8\xFF", 3)) {
    h = jpeg_header(r);
  } else if (r.starts(0, "\x89PNG\r\n\x1A\n", 8)) {
    h = png_header(r);
  } else if (r.starts(0, "BM", 2)) {
    h = bmp_header(r);
  } else if (r.starts(0, "RIFF", 4) && r.starts(8, "WEBP", 4)) {
    h = webp_header(r);
  } else if (r.starts(0, "II*\0", 4) || r.starts(0, "MM\0*", 4)) {
    h = tiff_header(r);
  }
  if (h.ok() && (h->width <= 0 || h->height <= 0)) {
    return Status::BadRecord(std::string(format_name(h->format)) + " header with a zero size");
  }
  return h;
}

bool jpeg_has_end_marker(std::string_view bytes) {
  Reader r(bytes);
  size_t pos = 2;
  while (r.has(pos, 4)) {  // walk the segments to the first start-of-scan
    if (r.byte(pos) != 0xFF) return false;
    uint32_t m = r.byte(pos + 1);
    if (m == 0xFF || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
      pos += m == 0xFF ? 1 : 2;
      continue;
    }
    if (m == 0xDA) break;
    pos += 2 + r.be16(pos + 2);
  }
  if (!r.has(pos, 4)) return false;
  // From the end: the marker is normally the last two bytes, and any FF D9 after the scan
  // starts is the end of the image.
  for (size_t i = bytes.size() - 1; i > pos + 2; --i) {
    if (r.byte(i) == 0xD9 && r.byte(i - 1) == 0xFF) return true;
  }
  return false;
}

}  // namespace sluice::image
