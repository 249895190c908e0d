// [cuda] StreamPool and the device caches on a real device: staged copies round-trip bytes,
// buffers are reused, a failing job writes no download and still gives its buffers back, and
// threads run jobs at once.
// Without a device each test case skips (support/cuda_device.h); StreamPool::open then fails
// with the device check's message, which is tested here too.
#include "cuda/stream.h"
#include "cuda/cuda_status.h"
#include "cuda/memory.h"
#include "support/cuda_device.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

using sluice::Expected;
using sluice::Status;
using sluice::cuda::Stream;
using sluice::cuda::StreamPool;

namespace {

std::vector<uint8_t> random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

// Uploads `in`, copies it on the device to a second buffer, downloads that into `out`.
Status round_trip(StreamPool& pool, const std::vector<uint8_t>& in, std::vector<uint8_t>& out) {
  out.assign(in.size(), 0);
  return pool.run([&](Stream& st) -> Status {
    Expected<void*> a = st.device_buffer(in.size());
    if (!a.ok()) return a.status();
    Expected<void*> b = st.device_buffer(in.size());
    if (!b.ok()) return b.status();
    SLUICE_RETURN_IF_ERROR(st.upload(in.data(), in.size(), *a));
    SLUICE_RETURN_IF_ERROR(
        SLUICE_CUDA_CHECK(cudaMemcpyAsync(*b, *a, in.size(), cudaMemcpyDeviceToDevice, st.get())));
    return st.download(*b, in.size(), out.data());
  });
}

}  // namespace

TEST_CASE("StreamPool::open needs a device", "[cuda]") {
  Expected<std::unique_ptr<StreamPool>> pool = StreamPool::open(0);
  if (!sluice::cuda::device_status().ok()) {
    REQUIRE_FALSE(pool.ok());
    CHECK(pool.status().message() == sluice::cuda::device_status().message());
    return;
  }
  REQUIRE(pool.ok());
  Expected<std::unique_ptr<StreamPool>> bad = StreamPool::open(1 << 20);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("expected an index below") != std::string::npos);
}

TEST_CASE("staged uploads and downloads round-trip bytes, and buffers are reused", "[cuda]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  auto pool = StreamPool::open(0).value();
  const std::vector<uint8_t> in = random_bytes(3 << 20, 1);
  std::vector<uint8_t> out;
  REQUIRE(round_trip(*pool, in, out).ok());
  CHECK(out == in);
  const auto device_before = pool->device_memory_stats();
  const auto pinned_before = pool->pinned_memory_stats();
  CHECK(device_before.in_use_bytes == 0);
  CHECK(pinned_before.in_use_bytes == 0);
  CHECK(device_before.backend_allocations == 2);
  const std::vector<uint8_t> in2 = random_bytes(3 << 20, 2);
  REQUIRE(round_trip(*pool, in2, out).ok());
  CHECK(out == in2);
  CHECK(pool->device_memory_stats().backend_allocations == device_before.backend_allocations);
  CHECK(pool->pinned_memory_stats().backend_allocations == pinned_before.backend_allocations);
  // Empty copies are nothing to do.
  const std::vector<uint8_t> none;
  REQUIRE(round_trip(*pool, none, out).ok());
  CHECK(out.empty());
}

TEST_CASE("a failing job's error comes back and its buffers are given back", "[cuda]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  auto pool = StreamPool::open(0).value();
  const std::vector<uint8_t> in = random_bytes(1 << 16, 3);
  std::vector<uint8_t> out(in.size(), 7);
  Status s = pool->run([&](Stream& st) -> Status {
    Expected<void*> a = st.device_buffer(in.size());
    if (!a.ok()) return a.status();
    SLUICE_RETURN_IF_ERROR(st.upload(in.data(), in.size(), *a));
    SLUICE_RETURN_IF_ERROR(st.download(*a, in.size(), out.data()));
    return Status::BadRecord("job failed on purpose");
  });
  CHECK(s.message() == "job failed on purpose");
  CHECK(out == std::vector<uint8_t>(in.size(), 7));  // a failed job's downloads are not written
  CHECK(pool->device_memory_stats().in_use_bytes == 0);
  CHECK(pool->pinned_memory_stats().in_use_bytes == 0);
  // A CUDA call that fails names itself.
  s = pool->run([&](Stream& st) -> Status {
    return SLUICE_CUDA_CHECK(
        cudaMemcpyAsync(nullptr, in.data(), in.size(), cudaMemcpyHostToDevice, st.get()));
  });
  CHECK(s.message().find("CUDA error in cudaMemcpyAsync(nullptr") != std::string::npos);
  // The pool still works.
  REQUIRE(round_trip(*pool, in, out).ok());
  CHECK(out == in);
}

TEST_CASE("threads run jobs at once, each on its own stream", "[cuda]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  auto pool = StreamPool::open(0).value();
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::vector<uint8_t> in = random_bytes(1000 + 4099 * (t * 20 + i), t * 100 + i);
        std::vector<uint8_t> out;
        if (!round_trip(*pool, in, out).ok() || out != in) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>(8, 0));
  CHECK(pool->device_memory_stats().in_use_bytes == 0);
}

TEST_CASE("device memory through the caching allocator is reused and released", "[cuda]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  sluice::cuda::CachingAllocator alloc(sluice::cuda::device_memory(0));
  void* first = nullptr;
  {
    auto b = alloc.allocate(1 << 20);
    REQUIRE(b.ok());
    first = b->data();
    CHECK(SLUICE_CUDA_CHECK(cudaMemset(first, 0, 1 << 20)).ok());
  }
  auto again = alloc.allocate((1 << 20) - 100);
  REQUIRE(again.ok());
  CHECK(again->data() == first);
  again = sluice::cuda::CachingAllocator::Block();
  alloc.release_cached();
  CHECK(alloc.stats().cached_bytes == 0);
  CHECK(alloc.stats().backend_releases == 1);
}
