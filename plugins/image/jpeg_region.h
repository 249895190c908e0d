// Decoding part of a JPEG with libjpeg-turbo directly: at 1/1, 1/2, 1/4 or 1/8 scale (the scaled
// DCT), only the rows of a region (jpeg_skip_scanlines) and the iMCU columns around it
// (jpeg_crop_scanline), straight into R G B, B G R or grey, so the pixels nobody reads are never
// colour-converted or upsampled, and there is no channel swap afterwards. The pixels decoded are
// the same as a full decode's (libjpeg's defaults: islow DCT, fancy upsampling, as OpenCV and PIL).
// Pure; safe from any thread.
#pragma once

#include "image/codec.h"

#include <sluice/status.hpp>

#include <opencv2/core.hpp>

#include <string_view>

namespace sluice::image {

struct JpegRegion {
  cv::Mat pixels;    // (rows, cols, C) CV_8U, continuous; C = 1 for kGray, else 3
  int x = 0, y = 0;  // where pixels(0, 0) is in the scaled image
};

// Decodes at least `region` (in pixels of the image scaled by 1/scale, whose sides are
// ceil(side / scale); clamped to it) of the JPEG `bytes` with mode kRgb, kBgr or kGray.
// The caller has checked the header (size, end marker). BAD_RECORD with libjpeg's message when the
// data is corrupt; UNSUPPORTED when libjpeg cannot produce the mode from the file's colour space
// (CMYK, YCCK): decode those with decode_image.
Expected<JpegRegion> decode_jpeg_region(std::string_view bytes, ColorMode mode, int scale,
                                        cv::Rect region);

}  // namespace sluice::image
