// CUDA errors as Status, and the device check, on any machine: without a device the check says
// why, with one it names it; either way it never crashes and gives the same answer twice.
#include "cuda/cuda_status.h"
#include "cuda/device.h"

#include <catch2/catch.hpp>

TEST_CASE("a CUDA error names the call, its file and line, and the runtime's words",
          "[cuda_runtime]") {
  CHECK(sluice::cuda::to_status(cudaSuccess, "cudaFree(p)", "x.cc", 1).ok());
  const sluice::Status oom = sluice::cuda::to_status(cudaErrorMemoryAllocation, "cudaMalloc(&p, n)",
                                                     "/src/plugins/common/cuda/memory.cc", 42);
  CHECK(oom.code() == SLUICE_OUT_OF_MEMORY);
  CHECK(oom.message() ==
        "CUDA error in cudaMalloc(&p, n) at memory.cc:42: out of memory "
        "(cudaErrorMemoryAllocation)");
  const int line = __LINE__ + 1;
  const sluice::Status bad = SLUICE_CUDA_CHECK(cudaErrorInvalidValue);
  CHECK(bad.code() == SLUICE_INTERNAL);
  CHECK(bad.message() == "CUDA error in cudaErrorInvalidValue at cuda_status_test.cc:" +
                             std::to_string(line) + ": invalid argument (cudaErrorInvalidValue)");
}

TEST_CASE("the device check answers without crashing, the same each time", "[cuda_runtime]") {
  const sluice::Status s = sluice::cuda::device_status();
  INFO(s.message());
  if (s.ok()) {
    CHECK(sluice::cuda::device_description().rfind("cuda:0 (", 0) == 0);
  } else {
    CHECK(s.code() == SLUICE_UNSUPPORTED);
    CHECK(s.message().rfind("no CUDA device: ", 0) == 0);
    CHECK(sluice::cuda::device_description().empty());
  }
  CHECK(sluice::cuda::device_status().message() == s.message());
}
