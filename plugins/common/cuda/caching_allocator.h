// A caching allocator over a memory backend (device memory, pinned host memory): a block given
// back goes to a free list by size bucket and is handed out again for a request of that bucket,
// so steady work makes no backend calls (cudaMalloc and cudaFree synchronise the device, and
// pinning host memory is slow). Plain C++: the backend is the only part that knows about CUDA, and
// tests put a fake one in its place.
//
// Buckets: a request is rounded up to a multiple of 512 bytes below 2 KiB, above that to one of
// four steps per power of two (at most 25% over): 1000 -> 1024, 5000 -> 5120, 1 MiB + 1 ->
// 1.25 MiB. When the backend has no memory left, every cached block is released and the request
// tried once more.
//
// Thread-safe. A Block must not outlive its allocator; the allocator's destructor releases the
// cached blocks (blocks still handed out are not its to free, and stay allocated).
#pragma once

#include <sluice/status.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::cuda {

// Where a CachingAllocator gets its memory. Called with the allocator's lock held.
class MemoryBackend {
 public:
  virtual ~MemoryBackend() = default;
  // `bytes` (> 0) of memory; OUT_OF_MEMORY when there is none left, another error otherwise.
  virtual Expected<void*> allocate(size_t bytes) = 0;
  // Frees memory from allocate(bytes); failures are the backend's to swallow.
  virtual void release(void* data, size_t bytes) noexcept = 0;
};

class CachingAllocator {
 public:
  // Memory from the allocator; gives it back when destroyed. Move-only.
  class Block {
   public:
    Block() = default;
    Block(Block&& o) noexcept;
    Block& operator=(Block&& o) noexcept;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    ~Block();
    void* data() const { return data_; }
    size_t size() const { return size_; }  // the bucket size, >= the request

   private:
    friend class CachingAllocator;
    Block(CachingAllocator* owner, void* data, size_t size)
        : owner_(owner), data_(data), size_(size) {}
    void reset() noexcept;
    CachingAllocator* owner_ = nullptr;
    void* data_ = nullptr;
    size_t size_ = 0;
  };

  struct Stats {
    size_t in_use_bytes = 0;  // in blocks handed out
    size_t cached_bytes = 0;  // in free lists
    uint64_t backend_allocations = 0;
    uint64_t backend_releases = 0;
  };

  static constexpr size_t kMinBucket = 512;

  explicit CachingAllocator(std::unique_ptr<MemoryBackend> backend);
  ~CachingAllocator();
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  // A block of at least `bytes` (0 gives the smallest bucket). OUT_OF_MEMORY naming the size when
  // the backend has none even after the cache is released, or when the bucket would not fit in
  // size_t; other backend errors as they come.
  Expected<Block> allocate(size_t bytes);

  // Releases every cached block to the backend.
  void release_cached();

  Stats stats() const;

  // The bucket a request of `bytes` is rounded up to; 0 when it does not fit in size_t.
  static size_t bucket_size(size_t bytes);

 private:
  void give_back(void* data, size_t size) noexcept;
  void release_cached_locked() noexcept;

  std::unique_ptr<MemoryBackend> backend_;
  mutable std::mutex mu_;
  std::map<size_t, std::vector<void*>> free_;  // bucket size -> free blocks
  Stats stats_;
};

}  // namespace sluice::cuda
