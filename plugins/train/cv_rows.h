// The rows train.cross_validate holds until the end of its stream: each row's model input (of
// the first row's dtype and shape) and its label (a class id, or float32 regression targets), in
// stream order, and batches of any of them as tensors for a model. Not thread-safe to fill; once
// filled, batches may be taken from several threads at once.
#pragma once

#include <sluice/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::train {

class CvRows {
 public:
  // Empties the table and fixes the layout of every row: `input` is the first row's input;
  // `targets`, the number of float32 targets per row, is 0 for class labels.
  void reset(const Tensor& input, int64_t targets);
  int64_t size() const { return rows_; }
  bool regression() const { return targets_ > 0; }
  int64_t targets() const { return targets_; }
  // The class id of each row (class labels).
  const std::vector<int64_t>& class_ids() const { return classes_; }

  // OK when `input` has the layout of the first row; otherwise a BAD_RECORD saying both.
  Status check_input(const Tensor& input) const;
  // Appends a row whose input passed check_input: a class id, or `targets` float32 values.
  void append(const Tensor& input, int64_t class_id);
  void append(const Tensor& input, const float* targets);

  // The inputs, (B, *row shape), and labels, int64 (B) or float32 (B, targets), of the rows
  // rows[begin, end).
  Expected<Tensor> inputs(const std::vector<int64_t>& rows, size_t begin, size_t end) const;
  Expected<Tensor> labels(const std::vector<int64_t>& rows, size_t begin, size_t end) const;

 private:
  void append_input(const Tensor& input);

  sluice_dtype dtype_ = SLUICE_DTYPE_ANY;
  std::vector<int64_t> shape_;
  size_t row_bytes_ = 0;
  int64_t targets_ = 0;
  int64_t rows_ = 0;
  std::vector<char> data_;          // rows_ * row_bytes_
  std::vector<int64_t> classes_;    // a class id per row (class labels)
  std::vector<float> target_data_;  // rows_ * targets_ (regression)
};

}  // namespace sluice::train
