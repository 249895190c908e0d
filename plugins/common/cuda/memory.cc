#include "cuda/memory.h"

#include "cuda/cuda_status.h"

#include <cuda_runtime_api.h>

#include <string>

namespace sluice::cuda {
namespace {

class DeviceMemory : public MemoryBackend {
 public:
  explicit DeviceMemory(int device) : device_(device) {}
  Expected<void*> allocate(size_t bytes) override {
    SLUICE_CUDA_RETURN_IF_ERROR(cudaSetDevice(device_));
    void* data = nullptr;
    Status s = SLUICE_CUDA_CHECK(cudaMalloc(&data, bytes));
    if (!s.ok()) {
      return Status(s.code(), s.message() + " (" + std::to_string(bytes) +
                                  " bytes on cuda:" + std::to_string(device_) + ")");
    }
    return data;
  }
  void release(void* data, size_t) noexcept override {
    // Fails only when the context is gone (process exit): nothing to do then. The error is
    // cleared, so the next launch's check does not report it as its own.
    if (cudaFree(data) != cudaSuccess) (void)cudaGetLastError();
  }

 private:
  int device_;
};

class PinnedHostMemory : public MemoryBackend {
 public:
  Expected<void*> allocate(size_t bytes) override {
    void* data = nullptr;
    Status s = SLUICE_CUDA_CHECK(cudaMallocHost(&data, bytes));
    if (!s.ok()) {
      return Status(s.code(), s.message() + " (" + std::to_string(bytes) + " bytes pinned)");
    }
    return data;
  }
  void release(void* data, size_t) noexcept override {
    if (cudaFreeHost(data) != cudaSuccess) (void)cudaGetLastError();  // as DeviceMemory's
  }
};

}  // namespace

std::unique_ptr<MemoryBackend> device_memory(int device) {
  return std::make_unique<DeviceMemory>(device);
}

std::unique_ptr<MemoryBackend> pinned_host_memory() { return std::make_unique<PinnedHostMemory>(); }

}  // namespace sluice::cuda
