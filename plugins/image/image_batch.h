// An image field as a batch of equal images, the unit the GPU path works on (one upload, one
// kernel launch per batch): an (H, W, C) or (H, W) tensor is one image, a (B, H, W, C) tensor is B
// images of one size, as core.batch stacks them. uint8 only. The CPU paths of image.resize and
// image.normalize take batches too, one image after another.
#pragma once

#include "image/gpu.h"

#include <sluice/sdk.hpp>

#include <opencv2/core.hpp>

#include <vector>

namespace sluice::image {

struct ImageBatch {
  Tensor tensor;  // holds the pixels view.data points into
  ImageBatchView view;
  bool batched = false;  // a 4-D tensor: results keep the batch dimension

  // Image i as a cv::Mat over the tensor's pixels (no copy), (H, W) of C channels.
  cv::Mat image(int64_t i) const;
  // The shape of a result whose images have `image_shape`: (B, *image_shape) when batched.
  std::vector<int64_t> result_shape(std::vector<int64_t> image_shape) const;
};

// Whether field `f` holds a tensor of more than 3 dimensions: a batch, or what read_image_batch
// rejects as neither an image nor a batch.
bool holds_batch(const Record& r, Field f);

// BAD_RECORD naming the field unless it holds a CPU uint8 tensor of 2, 3 or 4 dimensions as
// above, not empty, with sides below 2^31 and at most 512 channels (OpenCV's limit).
Expected<ImageBatch> read_image_batch(const Record& r, Field f);

}  // namespace sluice::image
