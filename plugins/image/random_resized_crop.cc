// image.random_resized_crop: torchvision's RandomResizedCrop, from the record's seed; and
// image.decode_random_resized_crop, the same fused with decoding (DALI's
// decoders.image_random_crop), which decodes a JPEG at a reduced scale when the crop allows it.
#include "image/codec.h"
#include "image/encoded_input.h"
#include "image/image_field.h"
#include "image/jpeg_region.h"
#include "image/ops.h"
#include "image/resample.h"

#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>

namespace sluice::image {
namespace {

constexpr const char* kCropDoc =
    "a window with area fraction uniform in `scale` and aspect ratio (w/h) log-uniform in "
    "`ratio` (up to 10 tries, then the largest centred window with the aspect clamped to "
    "`ratio`), resized to `width` x `height` (height defaults to width). Drawn from the "
    "record's seed: the same for any thread count. With `report`, `crop_box` gets [top, left, "
    "height, width] (int32).";

// The params both ops take, the output ports and their checks.
OpSchema& add_crop_schema(OpSchema& s) {
  return s
      .output("image", SLUICE_KIND_TENSOR, "The resized crop, (height, width, C) uint8",
              SLUICE_DTYPE_UINT8)
      .output("crop_box", SLUICE_KIND_TENSOR, "With report: [top, left, height, width]",
              SLUICE_DTYPE_INT32)
      .param(side_param("width", "Output width"))
      .param(side_param("height", "Output height (default: width)").optional())
      .param(ParamSpec::List("scale", SLUICE_PTYPE_FLOAT, "[min, max] fraction of the area")
                 .default_yaml("[0.08, 1.0]"))
      .param(ParamSpec::List("ratio", SLUICE_PTYPE_FLOAT, "[min, max] aspect ratio w/h")
                 .default_yaml("[0.75, 1.3333333333333333]"))
      .param(ParamSpec::String("interpolation", "nearest, bilinear, bicubic, area or lanczos")
                 .choices({"nearest", "bilinear", "bicubic", "area", "lanczos"})
                 .default_value("bilinear"))
      .param(
          ParamSpec::Bool("antialias", "Antialiased resize (as image.resize)").default_value(true))
      .param(report_param());
}

Status check_crop(const Params& params) {
  SLUICE_RETURN_IF_ERROR(check_area(crop_size(params)));
  SLUICE_RETURN_IF_ERROR(check_pair(params, "scale", true));
  return check_pair(params, "ratio", true);
}

struct CropParams {
  int width = 0, height = 0;
  std::array<double, 2> scale{}, ratio{};
  Interpolation interpolation = Interpolation::kBilinear;
  bool antialias = true, report = false;
  Field crop_box;

  void read(Context& ctx, const Params& params) {
    const cv::Size size = crop_size(params);
    width = size.width;
    height = size.height;
    scale = pair_param(params, "scale");
    ratio = pair_param(params, "ratio");
    interpolation = *parse_interpolation(params.get<std::string>("interpolation"));
    antialias = params.get<bool>("antialias");
    report = params.get<bool>("report");
    crop_box = ctx.port("crop_box");
  }

  // Draws the box of an image_h x image_w image and reports it.
  Expected<Box> draw(Record& record, core::Rng& rng, int image_h, int image_w) const {
    const Box box = sample_resized_crop(rng, image_h, image_w, scale, ratio);
    if (report) SLUICE_RETURN_IF_ERROR(set_box(record, crop_box, box));
    return box;
  }

  std::optional<ResampleFilter> antialias_filter() const {
    return antialias ? resample_filter(interpolation) : std::nullopt;
  }

  cv::Mat resize(const cv::Mat& src, const Box& box) const {
    const cv::Mat window = src(cv::Rect(box.left, box.top, box.width, box.height));
    return resize_image(window, width, height, interpolation, antialias);
  }
};

class RandomResizedCrop : public ImageMapOp {
 public:
  static OpSchema schema() {
    OpSchema s("image.random_resized_crop");
    s.doc(std::string("torchvision's RandomResizedCrop: ") + kCropDoc)
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8);
    return add_crop_schema(s);
  }

  static Status check(const Params& params) { return check_crop(params); }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "crop_box");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    crop_.read(ctx, params);
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    Expected<Box> box = crop_.draw(record, rng, src.rows, src.cols);
    if (!box.ok()) return box.status();
    return crop_.resize(src, *box);
  }

 private:
  CropParams crop_;
};

