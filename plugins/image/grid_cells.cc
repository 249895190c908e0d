// image.grid_cells: a sheet of equal cells (e.g. digits.png) as one record per cell.
#include "image/codec.h"
#include "image/image_field.h"
#include "image/ops.h"

#include <fstream>
#include <sstream>

namespace sluice::image {
namespace {

constexpr int kCellsPerProduce = 64;

class GridCells : public Source {
 public:
  static OpSchema schema() {
    return OpSchema("image.grid_cells")
        .doc(
            "Decodes the sheet at `path` (as image.decode with `mode`) and cuts it into "
            "`cell_width` x `cell_height` cells, emitted row by row, left to right; a partial "
            "cell at the right or bottom edge is dropped. Each record has `image` (H, W, C) "
            "uint8, `row` and `col` (the cell's grid position), `index` (row-major) and, with "
            "`label_rows`, `label` = row / label_rows (int): for OpenCV's digits.png, 20x20 "
            "cells with label_rows 5 give digits 0..9, 500 each.")
        .source()
        .output("image", SLUICE_KIND_TENSOR, "The cell's pixels", SLUICE_DTYPE_UINT8)
        .output("row", SLUICE_KIND_INT, "Grid row of the cell")
        .output("col", SLUICE_KIND_INT, "Grid column of the cell")
        .output("index", SLUICE_KIND_INT, "row * columns + col")
        .output("label", SLUICE_KIND_INT, "With label_rows: row / label_rows")
        .param(ParamSpec::String("path", "The sheet image"))
        .param(side_param("cell_width", "Cell width in pixels"))
        .param(side_param("cell_height", "Cell height in pixels (default: cell_width)").optional())
        .param(ParamSpec::Int("label_rows", "Grid rows per label").range(1, INT32_MAX).optional())
        .param(ParamSpec::String("mode", "rgb, bgr or gray")
                   .choices({"rgb", "bgr", "gray"})
                   .default_value("gray"))
        .param(ParamSpec::Int("max_pixels", "Largest sheet width * height accepted")
                   .min(1)
                   .default_value(int64_t{1} << 28));
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    for (const char* p : {"image", "row", "col", "index"}) {
      fields.put(ctx.port(p), std::string(p) == "image" ? SLUICE_KIND_TENSOR : SLUICE_KIND_INT);
    }
    if (params.has("label_rows")) fields.put(ctx.port("label"), SLUICE_KIND_INT);
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    image_ = ctx.port("image");
    row_ = ctx.port("row");
    col_ = ctx.port("col");
    index_ = ctx.port("index");
    label_ = ctx.port("label");
    const auto path = params.get<std::string>("path");
    cell_w_ = static_cast<int>(params.get<int64_t>("cell_width"));
    cell_h_ = static_cast<int>(params.get_optional<int64_t>("cell_height").value_or(cell_w_));
    label_rows_ = static_cast<int>(params.get_optional<int64_t>("label_rows").value_or(0));
    DecodeOptions options;
    const auto mode = params.get<std::string>("mode");
    options.mode = mode == "rgb"   ? ColorMode::kRgb
                   : mode == "bgr" ? ColorMode::kBgr
                                   : ColorMode::kGray;
    options.max_pixels = params.get<int64_t>("max_pixels");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound("image.grid_cells: cannot open '" + path + "'");
    std::ostringstream data;
    data << in.rdbuf();
    Expected<cv::Mat> sheet = decode_image(data.str(), options);
    if (!sheet.ok()) return Status::Invalid("'" + path + "': " + sheet.status().message());
    sheet_ = std::move(*sheet);
    cols_ = sheet_.cols / cell_w_;
    rows_ = sheet_.rows / cell_h_;
    ctx.metric("cells", static_cast<double>(rows_) * cols_);
    return {};
  }

  Status produce(Emitter& out, bool& done) override {
    const int64_t total = static_cast<int64_t>(rows_) * cols_;
    for (int i = 0; i < kCellsPerProduce && next_ < total; ++i, ++next_) {
      const int row = static_cast<int>(next_ / cols_), col = static_cast<int>(next_ % cols_);
      Expected<Tensor> cell =
          image_tensor(sheet_(cv::Rect(col * cell_w_, row * cell_h_, cell_w_, cell_h_)).clone());
      if (!cell.ok()) return cell.status();
      OwnedRecord r;
      r.set_tensor(image_, *cell);
      r.set_int(row_, row);
      r.set_int(col_, col);
      r.set_int(index_, next_);
      if (label_rows_ > 0) r.set_int(label_, row / label_rows_);
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
    }
    done = next_ == total;
    return {};
  }

  int64_t size_hint() const override { return static_cast<int64_t>(rows_) * cols_; }

 private:
  Field image_, row_, col_, index_, label_;
  int cell_w_ = 0, cell_h_ = 0, label_rows_ = 0, rows_ = 0, cols_ = 0;
  cv::Mat sheet_;
  int64_t next_ = 0;
};

}  // namespace

void add_grid_cells(PluginBuilder& plugin) { plugin.op<GridCells>(); }

}  // namespace sluice::image
