#include "nn/cuda/blas.h"

#include "nn/cuda/cublas_library.h"

#include <climits>
#include <cstring>
#include <initializer_list>
#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

cublasOperation_t op(bool trans) { return trans ? CUBLAS_OP_T : CUBLAS_OP_N; }

Status check_ints(std::initializer_list<int64_t> dims) {
  for (int64_t d : dims) {
    if (d < 0 || d > INT_MAX) {
      return Status::Invalid("cuBLAS product: expected dimensions in [0, 2^31 - 1], found " +
                             std::to_string(d));
    }
  }
  return {};
}

}  // namespace

Status blas_status(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status == CUBLAS_STATUS_SUCCESS) return {};
  const char* slash = std::strrchr(file, '/');
  Expected<const CublasApi*> api = cublas();
  const std::string message = std::string("cuBLAS error in ") + call + " at " +
                              (slash != nullptr ? slash + 1 : file) + ":" + std::to_string(line) +
                              ": " +
                              (api.ok() ? (*api)->status_string(status)
                                        : "status " + std::to_string(static_cast<int>(status)));
  return status == CUBLAS_STATUS_ALLOC_FAILED ? Status::OutOfMemory(message)
                                              : Status::Internal(message);
}

Status gemm(cublasHandle_t handle, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
            float alpha, const float* a, int64_t lda, const float* b, int64_t ldb, float beta,
            float* c, int64_t ldc) {
  SLUICE_RETURN_IF_ERROR(check_ints({m, n, k, lda, ldb, ldc}));
  if (m == 0 || n == 0) return {};
  Expected<const CublasApi*> api = cublas();
  if (!api.ok()) return api.status();
  return SLUICE_CUBLAS_CHECK((*api)->sgemm(handle, op(trans_b), op(trans_a), static_cast<int>(n),
                                           static_cast<int>(m), static_cast<int>(k), &alpha, b,
                                           static_cast<int>(ldb), a, static_cast<int>(lda), &beta,
                                           c, static_cast<int>(ldc)));
}

Status gemm_batched(cublasHandle_t handle, bool trans_a, bool trans_b, int64_t m, int64_t n,
                    int64_t k, float alpha, const float* a, int64_t lda, int64_t stride_a,
                    const float* b, int64_t ldb, int64_t stride_b, float beta, float* c,
                    int64_t ldc, int64_t stride_c, int64_t batch) {
  SLUICE_RETURN_IF_ERROR(check_ints({m, n, k, lda, ldb, ldc, batch}));
  if (m == 0 || n == 0 || batch == 0) return {};
  Expected<const CublasApi*> api = cublas();
  if (!api.ok()) return api.status();
  return SLUICE_CUBLAS_CHECK((*api)->sgemm_strided_batched(
      handle, op(trans_b), op(trans_a), static_cast<int>(n), static_cast<int>(m),
      static_cast<int>(k), &alpha, b, static_cast<int>(ldb), stride_b, a, static_cast<int>(lda),
      stride_a, &beta, c, static_cast<int>(ldc), stride_c, static_cast<int>(batch)));
}

}  // namespace sluice::nn::cuda_kernels