// The reduce factor for a box: the largest of 1, 2, 4, 8 that keeps the box, in the reduced
// image, at least out_w x out_h.
int crop_reduce_factor(const Box& box, int out_w, int out_h) {
  int f = 1;
  while (f < 8 && box.width / (2 * f) >= out_w && box.height / (2 * f) >= out_h) f *= 2;
  return f;
}

Status with_name(const std::string& name, Status s) {
  if (s.ok()) return s;
  return Status::BadRecord(name + ": " + s.message());
}

class DecodeRandomResizedCrop : public MapOp {
 public:
  static OpSchema schema() {
    OpSchema s("image.decode_random_resized_crop");
    s.doc(std::string("image.decode then image.random_resized_crop in one op: the header's "
                      "size is read first and the crop drawn from it as torchvision's "
                      "RandomResizedCrop: ") +
          kCropDoc +
          " With `dct_scaling` a JPEG is decoded by libjpeg-turbo's scaled DCT at the "
          "largest 1/2, 1/4 or 1/8 scale at which the crop still has at least width x height "
          "pixels, and the crop resampled from that over the sub-pixel box (so the output is "
          "close to, not equal to, the unfused ops'); the reported box stays in full-size "
          "pixels. A JPEG is decoded by libjpeg directly, only the crop's rows and iMCU "
          "columns (the same pixels as a full decode: without dct_scaling the output equals "
          "image.decode then image.random_resized_crop for the same box). Rejections as "
          "image.decode; images over 2^30 pixels are refused whatever max_pixels says.");
    add_decode_schema(s, false);
    add_crop_schema(s).param(
        ParamSpec::Bool("dct_scaling", "Decode JPEGs at a reduced scale when the crop allows")
            .default_value(true));
    return s;
  }

