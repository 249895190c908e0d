// The `device` param of the ops with a CUDA path (image.resize, image.normalize): cpu, auto (the
// GPU when gpu_status() is OK and the op's settings run there, else the CPU) or cuda (the GPU; an
// error at load when there is none).
#pragma once

#include "image/gpu.h"

#include <sluice/sdk.hpp>

#include <memory>

namespace sluice::image {

ParamSpec device_param();

// INVALID_ARGUMENT for device: cuda when gpu_status() is not OK, saying why.
Status check_device(const Params& params);

// The GPU the op runs on, or null for the CPU. `gpu_capable`: whether the op's other params
// run on the GPU (cuda with false is refused by the op's check). Logs the choice at debug level.
Expected<std::unique_ptr<Gpu>> open_device(const Context& ctx, const Params& params,
                                           bool gpu_capable);

}  // namespace sluice::image
