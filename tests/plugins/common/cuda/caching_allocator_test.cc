// CachingAllocator over a fake backend (malloc with a capacity, counting its calls): buckets,
// reuse, the retry after out-of-memory, release on destruction, and many threads at once.
#include "cuda/caching_allocator.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

using sluice::Expected;
using sluice::Status;
using sluice::cuda::CachingAllocator;

namespace {

// What the fake backend did; shared so it outlives the allocator.
struct Ledger {
  std::atomic<size_t> live_bytes{0};
  std::atomic<int> allocations{0}, releases{0};
};

class FakeBackend : public sluice::cuda::MemoryBackend {
 public:
  FakeBackend(std::shared_ptr<Ledger> ledger, size_t capacity)
      : ledger_(std::move(ledger)), capacity_(capacity) {}
  Expected<void*> allocate(size_t bytes) override {
    if (ledger_->live_bytes + bytes > capacity_) {
      return Status::OutOfMemory("fake: " + std::to_string(bytes) + " bytes do not fit");
    }
    void* p = std::malloc(bytes);
    if (p == nullptr) return Status::OutOfMemory("malloc");
    ledger_->live_bytes += bytes;
    ++ledger_->allocations;
    return p;
  }
  void release(void* data, size_t bytes) noexcept override {
    std::free(data);
    ledger_->live_bytes -= bytes;
    ++ledger_->releases;
  }

 private:
  std::shared_ptr<Ledger> ledger_;
  size_t capacity_;
};

std::unique_ptr<CachingAllocator> make(const std::shared_ptr<Ledger>& ledger,
                                       size_t capacity = size_t{1} << 30) {
  return std::make_unique<CachingAllocator>(std::make_unique<FakeBackend>(ledger, capacity));
}

}  // namespace

TEST_CASE("buckets: 512-byte steps up to 2 KiB, then four per power of two", "[cuda_runtime]") {
  CHECK(CachingAllocator::bucket_size(0) == 512);
  CHECK(CachingAllocator::bucket_size(1) == 512);
  CHECK(CachingAllocator::bucket_size(512) == 512);
  CHECK(CachingAllocator::bucket_size(513) == 1024);
  CHECK(CachingAllocator::bucket_size(1000) == 1024);
  CHECK(CachingAllocator::bucket_size(1536) == 1536);
  CHECK(CachingAllocator::bucket_size(2048) == 2048);
  CHECK(CachingAllocator::bucket_size(2049) == 2560);
  CHECK(CachingAllocator::bucket_size(5000) == 5120);
  CHECK(CachingAllocator::bucket_size(size_t{1} << 20) == size_t{1} << 20);
  CHECK(CachingAllocator::bucket_size((size_t{1} << 20) + 1) == (size_t{5} << 18));
  CHECK(CachingAllocator::bucket_size(std::numeric_limits<size_t>::max()) == 0);
  // Never less than asked, at most 25% (or 512 bytes) more.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const size_t n = rng() >> (rng() % 62);
    const size_t b = CachingAllocator::bucket_size(n);
    if (b == 0) {  // rounding up would overflow
      REQUIRE(n > std::numeric_limits<size_t>::max() / 2);
      continue;
    }
    REQUIRE(b >= n);
    REQUIRE(b - n <= std::max<size_t>(n / 4, 512));
  }
}

