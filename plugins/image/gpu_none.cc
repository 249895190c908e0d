// image/gpu.h in a build without CUDA kernels (SLUICE_CUDA=off, no nvcc, or a sanitizer build).
#include "image/gpu.h"

namespace sluice::image {

Status gpu_status() {
  return Status::Unsupported(
      "this build of the image plugin has no CUDA kernels (it was configured without nvcc, with "
      "SLUICE_CUDA=off or with sanitizers)");
}

Expected<std::unique_ptr<Gpu>> open_gpu() { return gpu_status(); }

}  // namespace sluice::image
