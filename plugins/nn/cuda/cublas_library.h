// cuBLAS, loaded when the model's CUDA path first needs it (dlopen of libcublas.so.<major>, the
// soname this build was compiled against, then the same file in the toolkit's library directory),
// so that the nn and train plugins load without it: a CPU run of a CUDA build maps none of its
// ~700 MB. The entry points the device model calls, as function pointers of cuBLAS's own types.
// Thread-safe; loaded once per process and never unloaded.
#pragma once

#include <sluice/status.hpp>

#include <cublas_v2.h>

namespace sluice::nn::cuda_kernels {

struct CublasApi {
  decltype(&cublasCreate_v2) create;
  decltype(&cublasDestroy_v2) destroy;
  decltype(&cublasSetStream_v2) set_stream;
  decltype(&cublasSgemm_v2) sgemm;
  decltype(&cublasSgemmStridedBatched) sgemm_strided_batched;
  decltype(&cublasGetStatusString) status_string;
};

// The loaded library's entry points, or UNSUPPORTED naming the files tried and what the dynamic
// loader said.
Expected<const CublasApi*> cublas();

}  // namespace sluice::nn::cuda_kernels
