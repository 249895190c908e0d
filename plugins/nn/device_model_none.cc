// nn/device_model.h in a build without CUDA kernels (SLUICE_CUDA=off, no nvcc, or a sanitizer
// build).
#include "nn/device_model.h"

namespace sluice::nn {

Status gpu_status() {
  return Status::Unsupported(
      "this build of the nn plugin has no CUDA kernels (it was configured without nvcc, with "
      "SLUICE_CUDA=off or with sanitizers)");
}

Expected<std::unique_ptr<DeviceModel>> DeviceModel::open(Model&, std::vector<DeviceLayer>,
                                                         MatmulPrecision) {
  return gpu_status();
}

}  // namespace sluice::nn
