// Whether this process can run CUDA kernels, and on what. sluice's `cuda` is device 0 (the first
// of CUDA_VISIBLE_DEVICES).
#pragma once

#include <sluice/status.hpp>

#include <string>

namespace sluice::cuda {

// OK when device 0 exists and runs this build's kernels. Otherwise UNSUPPORTED with "no CUDA
// device: <why>": the runtime's answer (no driver, a driver older than the runtime, no device,
// CUDA_VISIBLE_DEVICES empty, ...), or a device this build has no code for (see
// CMAKE_CUDA_ARCHITECTURES). The first call asks the runtime (cudaGetDeviceCount, then it loads a
// probe kernel, which creates the device's primary context); later calls return the same answer.
// Never crashes for want of a driver or a device. Thread-safe.
Status device_status();

// Device 0 as "cuda:0 (<name>, compute <major>.<minor>, <memory> MiB)"; empty unless
// device_status() is OK.
const std::string& device_description();

}  // namespace sluice::cuda
