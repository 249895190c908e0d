#include "train/cv_rows.h"

#include "nn/layer.h"

#include <cstring>

namespace sluice::train {
namespace {

std::string layout(sluice_dtype dtype, const std::vector<int64_t>& shape) {
  return std::string(dtype_name(dtype)) + " " + nn::shape_text(shape);
}

}  // namespace

void CvRows::reset(const Tensor& input, int64_t targets) {
  dtype_ = input.dtype();
  shape_ = input.shape();
  row_bytes_ = input.nbytes();
  targets_ = targets;
  rows_ = 0;
  data_.clear();
  classes_.clear();
  target_data_.clear();
}

Status CvRows::check_input(const Tensor& input) const {
  if (!input.on_cpu() || input.dtype() != dtype_ || input.shape() != shape_) {
    return Status::BadRecord(
        "input: expected a CPU tensor " + layout(dtype_, shape_) + " as the first row's, found " +
        (input.on_cpu() ? "" : "one on a device, ") + layout(input.dtype(), input.shape()));
  }
  return {};
}

void CvRows::append_input(const Tensor& input) {
  const char* bytes = static_cast<const char*>(input.data());
  data_.insert(data_.end(), bytes, bytes + row_bytes_);
  ++rows_;
}

void CvRows::append(const Tensor& input, int64_t class_id) {
  append_input(input);
  classes_.push_back(class_id);
}

void CvRows::append(const Tensor& input, const float* targets) {
  append_input(input);
  target_data_.insert(target_data_.end(), targets, targets + targets_);
}

Expected<Tensor> CvRows::inputs(const std::vector<int64_t>& rows, size_t begin, size_t end) const {
  std::vector<int64_t> shape{static_cast<int64_t>(end - begin)};
  shape.insert(shape.end(), shape_.begin(), shape_.end());
  Expected<Tensor> t = Tensor::zeros(dtype_, shape);
  if (!t.ok()) return t;
  char* out = static_cast<char*>(t->data());
  for (size_t i = begin; i < end; ++i, out += row_bytes_) {
    std::memcpy(out, data_.data() + static_cast<size_t>(rows[i]) * row_bytes_, row_bytes_);
  }
  return t;
}

Expected<Tensor> CvRows::labels(const std::vector<int64_t>& rows, size_t begin, size_t end) const {
  const auto count = static_cast<int64_t>(end - begin);
  if (!regression()) {
    Expected<Tensor> t = Tensor::zeros(SLUICE_DTYPE_INT64, {count});
    if (!t.ok()) return t;
    int64_t* out = t->data_as<int64_t>();
    for (size_t i = begin; i < end; ++i) *out++ = classes_[static_cast<size_t>(rows[i])];
    return t;
  }
  Expected<Tensor> t = Tensor::zeros(SLUICE_DTYPE_FLOAT32, {count, targets_});
  if (!t.ok()) return t;
  float* out = t->data_as<float>();
  for (size_t i = begin; i < end; ++i, out += targets_) {
    std::memcpy(out, target_data_.data() + static_cast<size_t>(rows[i] * targets_),
                static_cast<size_t>(targets_) * sizeof(float));
  }
  return t;
}

}  // namespace sluice::train
