// A corpus of malformed image files, written at test time: each is rejected with a reason that
// names the file, the run goes on, and no buffer of a claimed size is allocated (the header is
// checked first; under AddressSanitizer a 60000x60000 allocation would fail the test).
#include "image/codec.h"
#include "image/image_header.h"
#include "plugins/image/image_test_util.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>

#include <map>

namespace img = sluice::image;
using sluice::test::write_file;

namespace {

uint32_t crc32(const std::string& bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

std::string be32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }
std::string le32(uint32_t v) { return {char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; }
std::string le16(uint32_t v) { return {char(v), char(v >> 8)}; }

std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// A well-formed PNG header (valid CRC) that claims width x height, and a token IDAT.
std::string huge_png(uint32_t width, uint32_t height) {
  const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) +
         png_chunk("IDAT", std::string("\x78\x9C\x03\x00\x00\x00\x00\x01", 8)) +
         png_chunk("IEND", "");
}

std::string huge_bmp(uint32_t width, uint32_t height) {
  std::string info = le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + le32(0) +
                     le32(0) + le32(2835) + le32(2835) + le32(0) + le32(0);
  std::string file = "BM" + le32(14 + 40 + 16) + le32(0) + le32(14 + 40);
  return file + info + std::string(16, '\0');
}

std::string small_png() {
  cv::Mat m(24, 32, CV_8UC3);
  cv::randu(m, 0, 255);
  return *img::encode_image(m, img::EncodeFormat::kPng, 3, true);
}

// The PNG with one byte of its IDAT data changed, so the chunk's CRC no longer matches.
std::string bad_crc_png() {
  std::string png = small_png();
  const size_t idat = png.find("IDAT");
  REQUIRE(idat != std::string::npos);
  png[idat + 4 + 10] ^= 0x55;
  return png;
}

// name -> bytes
std::map<std::string, std::string> corpus() {
  const std::string jpeg =
      sluice::test::read_file(sluice::test::shared_data_dir() + "/image/photos/flower.jpg");
  const std::string png = small_png();
  return {
      {"empty.jpg", ""},
      {"truncated.jpg", jpeg.substr(0, jpeg.size() * 6 / 10)},
      {"truncated_header.jpg", jpeg.substr(0, 100)},
      {"truncated.png", png.substr(0, png.size() * 6 / 10)},
      {"truncated_header.png", png.substr(0, 20)},
      {"text.png", "this is a text file, not an image\n"},
      {"huge.png", huge_png(60000, 60000)},
      {"huge.bmp", huge_bmp(60000, 60000)},
      {"bad_crc.png", bad_crc_png()},
  };
}

}  // namespace

TEST_CASE("headers give format and size without decoding", "[plugins][image]") {
  auto h = img::read_image_header(huge_png(60000, 50000));
  REQUIRE(h.ok());
  CHECK(h->format == img::ImageFormat::kPng);
  CHECK(h->width == 60000);
  CHECK(h->height == 50000);
  h = img::read_image_header(huge_bmp(60000, 60000));
  REQUIRE(h.ok());
  CHECK(h->format == img::ImageFormat::kBmp);
  CHECK(h->width == 60000);
  const std::string jpeg =
      sluice::test::read_file(sluice::test::shared_data_dir() + "/image/photos/flower.jpg");
  h = img::read_image_header(jpeg);
  REQUIRE(h.ok());
  CHECK(h->format == img::ImageFormat::kJpeg);
  CHECK(h->width == 640);
  CHECK(h->height == 427);
  CHECK(img::jpeg_has_end_marker(jpeg));
  CHECK_FALSE(img::jpeg_has_end_marker(jpeg.substr(0, jpeg.size() - 2)));
  CHECK(img::read_image_header("").status().message() == "empty file");
}

TEST_CASE("every malformed file is rejected, naming it, and the run goes on", "[plugins][image]") {
  const std::string dir = sluice::test::temp_dir();
  std::vector<std::string> inputs;
  std::vector<std::string> names;
  for (const auto& [name, bytes] : corpus()) {
    write_file(dir + "/" + name, bytes);
    names.push_back(name);
    inputs.push_back("{\"path\": \"" + dir + "/" + name + "\"}");
  }
  write_file(dir + "/good.png", small_png());
  inputs.push_back("{\"path\": \"" + dir + "/good.png\"}");
  inputs.push_back("{\"path\": \"" + dir + "/missing.png\"}");
  // max_pixels far above the claimed 3.6e9: OpenCV's own limit still refuses the header.
  // The fused op decodes JPEGs with libjpeg directly: the same corpus goes through it.
  for (const auto& [op, params] : std::vector<std::pair<std::string, std::string>>{
           {"image.decode", "{}"},
           {"image.decode", "{max_pixels: 4611686018427387904}"},
           {"image.decode_random_resized_crop", "{width: 2}"},
           {"image.decode_random_resized_crop", "{width: 2, max_pixels: 4611686018427387904}"},
           {"image.decode_random_resized_crop", "{width: 2, dct_scaling: false}"}}) {
    INFO(op << " " << params);
    auto r = sluice::test::run_op("image", op, params, inputs);
    CHECK(r.outputs.size() == 1);
    REQUIRE(r.rejected.size() == names.size() + 1);
    for (size_t i = 0; i < names.size(); ++i) {
      INFO(r.rejected[i]);
      CHECK(r.rejected[i].find(dir + "/" + names[i] + ": ") != std::string::npos);
    }
    CHECK(r.rejected.back().find("missing.png: cannot open the file") != std::string::npos);
  }
}

TEST_CASE("rejections say what was wrong", "[plugins][image]") {
  auto reason = [](const std::string& name) {
    auto c = corpus();
    return img::decode_image(c.at(name), {}).status().message();
  };
  CHECK(reason("empty.jpg") == "empty file");
  CHECK(reason("truncated.jpg").find("truncated JPEG") != std::string::npos);
  CHECK(reason("truncated_header.jpg").find("JPEG") != std::string::npos);
  CHECK(reason("truncated.png").find("could not decode the PNG") != std::string::npos);
  CHECK(reason("truncated_header.png") == "truncated PNG header");
  CHECK(reason("text.png").find("not an image") != std::string::npos);
  CHECK(reason("huge.png") ==
        "PNG header claims 60000x60000 pixels, more than max_pixels (268435456)");
  CHECK(reason("huge.bmp").find("BMP header claims 60000x60000") != std::string::npos);
  CHECK(reason("bad_crc.png").find("could not decode the PNG") != std::string::npos);
  img::DecodeOptions small;
  small.max_pixels = 32 * 24 - 1;
  CHECK(img::decode_image(small_png(), small).status().message().find("more than max_pixels") !=
        std::string::npos);
  small.max_pixels = 32 * 24;
  CHECK(img::decode_image(small_png(), small).ok());
}
