// The CUDA backends of CachingAllocator: device memory (cudaMalloc) and page-locked host memory
// (cudaMallocHost), which asynchronous copies to and from the device need.
#pragma once

#include "cuda/caching_allocator.h"

#include <memory>

namespace sluice::cuda {

// Memory on `device`; allocate() makes it the calling thread's current device.
std::unique_ptr<MemoryBackend> device_memory(int device);

// Pinned host memory, usable from every device.
std::unique_ptr<MemoryBackend> pinned_host_memory();

}  // namespace sluice::cuda
