#include "cuda/caching_allocator.h"

#include <bit>
#include <limits>
#include <string>
#include <utility>

namespace sluice::cuda {

CachingAllocator::Block::Block(Block&& o) noexcept
    : owner_(std::exchange(o.owner_, nullptr)),
      data_(std::exchange(o.data_, nullptr)),
      size_(std::exchange(o.size_, 0)) {}

CachingAllocator::Block& CachingAllocator::Block::operator=(Block&& o) noexcept {
  if (this != &o) {
    reset();
    owner_ = std::exchange(o.owner_, nullptr);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

CachingAllocator::Block::~Block() { reset(); }

void CachingAllocator::Block::reset() noexcept {
  if (owner_ != nullptr) owner_->give_back(data_, size_);
  owner_ = nullptr;
  data_ = nullptr;
  size_ = 0;
}

CachingAllocator::CachingAllocator(std::unique_ptr<MemoryBackend> backend)
    : backend_(std::move(backend)) {}

CachingAllocator::~CachingAllocator() {
  std::lock_guard<std::mutex> lock(mu_);
  release_cached_locked();
}

size_t CachingAllocator::bucket_size(size_t bytes) {
  if (bytes <= kMinBucket) return kMinBucket;
  const size_t floor = std::bit_floor(bytes);
  if (floor == bytes) return bytes;
  const size_t step = std::max(floor / 4, kMinBucket);
  if (bytes > std::numeric_limits<size_t>::max() - (step - 1)) return 0;
  return (bytes + step - 1) / step * step;
}

Expected<CachingAllocator::Block> CachingAllocator::allocate(size_t bytes) {
  const size_t size = bucket_size(bytes);
  if (size == 0) {
    return Status::OutOfMemory("caching allocator: " + std::to_string(bytes) +
                               " bytes requested, more than can be addressed");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = free_.find(size);
  if (it != free_.end() && !it->second.empty()) {
    void* data = it->second.back();
    it->second.pop_back();
    stats_.cached_bytes -= size;
    stats_.in_use_bytes += size;
    return Block(this, data, size);
  }
  Expected<void*> data = backend_->allocate(size);
  if (!data.ok() && data.status().code() == SLUICE_OUT_OF_MEMORY && stats_.cached_bytes > 0) {
    release_cached_locked();
    data = backend_->allocate(size);
  }
  if (!data.ok()) return data.status();
  ++stats_.backend_allocations;
  stats_.in_use_bytes += size;
  return Block(this, *data, size);
}

void CachingAllocator::give_back(void* data, size_t size) noexcept {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.in_use_bytes -= size;
  try {
    free_[size].push_back(data);
    stats_.cached_bytes += size;
  } catch (...) {  // no memory for the free list: the block goes back to the backend instead
    backend_->release(data, size);
    ++stats_.backend_releases;
  }
}

void CachingAllocator::release_cached() {
  std::lock_guard<std::mutex> lock(mu_);
  release_cached_locked();
}

void CachingAllocator::release_cached_locked() noexcept {
  for (auto& [size, blocks] : free_) {
    for (void* data : blocks) {
      backend_->release(data, size);
      ++stats_.backend_releases;
    }
    stats_.cached_bytes -= size * blocks.size();
  }
  free_.clear();
}

CachingAllocator::Stats CachingAllocator::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace sluice::cuda
