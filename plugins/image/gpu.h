// The image plugin's CUDA path as the ops see it. Plain C++ (no CUDA headers): image/cuda/gpu.cc
// implements it in builds with CUDA kernels, image/gpu_none.cc in builds without.
#pragma once

#include "image/resize_plan.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace sluice::image {

// `count` uint8 images of height x width x channels, one after another in host memory: a
// (B, H, W, C) batch, or one (H, W, C) image.
struct ImageBatchView {
  const uint8_t* data = nullptr;
  int64_t count = 0;
  int height = 0, width = 0, channels = 0;
};

// OK when ops can run on the GPU: the build has the kernels and the machine a device that runs
// them. Otherwise why not: "this build of the image plugin has no CUDA kernels (...)" or
// cuda::device_status()'s "no CUDA device: ...". Asks once; thread-safe.
Status gpu_status();

// The GPU of one op instance: its streams and memory caches. Thread-safe: concurrent calls run on
// different streams; each returns when dst is written (or with the error that stopped it: a CUDA
// error naming the call, OUT_OF_MEMORY naming the size).
class Gpu {
 public:
  virtual ~Gpu() = default;
  // The device, as "cuda:0 (<name>, compute <x.y>, <memory> MiB)".
  virtual const std::string& name() const = 0;
  // dst: (count, out.height, out.width, channels) uint8, each image of src resized as `plan`
  // says; plan.in must be src's size.
  virtual Status resize(const ImageBatchView& src, const ResizePlan& plan, uint8_t* dst) = 0;
  // dst: (count, channels, height, width) float32, dst[b][c][y][x] = src[b][y][x][c] * scale[c] +
  // shift[c] (channels values each, from chw_coefficients), as to_chw_float.
  virtual Status to_chw_float(const ImageBatchView& src, const float* scale, const float* shift,
                              float* dst) = 0;
};

// A Gpu on device 0; gpu_status()'s error when there is none.
Expected<std::unique_ptr<Gpu>> open_gpu();

}  // namespace sluice::image
