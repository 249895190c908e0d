// cuBLAS, loaded when the model's CUDA path first needs it (dlopen of libcublas.so.<major>, the
// soname this build was compiled against, then the same file in the toolkit's library directory),
// so that the nn and train plugins load without it: a CPU run of a CUDA build maps none of its
// ~700 MB. The entry points the device model calls, as function pointers of cuBLAS's own types.
// Thread-safe; loaded once per process and never unloaded.
#pragma once

#include <sluice/status.hpp>

#include <cublas_v2.h>

namespace sluice::nn::cuda_kernels {

// cublasGemmEx and cublasGemmStridedBatchedEx as the library exports them (C++ also sees inline
// overloads of them that take a cudaDataType compute type, so decltype cannot name them).
using GemmExFn = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int,
                                    int, const void*, const void*, cudaDataType, int, const void*,
                                    cudaDataType, int, const void*, void*, cudaDataType, int,
                                    cublasComputeType_t, cublasGemmAlgo_t);
using GemmStridedBatchedExFn = cublasStatus_t (*)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void*, const void*,
    cudaDataType, int, long long, const void*, cudaDataType, int,      // NOLINT(runtime/int)
    long long, const void*, void*, cudaDataType, int, long long, int,  // NOLINT(runtime/int)
    cublasComputeType_t, cublasGemmAlgo_t);

struct CublasApi {
  decltype(&cublasCreate_v2) create;
  decltype(&cublasDestroy_v2) destroy;
  decltype(&cublasSetStream_v2) set_stream;
  decltype(&cublasSgemm_v2) sgemm;
  decltype(&cublasSgemmStridedBatched) sgemm_strided_batched;
  GemmExFn gemm_ex;
  GemmStridedBatchedExFn gemm_strided_batched_ex;
  decltype(&cublasGetStatusString) status_string;
};

// The loaded library's entry points, or UNSUPPORTED naming the files tried and what the dynamic
// loader said.
Expected<const CublasApi*> cublas();

}  // namespace sluice::nn::cuda_kernels
