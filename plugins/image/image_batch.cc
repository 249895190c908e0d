#include "image/image_batch.h"

#include <string>

namespace sluice::image {

cv::Mat ImageBatch::image(int64_t i) const {
  const size_t bytes = static_cast<size_t>(view.height) * view.width * view.channels;
  return cv::Mat(view.height, view.width, CV_8UC(view.channels),
                 const_cast<uint8_t*>(view.data) + static_cast<size_t>(i) * bytes);
}

std::vector<int64_t> ImageBatch::result_shape(std::vector<int64_t> image_shape) const {
  if (batched) image_shape.insert(image_shape.begin(), view.count);
  return image_shape;
}

bool holds_batch(const Record& r, Field f) {
  Expected<Tensor> t = r.get_tensor(f);
  return t.ok() && t->ndim() > 3;
}

Expected<ImageBatch> read_image_batch(const Record& r, Field f) {
  Expected<Tensor> t = r.get_tensor(f);
  if (!t.ok()) return t.status();
  const std::string name = std::string("field '") + f.name() + "': ";
  if (!t->on_cpu()) return Status::BadRecord(name + "expected a CPU image tensor");
  if (t->dtype() != SLUICE_DTYPE_UINT8) {
    return Status::BadRecord(name + "expected a uint8 image tensor, found " +
                             dtype_name(t->dtype()));
  }
  const int nd = t->ndim();
  if (nd < 2 || nd > 4) {
    return Status::BadRecord(name + "expected an image (H, W, C) or a batch (B, H, W, C), found " +
                             std::to_string(nd) + " dimensions");
  }
  const bool batched = nd == 4;
  const int first = batched ? 1 : 0;
  const int64_t b = batched ? t->dim(0) : 1, h = t->dim(first), w = t->dim(first + 1);
  const int64_t c = nd - first == 3 ? t->dim(first + 2) : 1;
  if (b <= 0 || h <= 0 || w <= 0 || c <= 0 || h > INT32_MAX || w > INT32_MAX || c > CV_CN_MAX) {
    return Status::BadRecord(name + "empty or oversized image tensor");
  }
  ImageBatch out;
  out.view = ImageBatchView{static_cast<const uint8_t*>(t->data()), b, static_cast<int>(h),
                            static_cast<int>(w), static_cast<int>(c)};
  out.batched = batched;
  out.tensor = std::move(*t);
  return out;
}

}  // namespace sluice::image