  static Status check(const Params& params) { return check_crop(params); }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "crop_box");
  }

  Status open(Context& ctx, const Params& params) override {
    input_.open(ctx);
    image_ = ctx.port("image");
    node_seed_ = ctx.seed();
    mode_ = parse_color_mode(params.get<std::string>("mode"));
    max_pixels_ = params.get<int64_t>("max_pixels");
    dct_scaling_ = params.get<bool>("dct_scaling");
    crop_.read(ctx, params);
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    std::string storage, name;
    Expected<std::string_view> bytes = input_.read(record, storage, name);
    if (!bytes.ok()) return bytes.status();
    Expected<ImageHeader> header = read_image_header(*bytes);
    if (!header.ok()) return Status::BadRecord(name + ": " + header.status().message());
    // libjpeg, called directly, has no size limit of its own: OpenCV's (2^30 pixels) is kept.
    SLUICE_RETURN_IF_ERROR(
        with_name(name, check_size(*header, std::min(max_pixels_, int64_t{1} << 30))));
    if (header->width > INT32_MAX || header->height > INT32_MAX) {
      return Status::BadRecord(name + ": image too large");
    }
    const int full_h = static_cast<int>(header->height);
    const int full_w = static_cast<int>(header->width);
    core::Rng rng = record_rng(record.seed(), node_seed_);
    Expected<Box> box = crop_.draw(record, rng, full_h, full_w);
    if (!box.ok()) return box.status();
    const int f = dct_scaling_ && header->format == ImageFormat::kJpeg
                      ? crop_reduce_factor(*box, crop_.width, crop_.height)
                      : 1;
    const int scaled_w = (full_w + f - 1) / f, scaled_h = (full_h + f - 1) / f;
    // What is resampled, in the image scaled by 1/f: with f > 1 and an antialiased filter the
    // box itself, sub-pixel, reading the filter's support around it; else whole pixels.
    const std::optional<ResampleFilter> filter = crop_.antialias_filter();
    const bool subpixel = f > 1 && filter;
    cv::Rect2d fbox;
    Box ibox = *box;
    cv::Rect need;
    if (subpixel) {
      fbox = cv::Rect2d(double(box->left) / f, double(box->top) / f, double(box->width) / f,
                        double(box->height) / f);
      const double mx = filter_support(*filter) * std::max(fbox.width / crop_.width, 1.0) + 2;
      const double my = filter_support(*filter) * std::max(fbox.height / crop_.height, 1.0) + 2;
      const int x0 = static_cast<int>(std::floor(fbox.x - mx));
      const int y0 = static_cast<int>(std::floor(fbox.y - my));
      need = cv::Rect(x0, y0, static_cast<int>(std::ceil(fbox.x + fbox.width + mx)) - x0,
                      static_cast<int>(std::ceil(fbox.y + fbox.height + my)) - y0);
    } else {
      if (f > 1) {  // edges rounded to the nearest scaled pixel
        const int right = std::min((ibox.left + ibox.width + f / 2) / f, scaled_w);
        const int bottom = std::min((ibox.top + ibox.height + f / 2) / f, scaled_h);
        ibox.left = std::min((ibox.left + f / 2) / f, scaled_w - 1);
        ibox.top = std::min((ibox.top + f / 2) / f, scaled_h - 1);
        ibox.width = std::max(right - ibox.left, 1);
        ibox.height = std::max(bottom - ibox.top, 1);
      }
      need = cv::Rect(ibox.left, ibox.top, ibox.width, ibox.height);
    }
    need &= cv::Rect(0, 0, scaled_w, scaled_h);
    Expected<Decoded> decoded = decode(*bytes, header->format, f, need);
    if (!decoded.ok()) return Status::BadRecord(name + ": " + decoded.status().message());
    const cv::Mat& pixels = decoded->pixels;
    if ((decoded->x == 0 && decoded->y == 0 && !decoded->region &&
         (pixels.cols != scaled_w || pixels.rows != scaled_h)) ||
        need.x < decoded->x || need.y < decoded->y ||
        need.x + need.width > decoded->x + pixels.cols ||
        need.y + need.height > decoded->y + pixels.rows) {
      return Status::BadRecord(name + ": the decoded size differs from the header's");
    }
    cv::Mat out;
    if (subpixel) {
      const cv::Rect2d r(fbox.x - decoded->x, fbox.y - decoded->y, fbox.width, fbox.height);
      out = resample(pixels, r & cv::Rect2d(0, 0, pixels.cols, pixels.rows), crop_.width,
                     crop_.height, *filter);
    } else {
      ibox.left -= decoded->x;
      ibox.top -= decoded->y;
      out = crop_.resize(pixels, ibox);
    }
    if (decoded->swap_rb) cv::cvtColor(out, out, cv::COLOR_BGR2RGB);
    Expected<Tensor> t = image_tensor(out);
    if (!t.ok()) return t.status();
    record.set_tensor(image_, *t);
    return {};
  }

 private:
  struct Decoded {
    cv::Mat pixels;
    int x = 0, y = 0;      // where pixels(0, 0) is in the scaled image
    bool region = false;   // pixels are a region (else the whole scaled image)
    bool swap_rb = false;  // pixels are B G R where R G B was asked for
  };

  // A JPEG: the region `need` (at least) of the image scaled by 1/f, by libjpeg directly. Other
  // formats and CMYK JPEGs: the whole image by OpenCV (B G R for rgb: swapped on the output, as
  // resampling treats channels alike).
  Expected<Decoded> decode(std::string_view bytes, ImageFormat format, int f,
                           const cv::Rect& need) const {
    Decoded d;
    if (format == ImageFormat::kJpeg) {
      if (!jpeg_has_end_marker(bytes)) {
        return Status::BadRecord("truncated JPEG: no end-of-image marker after the scan data");
      }
      Expected<JpegRegion> r = decode_jpeg_region(bytes, mode_, f, need);
      if (r.ok()) {
        d.pixels = std::move(r->pixels);
        d.x = r->x;
        d.y = r->y;
        d.region = true;
        return d;
      }
      if (r.status().code() != SLUICE_UNSUPPORTED) return r.status();
    }
    DecodeOptions options;
    options.mode = mode_ == ColorMode::kRgb ? ColorMode::kBgr : mode_;
    options.max_pixels = max_pixels_;
    options.reduce = f;
    Expected<cv::Mat> image = decode_image(bytes, options);
    if (!image.ok()) return image.status();
    d.pixels = std::move(*image);
    d.swap_rb = mode_ == ColorMode::kRgb;
    return d;
  }

  EncodedInput input_;
  Field image_;
  uint64_t node_seed_ = 0;
  ColorMode mode_ = ColorMode::kRgb;
  int64_t max_pixels_ = 0;
  bool dct_scaling_ = true;
  CropParams crop_;
};

}  // namespace

void add_random_resized_crop(PluginBuilder& plugin) {
  plugin.op<RandomResizedCrop>();
  plugin.op<DecodeRandomResizedCrop>();
}

}  // namespace sluice::image
