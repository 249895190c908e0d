// The matrix products of the kernels: C (m, n) = alpha · op(A) · op(B) + beta · C, row-major
// float32 with leading dimensions, on OpenBLAS sgemm (sgemv for a single row), or, for blocks of
// at least 2^20 multiply-adds on CPUs where oneDNN runs its AVX-512 brgemm kernels, on oneDNN
// (dnnl_gemm.h).
//
// Threading: a product of at least 2^23 multiply-adds, or of fewer than 16 rows with at least
// 2^19 values in op(B), is cut into blocks of C's rows (or of its columns, when it has more
// columns than rows; or, when A is transposed and k is the largest extent, as in a weight gradient
// dYᵀ · X, into slabs of k whose partial products are then added in order), chosen from the
// shape alone, and the blocks run as parallel_chunks (parallel.h); OpenBLAS itself runs
// single-threaded (set process-wide on the first call). Its own threads would compete with the
// arena's, and its results depend on how many it uses (the cores of the machine by default);
// this way a product gives the same bits for any --threads and any core count (OpenBLAS still
// picks its kernels by CPU model, and those may round differently). Thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace sluice::nn
