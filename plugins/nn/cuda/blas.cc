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

Status gemm(Blas blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
            const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
            int64_t ldc) {
  SLUICE_RETURN_IF_ERROR(check_ints({m, n, k, lda, ldb, ldc}));
  if (m == 0 || n == 0) return {};
  Expected<const CublasApi*> api = cublas();
  if (!api.ok()) return api.status();
  const int im = static_cast<int>(m), in = static_cast<int>(n), ik = static_cast<int>(k);
  const int ia = static_cast<int>(lda), ib = static_cast<int>(ldb), ic = static_cast<int>(ldc);
  if (blas.precision == MatmulPrecision::kFloat32) {
    return SLUICE_CUBLAS_CHECK((*api)->sgemm(blas.handle, op(trans_b), op(trans_a), in, im, ik,
                                             &alpha, b, ib, a, ia, &beta, c, ic));
  }
  return SLUICE_CUBLAS_CHECK((*api)->gemm_ex(
      blas.handle, op(trans_b), op(trans_a), in, im, ik, &alpha, b, CUDA_R_32F, ib, a, CUDA_R_32F,
      ia, &beta, c, CUDA_R_32F, ic, CUBLAS_COMPUTE_32F_FAST_16BF, CUBLAS_GEMM_DEFAULT));
}

Status gemm_batched(Blas blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                    float alpha, const float* a, int64_t lda, int64_t stride_a, const float* b,
                    int64_t ldb, int64_t stride_b, float beta, float* c, int64_t ldc,
                    int64_t stride_c, int64_t batch) {
  SLUICE_RETURN_IF_ERROR(check_ints({m, n, k, lda, ldb, ldc, batch}));
  if (m == 0 || n == 0 || batch == 0) return {};
  Expected<const CublasApi*> api = cublas();
  if (!api.ok()) return api.status();
  const int im = static_cast<int>(m), in = static_cast<int>(n), ik = static_cast<int>(k);
  const int ia = static_cast<int>(lda), ib = static_cast<int>(ldb), ic = static_cast<int>(ldc);
  const int count = static_cast<int>(batch);
  if (blas.precision == MatmulPrecision::kFloat32) {
    return SLUICE_CUBLAS_CHECK((*api)->sgemm_strided_batched(
        blas.handle, op(trans_b), op(trans_a), in, im, ik, &alpha, b, ib, stride_b, a, ia, stride_a,
        &beta, c, ic, stride_c, count));
  }
  return SLUICE_CUBLAS_CHECK((*api)->gemm_strided_batched_ex(
      blas.handle, op(trans_b), op(trans_a), in, im, ik, &alpha, b, CUDA_R_32F, ib, stride_b, a,
      CUDA_R_32F, ia, stride_a, &beta, c, CUDA_R_32F, ic, stride_c, count,
      CUBLAS_COMPUTE_32F_FAST_16BF, CUBLAS_GEMM_DEFAULT));
}

}  // namespace sluice::nn::cuda_kernels
