#include "image/image_field.h"

#include <string>

namespace sluice::image {

Expected<ImageView> read_image(const Record& r, Field f) {
  Expected<Tensor> t = r.get_tensor(f);
  if (!t.ok()) return t.status();
  const std::string name = std::string("field '") + f.name() + "': ";
  if (!t->on_cpu()) return Status::BadRecord(name + "expected a CPU image tensor");
  int depth;
  if (t->dtype() == SLUICE_DTYPE_UINT8) {
    depth = CV_8U;
  } else if (t->dtype() == SLUICE_DTYPE_UINT16) {
    depth = CV_16U;
  } else {
    return Status::BadRecord(name + "expected a uint8 image tensor, found " +
                             dtype_name(t->dtype()));
  }
  if (t->ndim() != 2 && t->ndim() != 3) {
    return Status::BadRecord(name + "expected an image tensor (H, W, C), found " +
                             std::to_string(t->ndim()) + " dimensions");
  }
  const int64_t h = t->dim(0), w = t->dim(1), c = t->ndim() == 3 ? t->dim(2) : 1;
  if (h <= 0 || w <= 0 || c <= 0 || c > CV_CN_MAX || h > INT32_MAX || w > INT32_MAX) {
    return Status::BadRecord(name + "empty or oversized image tensor");
  }
  cv::Mat m(static_cast<int>(h), static_cast<int>(w), CV_MAKETYPE(depth, static_cast<int>(c)),
            t->data());
  return ImageView{std::move(*t), m};
}

namespace {
void release_mat(void*, void* ctx) { delete static_cast<cv::Mat*>(ctx); }
}  // namespace

Expected<Tensor> image_tensor(const cv::Mat& m) {
  // A Mat over memory OpenCV does not own (u == nullptr: a view of a tensor) cannot be adopted.
  auto* keep = new cv::Mat(m.isContinuous() && m.u != nullptr ? m : m.clone());
  const sluice_dtype dtype = keep->depth() == CV_16U ? SLUICE_DTYPE_UINT16 : SLUICE_DTYPE_UINT8;
  Expected<Tensor> t = Tensor::wrap(dtype, {keep->rows, keep->cols, keep->channels()}, keep->data,
                                    &release_mat, keep);
  if (!t.ok()) delete keep;
  return t;
}

namespace {
template <class T>
Status set_vector(Record& r, Field f, const std::vector<T>& values) {
  Expected<Tensor> t =
      Tensor::from_values<T>({static_cast<int64_t>(values.size())}, values.data(), values.size());
  if (!t.ok()) return t.status();
  r.set_tensor(f, *t);
  return {};
}
}  // namespace

Status set_values(Record& r, Field f, const std::vector<double>& values) {
  return set_vector(r, f, values);
}
Status set_values(Record& r, Field f, const std::vector<int32_t>& values) {
  return set_vector(r, f, values);
}

Status set_box(Record& r, Field f, const Box& box) {
  return set_values(r, f, std::vector<int32_t>{box.top, box.left, box.height, box.width});
}

Status require_channels(const cv::Mat& m, Field f, int channels, const char* why) {
  if (m.channels() == channels) return {};
  return Status::BadRecord(std::string("field '") + f.name() + "': " + why + " needs " +
                           std::to_string(channels) + " channels, found " +
                           std::to_string(m.channels()));
}

ParamSpec fill_param(const char* doc) {
  return ParamSpec::List("fill", SLUICE_PTYPE_FLOAT, doc).default_yaml("[0]");
}

cv::Scalar fill_scalar(const Params& params) {
  const auto values = params.get<std::vector<double>>("fill");
  if (values.empty()) return cv::Scalar::all(0);
  if (values.size() == 1) return cv::Scalar::all(values[0]);
  cv::Scalar s;
  for (size_t i = 0; i < values.size() && i < 4; ++i) s[static_cast<int>(i)] = values[i];
  return s;
}

ParamSpec side_param(const char* name, const char* doc) {
  return ParamSpec::Int(name, doc).range(1, static_cast<double>(kMaxSide));
}

cv::Size crop_size(const Params& params) {
  const int width = params.get<int>("width");
  return {width, params.get_optional<int>("height").value_or(width)};
}

Status check_area(cv::Size size) {
  if (int64_t{size.width} * size.height > kMaxArea) {
    return Status::Invalid("params 'width' and 'height': expected at most 2^28 pixels, found " +
                           std::to_string(size.width) + " x " + std::to_string(size.height));
  }
  return {};
}

Status check_pair(const Params& params, const char* name, bool positive) {
  const auto v = params.get<std::vector<double>>(name);
  if (v.size() != 2 || !(v[0] <= v[1]) || (positive && !(v[0] > 0))) {
    return Status::Invalid(std::string("param '") + name + "': expected [min, max] with " +
                           (positive ? "0 < min <= max" : "min <= max"));
  }
  return {};
}

std::array<double, 2> pair_param(const Params& params, const char* name) {
  const auto v = params.get<std::vector<double>>(name);
  return {v.at(0), v.at(1)};
}

OpSchema& add_warp_params(OpSchema& schema) {
  return schema
      .param(ParamSpec::String("interpolation", "nearest or bilinear")
                 .choices({"nearest", "bilinear"})
                 .default_value("nearest"))
      .param(fill_param("Value of pixels from outside the image: one, or one per channel"))
      .param(report_param());
}

void WarpParams::read(const Params& params) {
  bilinear = params.get<std::string>("interpolation") == "bilinear";
  fill = fill_scalar(params);
  report = params.get<bool>("report");
}

ParamSpec report_param() {
  return ParamSpec::Bool("report", "Write the parameters drawn to the report output field")
      .default_value(false);
}

Status infer_report_fields(const Params& params, const Context& ctx, FieldSet& fields,
                           const char* report_port, sluice_kind kind) {
  fields.put(ctx.port("image"), SLUICE_KIND_TENSOR);
  if (params.get<bool>("report")) fields.put(ctx.port(report_port), kind);
  return {};
}

Status ImageMapOp::open(Context& ctx, const Params& params) {
  image_ = ctx.port("image");
  node_seed_ = ctx.seed();
  return configure(ctx, params);
}

Status ImageMapOp::map(Record& record) {
  Expected<ImageView> in = read_image(record, image_);
  if (!in.ok()) return in.status();
  core::Rng rng = record_rng(record.seed(), node_seed_);
  Expected<cv::Mat> out = transform(in->mat, record, rng);
  if (!out.ok()) return out.status();
  if (out->data == in->mat.data && out->size == in->mat.size && out->type() == in->mat.type()) {
    return {};  // unchanged: the input tensor stays
  }
  Expected<Tensor> t = image_tensor(*out);
  if (!t.ok()) return t.status();
  record.set_tensor(image_, *t);
  return {};
}

}  // namespace sluice::image
