// Row-major float32 matrix products on oneDNN's matmul primitive (Debian libdnnl-dev), where
// oneDNN runs them with its AVX-512 "brgemm" kernels: there they take about 0.65-0.8 of OpenBLAS
// 0.3.21's time on the products nn's layers make (256 x 384 x 128 blocks and the like, one
// thread). gemm.h offers large products here and sends the ones refused, or all of them on CPUs
// without AVX-512, to OpenBLAS.
//
// oneDNN runs on the calling thread only (its OpenMP team is set to one thread): the caller
// spreads blocks of a product over its own threads, so the bits do not depend on a thread count.
// A product's bits depend on its shape, its strides and the CPU's instruction set, as OpenBLAS's
// do. Each shape's primitive is made once and kept (up to 256 shapes); each call runs it with a
// scratchpad of the calling thread's. Thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// C (m, n) = alpha · op(A) · op(B) + beta · C, as cblas_sgemm with row-major operands; m, n,
// k >= 1. False, with C unchanged, when oneDNN would not run the product with brgemm (no
// AVX-512, or an operand layout brgemm does not take: a C narrower than its rows' stride, a
// strided transposed A); the caller falls back. An error while it runs (none is expected on the
// CPU) throws dnnl::error.
bool dnnl_gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
               const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
               int64_t ldc);

}  // namespace sluice::nn
