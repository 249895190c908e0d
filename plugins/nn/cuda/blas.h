// Matrix products of the device model on cuBLAS, with nn/kernels/gemm.h's row-major contract:
// C (m, n) = alpha · op(A) · op(B) + beta · C, float32, leading dimensions in elements. cuBLAS is
// column-major; a row-major C is its transpose, so each call asks cuBLAS for Cᵀ = op(B)ᵀ · op(A)ᵀ,
// which reads the same memory. Float32 data; the products in full float32 (sgemm, the handle's
// default math mode, no TF32) or, for MatmulPrecision::kBf16, with cublasGemmEx's compute type
// CUBLAS_COMPUTE_32F_FAST_16BF (operands rounded to bfloat16, sums in float32).
// Thread-safe as cuBLAS is: one handle per thread at a time (the device model keeps one per
// stream).
#pragma once

#include "nn/matmul_precision.h"

#include <sluice/status.hpp>

#include <cublas_v2.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// OK for CUBLAS_STATUS_SUCCESS; otherwise INTERNAL (OUT_OF_MEMORY for CUBLAS_STATUS_ALLOC_FAILED)
// "cuBLAS error in <call> at <file>:<line>: <description>".
Status blas_status(cublasStatus_t status, const char* call, const char* file, int line);

// A cuBLAS handle and the precision of the products made on it.
struct Blas {
  cublasHandle_t handle;
  MatmulPrecision precision = MatmulPrecision::kFloat32;
};

// C (m, n) = alpha · op(A) · op(B) + beta · C on the handle's stream; every dimension and leading
// dimension must fit in an int (INVALID_ARGUMENT otherwise).
Status gemm(Blas blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
            const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
            int64_t ldc);

// `batch` products as gemm's, product i on a + i · stride_a, b + i · stride_b, c + i · stride_c.
Status gemm_batched(Blas blas, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                    float alpha, const float* a, int64_t lda, int64_t stride_a, const float* b,
                    int64_t ldb, int64_t stride_b, float beta, float* c, int64_t ldc,
                    int64_t stride_c, int64_t batch);

}  // namespace sluice::nn::cuda_kernels

// The Status of one cuBLAS call, naming it and its place in the source.
#define SLUICE_CUBLAS_CHECK(call) \
  ::sluice::nn::cuda_kernels::blas_status((call), #call, __FILE__, __LINE__)
