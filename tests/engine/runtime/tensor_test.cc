#include "engine/runtime/tensor.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

using sluice::TensorRef;

namespace {

struct DeleterLog {
  int calls = 0;
  void* last = nullptr;
};

void count_delete(void* data, void* ctx) {
  auto* log = static_cast<DeleterLog*>(ctx);
  ++log->calls;
  log->last = data;
}

}  // namespace

TEST_CASE("tensor_new allocates zeroed memory with one reference", "[runtime][tensor]") {
  auto t = sluice::tensor_new(SLUICE_DTYPE_INT32, {2, 3});
  REQUIRE(t.ok());
  TensorRef ref = TensorRef::adopt(*t);
  CHECK(ref->refs.load() == 1);
  CHECK(ref->ndim == 2);
  CHECK(ref->shape[0] == 2);
  CHECK(ref->shape[1] == 3);
  CHECK(ref->nbytes == 24);
  CHECK(sluice::tensor_numel(*ref.get()) == 6);
  CHECK(ref->device_type == SLUICE_DEVICE_CPU);
  CHECK(reinterpret_cast<uintptr_t>(ref->data) % 64 == 0);
  const auto* data = static_cast<const int32_t*>(ref->data);
  for (int i = 0; i < 6; ++i) CHECK(data[i] == 0);
}

TEST_CASE("a zero-element tensor is valid", "[runtime][tensor]") {
  auto t = sluice::tensor_new(SLUICE_DTYPE_FLOAT32, {0, 5});
  REQUIRE(t.ok());
  TensorRef ref = TensorRef::adopt(*t);
  CHECK(ref->nbytes == 0);
  CHECK(sluice::tensor_numel(*ref.get()) == 0);
}

TEST_CASE("tensor_new refuses bad dtypes, ranks and shapes, saying why", "[runtime][tensor]") {
  auto bad_dtype = sluice::tensor_new(static_cast<sluice_dtype>(0), {2});
  REQUIRE_FALSE(bad_dtype.ok());
  CHECK(bad_dtype.status().message() ==
        "tensor: expected a dtype from bool to float64, found 0 (any)");

  auto too_many = sluice::tensor_new(SLUICE_DTYPE_UINT8, std::vector<int64_t>(9, 1));
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.status().message() == "tensor: expected at most 8 dimensions, found 9");

  auto negative = sluice::tensor_new(SLUICE_DTYPE_UINT8, {3, -1});
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.status().message() ==
        "tensor: expected non-negative dimensions, found shape [3, -1]");

  int64_t big = std::numeric_limits<int64_t>::max();
  auto overflow = sluice::tensor_new(SLUICE_DTYPE_FLOAT64, {big, big});
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.status().code() == SLUICE_INVALID_ARGUMENT);
  CHECK(overflow.status().message().find("overflows") != std::string::npos);

  auto just_over = sluice::tensor_new(SLUICE_DTYPE_INT64, {big / 4});
  REQUIRE_FALSE(just_over.ok());
  CHECK(just_over.status().message().find("overflows") != std::string::npos);
}

TEST_CASE("an allocation the system cannot satisfy is OUT_OF_MEMORY, not a crash",
          "[runtime][tensor]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("not checked under AddressSanitizer, which aborts on impossible allocations");
  return;
#endif
  // 2^60 bytes passes the overflow checks but no machine has it.
  auto t = sluice::tensor_new(SLUICE_DTYPE_UINT8, {int64_t{1} << 30, int64_t{1} << 30});
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == SLUICE_OUT_OF_MEMORY);
  CHECK(t.status().message().find("cannot allocate 1152921504606846976 bytes") !=
        std::string::npos);
}

TEST_CASE("the deleter of a wrapped tensor runs once, at the last release", "[runtime][tensor]") {
  static float buffer[4] = {1, 2, 3, 4};
  DeleterLog log;
  auto t = sluice::tensor_wrap(SLUICE_DTYPE_FLOAT32, {4}, SLUICE_DEVICE_CPU, 0, buffer,
                               &count_delete, &log);
  REQUIRE(t.ok());
  {
    TensorRef a = TensorRef::adopt(*t);
    TensorRef b = a;
    CHECK(a->refs.load() == 2);
    TensorRef c = std::move(b);
    CHECK(a->refs.load() == 2);
    CHECK_FALSE(b);
    c = TensorRef();
    CHECK(a->refs.load() == 1);
    CHECK(log.calls == 0);
  }
  CHECK(log.calls == 1);
  CHECK(log.last == buffer);
}

TEST_CASE("tensor_wrap refuses what it cannot adopt and leaves the data to the caller",
          "[runtime][tensor]") {
  DeleterLog log;
  auto null_data = sluice::tensor_wrap(SLUICE_DTYPE_INT16, {4}, SLUICE_DEVICE_CPU, 0, nullptr,
                                       &count_delete, &log);
  REQUIRE_FALSE(null_data.ok());
  CHECK(null_data.status().message() == "tensor: expected data for 8 bytes, found a null pointer");

  int16_t buf[4];
  auto bad_device = sluice::tensor_wrap(SLUICE_DTYPE_INT16, {4}, static_cast<sluice_device_type>(5),
                                        0, buf, &count_delete, &log);
  REQUIRE_FALSE(bad_device.ok());
  CHECK(bad_device.status().message() ==
        "tensor: expected device type cpu (0) or cuda (1), found 5");

  auto bad_index = sluice::tensor_wrap(SLUICE_DTYPE_INT16, {4}, SLUICE_DEVICE_CUDA, -1, buf,
                                       &count_delete, &log);
  REQUIRE_FALSE(bad_index.ok());
  CHECK(bad_index.status().message() == "tensor: expected a non-negative device index, found -1");
  CHECK(log.calls == 0);
}

TEST_CASE("tensor stats track live and peak bytes", "[runtime][tensor]") {
  sluice::TensorStats before = sluice::tensor_stats();
  sluice::reset_tensor_peak();
  CHECK(sluice::tensor_stats().peak_bytes == before.live_bytes);
  {
    TensorRef a = TensorRef::adopt(*sluice::tensor_new(SLUICE_DTYPE_FLOAT64, {100}));
    CHECK(sluice::tensor_stats().live_bytes == before.live_bytes + 800);
    {
      static char wrapped[1000];
      TensorRef b = TensorRef::adopt(*sluice::tensor_wrap(
          SLUICE_DTYPE_UINT8, {1000}, SLUICE_DEVICE_CPU, 0, wrapped, nullptr, nullptr));
      CHECK(sluice::tensor_stats().live_bytes == before.live_bytes + 1800);
    }
    CHECK(sluice::tensor_stats().live_bytes == before.live_bytes + 800);
  }
  sluice::TensorStats after = sluice::tensor_stats();
  CHECK(after.live_bytes == before.live_bytes);
  CHECK(after.peak_bytes == before.live_bytes + 1800);
  sluice::reset_tensor_peak();
  CHECK(sluice::tensor_stats().peak_bytes == before.live_bytes);
}

TEST_CASE("reference counting is atomic across threads", "[runtime][tensor]") {
  static int32_t data[16];
  DeleterLog log;
  TensorRef shared = TensorRef::adopt(*sluice::tensor_wrap(
      SLUICE_DTYPE_INT32, {16}, SLUICE_DEVICE_CPU, 0, data, &count_delete, &log));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        TensorRef copy = shared;
        TensorRef moved = std::move(copy);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(shared->refs.load() == 1);
  CHECK(log.calls == 0);
  shared = TensorRef();
  CHECK(log.calls == 1);
}
