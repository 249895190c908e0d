#include "image/jpeg_region.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <string>

#include <jpeglib.h>

namespace sluice::image {
namespace {

// libjpeg reports a fatal error by calling error_exit, which must not return: it longjmps back
// to decode_jpeg_region with the message. Warnings (corrupt-data recoveries) are not printed.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void on_message(j_common_ptr) {}

// The libjpeg calls, with the setjmp: every object it writes lives in the caller's frame (locals
// of the function that calls setjmp are indeterminate after the longjmp). 0: decoded; 1: a
// colour space libjpeg cannot convert; 2: region outside the image; -1: libjpeg failed (message
// in err).
int run_decode(jpeg_decompress_struct* cinfo, ErrorManager* err, std::string_view bytes,
               ColorMode mode, int scale, cv::Rect region, JpegRegion* out) {
  if (setjmp(err->jump)) return -1;
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);
  if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) return 1;
  cinfo->out_color_space = mode == ColorMode::kGray  ? JCS_GRAYSCALE
                           : mode == ColorMode::kBgr ? JCS_EXT_BGR
                                                     : JCS_EXT_RGB;
  cinfo->scale_num = 1;
  cinfo->scale_denom = static_cast<unsigned>(scale);
  jpeg_start_decompress(cinfo);
  const cv::Rect r = region & cv::Rect(0, 0, static_cast<int>(cinfo->output_width),
                                       static_cast<int>(cinfo->output_height));
  if (r.empty()) return 2;
  JDIMENSION x = static_cast<JDIMENSION>(r.x);
  JDIMENSION width = static_cast<JDIMENSION>(r.width);
  if (width < cinfo->output_width) jpeg_crop_scanline(cinfo, &x, &width);
  out->x = static_cast<int>(x);
  out->y = r.y;
  out->pixels.create(r.height, static_cast<int>(width), CV_8UC(mode == ColorMode::kGray ? 1 : 3));
  if (r.y > 0) jpeg_skip_scanlines(cinfo, static_cast<JDIMENSION>(r.y));
  while (cinfo->output_scanline < static_cast<JDIMENSION>(r.y + r.height)) {
    JSAMPROW row = out->pixels.ptr<uint8_t>(static_cast<int>(cinfo->output_scanline) - r.y);
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  // The rows below the region are never decoded: abort rather than finish.
  jpeg_abort_decompress(cinfo);
  return 0;
}

}  // namespace

Expected<JpegRegion> decode_jpeg_region(std::string_view bytes, ColorMode mode, int scale,
                                        cv::Rect region) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.output_message = on_message;
  err.message[0] = '\0';
  JpegRegion out;
  const int result = run_decode(&cinfo, &err, bytes, mode, scale, region, &out);
  jpeg_destroy_decompress(&cinfo);
  switch (result) {
    case 0:
      return out;
    case 1:
      return Status::Unsupported("JPEG in CMYK/YCCK: libjpeg gives no RGB for it");
    case 2:
      return Status::BadRecord("the region is outside the JPEG");
    default:
      return Status::BadRecord(std::string("could not decode the JPEG data: ") + err.message);
  }
}

}  // namespace sluice::image