TEST_CASE("a block given back is handed out again for its bucket", "[cuda_runtime]") {
  auto ledger = std::make_shared<Ledger>();
  auto alloc = make(ledger);
  void* first = nullptr;
  {
    Expected<CachingAllocator::Block> b = alloc->allocate(1000);
    REQUIRE(b.ok());
    CHECK(b->size() == 1024);
    first = b->data();
    CHECK(alloc->stats().in_use_bytes == 1024);
  }
  CHECK(alloc->stats().in_use_bytes == 0);
  CHECK(alloc->stats().cached_bytes == 1024);
  Expected<CachingAllocator::Block> again = alloc->allocate(900);  // same bucket
  REQUIRE(again.ok());
  CHECK(again->data() == first);
  Expected<CachingAllocator::Block> other = alloc->allocate(5000);  // another bucket
  REQUIRE(other.ok());
  CHECK(other->data() != first);
  CHECK(ledger->allocations == 2);
  CHECK(alloc->stats().backend_allocations == 2);

  // Moving a block moves the ownership: it goes back once.
  CachingAllocator::Block moved = std::move(*again);
  CHECK(moved.data() == first);
  CHECK(again->data() == nullptr);
  moved = CachingAllocator::Block();
  CHECK(alloc->stats().cached_bytes == 1024);
  CHECK(alloc->stats().in_use_bytes == 5120);
}

TEST_CASE("out of memory: the cache is released and the request tried again", "[cuda_runtime]") {
  auto ledger = std::make_shared<Ledger>();
  auto alloc = make(ledger, 8192);
  {
    Expected<CachingAllocator::Block> b = alloc->allocate(6000);
    REQUIRE(b.ok());
  }
  CHECK(ledger->live_bytes == 6144);                              // cached
  Expected<CachingAllocator::Block> big = alloc->allocate(4096);  // fits only without the cache
  REQUIRE(big.ok());
  CHECK(ledger->releases == 1);
  CHECK(alloc->stats().cached_bytes == 0);
  Expected<CachingAllocator::Block> none = alloc->allocate(8192);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == SLUICE_OUT_OF_MEMORY);
  CHECK(none.status().message() == "fake: 8192 bytes do not fit");
  Expected<CachingAllocator::Block> huge = alloc->allocate(std::numeric_limits<size_t>::max());
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.status().code() == SLUICE_OUT_OF_MEMORY);
  CHECK(huge.status().message() ==
        "caching allocator: 18446744073709551615 bytes requested, more than can be addressed");
}

TEST_CASE("the allocator returns its cached memory when destroyed", "[cuda_runtime]") {
  auto ledger = std::make_shared<Ledger>();
  auto alloc = make(ledger);
  {
    std::vector<CachingAllocator::Block> blocks;
    for (size_t n : {100, 3000, 70000, 70000}) blocks.push_back(alloc->allocate(n).value());
  }
  CHECK(ledger->allocations == 4);
  CHECK(ledger->live_bytes > 0);
  alloc->release_cached();
  CHECK(ledger->live_bytes == 0);
  {
    Expected<CachingAllocator::Block> b = alloc->allocate(100);
    REQUIRE(b.ok());
  }
  alloc.reset();
  CHECK(ledger->live_bytes == 0);
  CHECK(ledger->releases == ledger->allocations);
}

TEST_CASE("many threads allocate and give back at once, and no block is handed out twice",
          "[cuda_runtime]") {
  auto ledger = std::make_shared<Ledger>();
  auto alloc = make(ledger);
  std::atomic<int> clashes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::vector<CachingAllocator::Block> held;
      for (int i = 0; i < 2000; ++i) {
        Expected<CachingAllocator::Block> b = alloc->allocate(64 + rng() % 20000);
        if (!b.ok()) {
          ++clashes;
          continue;
        }
        std::memset(b->data(), t, 64);  // a block another thread holds would be overwritten
        held.push_back(std::move(*b));
        if (held.size() > 4 || rng() % 2) {
          const auto* bytes = static_cast<const unsigned char*>(held.front().data());
          for (int k = 0; k < 64; ++k) {
            if (bytes[k] != t) ++clashes;
          }
          held.erase(held.begin());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(clashes == 0);
  const CachingAllocator::Stats s = alloc->stats();
  CHECK(s.in_use_bytes == 0);
  CHECK(s.cached_bytes == ledger->live_bytes);
  CHECK(ledger->allocations < 8 * 2000 / 10);  // mostly reused
}
