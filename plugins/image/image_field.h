// The glue between image records and the kernels: image tensors as cv::Mat and back, the shared
// op base, and the params several ops take (fill, report; device is in device_param.h).
//
// Images are CPU tensors (H, W, C) (or (H, W), read as one channel) of uint8, or uint16 from a
// decode with mode unchanged. A cv::Mat made from a tensor views the tensor's buffer (no copy) and
// is valid while the tensor handle lives; a cv::Mat stored into a record is adopted by the tensor
// (no copy) when it is continuous.
#pragma once

#include "image/sampling.h"

#include <sluice/sdk.hpp>

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace sluice::image {

struct ImageView {
  Tensor tensor;  // holds the pixels `mat` points into
  cv::Mat mat;
};

// BAD_RECORD naming the field when it is not an image tensor as described above.
Expected<ImageView> read_image(const Record& r, Field f);

// A tensor over `m`'s pixels, (H, W, C); m is adopted (no copy) when it is continuous and owns
// its pixels, else copied.
Expected<Tensor> image_tensor(const cv::Mat& m);

// A 1-D float64 or int32 tensor of `values` in field `f` (the parameters a random op drew).
Status set_values(Record& r, Field f, const std::vector<double>& values);
Status set_values(Record& r, Field f, const std::vector<int32_t>& values);

// A crop box reported as int32 [top, left, height, width].
Status set_box(Record& r, Field f, const Box& box);

// BAD_RECORD naming the field unless the image has `channels` channels.
Status require_channels(const cv::Mat& m, Field f, int channels, const char* why);

// `fill`: a list of 1 or C values for pixels from outside the image; as a Scalar.
ParamSpec fill_param(const char* doc);
cv::Scalar fill_scalar(const Params& params);

// An Int param for an output side in pixels: 1 to kMaxSide (geometry.h).
ParamSpec side_param(const char* name, const char* doc);
// A crop op's params `width` and `height` (default: width), as side_params.
cv::Size crop_size(const Params& params);
// INVALID_ARGUMENT naming params 'width' and 'height' unless size's area is at most kMaxArea.
Status check_area(cv::Size size);
// A [min, max] list param: INVALID_ARGUMENT naming it unless it has 2 values, min <= max, and
// (positive) min > 0. pair_param reads one that passed the check.
Status check_pair(const Params& params, const char* name, bool positive);
std::array<double, 2> pair_param(const Params& params, const char* name);

// The params image.rotate and image.affine share, after their own: `interpolation` (nearest or
// bilinear), `fill` and `report`; WarpParams reads them.
OpSchema& add_warp_params(OpSchema& schema);
struct WarpParams {
  bool bilinear = false, report = false;
  cv::Scalar fill;
  void read(const Params& params);
};

// `report`: whether a random op writes the parameters it drew to its report port.
ParamSpec report_param();
// infer_fields for an image op: `image` kept, plus `report_port` when params.report is true.
Status infer_report_fields(const Params& params, const Context& ctx, FieldSet& fields,
                           const char* report_port, sluice_kind kind = SLUICE_KIND_TENSOR);

// An op that replaces field `image` by a function of it. Subclasses implement transform(), called
// from several threads at once (read members only); `rng` is the record's own generator. One with
// another path for some records (image.resize on the GPU or on a batch) overrides map() and calls
// this one for the rest.
class ImageMapOp : public MapOp {
 public:
  Status open(Context& ctx, const Params& params) override;
  Status map(Record& record) override;

 protected:
  virtual Status configure(Context& ctx, const Params& params) = 0;
  virtual Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const = 0;
  Field image_;
  uint64_t node_seed_ = 0;
};

}  // namespace sluice::image
