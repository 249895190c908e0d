// CUDA work from many threads: a job (uploads, kernel launches, downloads) runs on one stream of a
// pool, so jobs from different threads overlap on the device; copies go through pinned staging
// buffers, so host memory of any kind can be the source or destination.
//
//   Status s = pool.run([&](Stream& st) -> Status {
//     Expected<void*> in = st.device_buffer(n);
//     if (!in.ok()) return in.status();
//     SLUICE_RETURN_IF_ERROR(st.upload(host_in, n, *in));
//     ...  // launch kernels on st.get(), then st.download(device_out, m, host_out)
//     return {};
//   });  // host_out is written when run returns OK
#pragma once

#include "cuda/caching_allocator.h"

#include <cuda_runtime_api.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::cuda {

// One stream and the buffers of the job it runs. Used by one thread at a time (the one in
// StreamPool::run).
class Stream {
 public:
  Stream(cudaStream_t stream, CachingAllocator& device_memory, CachingAllocator& pinned);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  cudaStream_t get() const { return stream_; }

  // `bytes` of device memory, valid until the job ends (256-byte aligned, as cudaMalloc's).
  Expected<void*> device_buffer(size_t bytes);
  // Queues the copy of `bytes` of host memory at `src` to device memory `dst`. src is first copied
  // into a pinned staging buffer, so it may change once this returns.
  Status upload(const void* src, size_t bytes, void* dst);
  // Queues the copy of `bytes` of device memory at `src` to host memory `dst` (through a pinned
  // staging buffer). dst is written when the job ends, if it ends without error.
  Status download(const void* src, size_t bytes, void* dst);

 private:
  friend class StreamPool;
  // Waits for the stream, copies the downloads out when `copy_out` (the job ended without error)
  // and gives every buffer of the job back.
  Status finish(bool copy_out);

  struct Download {
    const void* staging;
    void* dst;
    size_t bytes;
  };
  cudaStream_t stream_;
  CachingAllocator& device_memory_;
  CachingAllocator& pinned_;
  std::vector<CachingAllocator::Block> buffers_;  // device and staging buffers of the job
  std::vector<Download> downloads_;
};

class StreamPool {
 public:
  // A pool on `device`, whose streams (made as jobs need them: as many as run at once) share one
  // device memory cache and one pinned memory cache. The error of cuda::device_status() when the
  // device cannot be used.
  static Expected<std::unique_ptr<StreamPool>> open(int device);
  // Destroys the streams, then releases the cached memory. No job may be running.
  ~StreamPool();
  StreamPool(const StreamPool&) = delete;
  StreamPool& operator=(const StreamPool&) = delete;

  // Runs job(stream) on a free stream with the pool's device current, then waits for the stream,
  // completes the downloads and gives the job's buffers back (also when the job failed). Returns
  // the job's error, else the wait's. Thread-safe: concurrent runs get different streams.
  Status run(const std::function<Status(Stream&)>& job);

  int device() const { return device_; }
  CachingAllocator::Stats device_memory_stats() const { return device_memory_.stats(); }
  CachingAllocator::Stats pinned_memory_stats() const { return pinned_.stats(); }

 private:
  explicit StreamPool(int device);
  Expected<std::unique_ptr<Stream>> take();
  void put(std::unique_ptr<Stream> stream);

  int device_;
  CachingAllocator device_memory_;
  CachingAllocator pinned_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Stream>> free_;  // destroyed before the caches they use
};

}  // namespace sluice::cuda
