#include "cuda/stream.h"

#include "cuda/cuda_status.h"
#include "cuda/device.h"
#include "cuda/memory.h"

#include <cstring>
#include <string>
#include <utility>

namespace sluice::cuda {

Stream::Stream(cudaStream_t stream, CachingAllocator& device_memory, CachingAllocator& pinned)
    : stream_(stream), device_memory_(device_memory), pinned_(pinned) {}

Stream::~Stream() {
  // A failure (the context gone at exit) is cleared, so no later launch reports it as its own.
  if (cudaStreamDestroy(stream_) != cudaSuccess) (void)cudaGetLastError();
}

Expected<void*> Stream::device_buffer(size_t bytes) {
  Expected<CachingAllocator::Block> block = device_memory_.allocate(bytes);
  if (!block.ok()) return block.status();
  buffers_.push_back(std::move(*block));
  return buffers_.back().data();
}

Status Stream::upload(const void* src, size_t bytes, void* dst) {
  if (bytes == 0) return {};
  Expected<CachingAllocator::Block> block = pinned_.allocate(bytes);
  if (!block.ok()) return block.status();
  // Kept before the copy is queued, so it is not reused before the copy is done.
  buffers_.push_back(std::move(*block));
  void* staging = buffers_.back().data();
  std::memcpy(staging, src, bytes);
  return SLUICE_CUDA_CHECK(cudaMemcpyAsync(dst, staging, bytes, cudaMemcpyHostToDevice, stream_));
}

Status Stream::download(const void* src, size_t bytes, void* dst) {
  if (bytes == 0) return {};
  Expected<CachingAllocator::Block> block = pinned_.allocate(bytes);
  if (!block.ok()) return block.status();
  buffers_.push_back(std::move(*block));
  void* staging = buffers_.back().data();
  downloads_.push_back(Download{staging, dst, bytes});
  return SLUICE_CUDA_CHECK(cudaMemcpyAsync(staging, src, bytes, cudaMemcpyDeviceToHost, stream_));
}

Status Stream::finish(bool copy_out) {
  Status s = SLUICE_CUDA_CHECK(cudaStreamSynchronize(stream_));
  if (s.ok() && copy_out) {
    for (const Download& d : downloads_) std::memcpy(d.dst, d.staging, d.bytes);
  }
  downloads_.clear();
  buffers_.clear();
  return s;
}

StreamPool::StreamPool(int device)
    : device_(device), device_memory_(device_memory(device)), pinned_(pinned_host_memory()) {}

StreamPool::~StreamPool() = default;

Expected<std::unique_ptr<StreamPool>> StreamPool::open(int device) {
  SLUICE_RETURN_IF_ERROR(device_status());
  int count = 0;
  SLUICE_CUDA_RETURN_IF_ERROR(cudaGetDeviceCount(&count));
  if (device < 0 || device >= count) {
    return Status::Invalid("CUDA device: expected an index below " + std::to_string(count) +
                           ", found " + std::to_string(device));
  }
  return std::unique_ptr<StreamPool>(new StreamPool(device));
}

Expected<std::unique_ptr<Stream>> StreamPool::take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      std::unique_ptr<Stream> s = std::move(free_.back());
      free_.pop_back();
      return s;
    }
  }
  cudaStream_t stream = nullptr;
  SLUICE_CUDA_RETURN_IF_ERROR(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  try {
    return std::make_unique<Stream>(stream, device_memory_, pinned_);
  } catch (...) {
    (void)cudaStreamDestroy(stream);
    throw;
  }
}

void StreamPool::put(std::unique_ptr<Stream> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(stream));
}

Status StreamPool::run(const std::function<Status(Stream&)>& job) {
  SLUICE_CUDA_RETURN_IF_ERROR(cudaSetDevice(device_));
  Expected<std::unique_ptr<Stream>> taken = take();
  if (!taken.ok()) return taken.status();
  std::unique_ptr<Stream> stream = std::move(*taken);
  Status job_status;
  try {
    job_status = job(*stream);
  } catch (...) {  // the job's copies end before its buffers go back
    (void)stream->finish(false);
    put(std::move(stream));
    throw;
  }
  Status finished = stream->finish(job_status.ok());
  put(std::move(stream));
  return job_status.ok() ? finished : job_status;
}

}  // namespace sluice::cuda
