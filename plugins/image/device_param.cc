#include "image/device_param.h"

#include <string>

namespace sluice::image {

ParamSpec device_param() {
  return ParamSpec::String("device",
                           "Where to run: cpu; cuda (the first CUDA device; an error at load when "
                           "the machine has none or this build has no CUDA kernels); or auto (the "
                           "CUDA device when there is one and the op's settings run there, else "
                           "the CPU). The CUDA kernels compute each value as the CPU path does "
                           "(resize within 1 on 0-255, normalize within 1e-5); results land in "
                           "CPU memory. The default is cpu until the CUDA path has been checked "
                           "on a GPU.")
      .choices({"cpu", "auto", "cuda"})
      .default_value("cpu");
}

Status check_device(const Params& params) {
  if (params.get<std::string>("device") != "cuda") return {};
  Status s = gpu_status();
  if (s.ok()) return {};
  return Status::Invalid("param 'device': expected a usable CUDA device for device: cuda, " +
                         ("found none: " + s.message()) + "; use device: cpu or auto");
}

Expected<std::unique_ptr<Gpu>> open_device(const Context& ctx, const Params& params,
                                           bool gpu_capable) {
  const std::string device = params.get<std::string>("device");
  if (device == "cpu") return std::unique_ptr<Gpu>();
  if (device == "auto") {
    if (!gpu_capable) {
      ctx.log(SLUICE_LOG_DEBUG, "device auto: on the CPU (these settings have no CUDA kernel)");
      return std::unique_ptr<Gpu>();
    }
    if (Status s = gpu_status(); !s.ok()) {
      ctx.log(SLUICE_LOG_DEBUG, "device auto: on the CPU (" + s.message() + ")");
      return std::unique_ptr<Gpu>();
    }
  }
  Expected<std::unique_ptr<Gpu>> gpu = open_gpu();
  if (!gpu.ok()) {
    if (device == "auto") {
      ctx.log(SLUICE_LOG_WARN,
              "device auto: on the CPU, the CUDA device did not open: " + gpu.status().message());
      return std::unique_ptr<Gpu>();
    }
    return gpu.status();
  }
  ctx.log(SLUICE_LOG_DEBUG, "device " + device + ": on " + (*gpu)->name());
  return gpu;
}

}  // namespace sluice::image
