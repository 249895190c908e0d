// [cuda] test cases: SLUICE_REQUIRE_CUDA_DEVICE() first in a test case ends it with the message
// "SKIPPED: no CUDA device: <why>" when the machine cannot run this build's kernels (Catch2 2.x
// has no SKIP). ctest reports such a test as skipped when its binary is registered with
// `sluice_add_test(... LABEL cuda)`. Needs sluice_cuda.
#pragma once

#include "cuda/device.h"

#include <catch2/catch.hpp>

#define SLUICE_REQUIRE_CUDA_DEVICE()                                              \
  do {                                                                            \
    const ::sluice::Status sluice_cuda_status_ = ::sluice::cuda::device_status(); \
    if (!sluice_cuda_status_.ok()) {                                              \
      WARN("SKIPPED: " << sluice_cuda_status_.message());                         \
      return;                                                                     \
    }                                                                             \
  } while (0)
