#include "nn/kernels/gemm.h"

#include "nn/kernels/dnnl_gemm.h"
#include "nn/kernels/parallel.h"

#include <cblas.h>

#include <algorithm>
#include <bit>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::nn {
namespace {

// A product is cut into a power of two of blocks (so that they share out evenly over 2 or 4
// threads), at most kMaxBlocks, each of at least kBlockWork multiply-adds (smaller ones would
// spend more on OpenBLAS packing the uncut operand again for each block than they save) and
// kAlign rows or columns.
constexpr int64_t kBlockWork = int64_t{1} << 22;
constexpr int64_t kMaxBlocks = 4;
constexpr int64_t kAlign = 16;  // a multiple of OpenBLAS's kernel tiles

// Products of at least this many multiply-adds go to oneDNN where it runs brgemm (smaller ones
// cost more in its per-call set-up, a few microseconds, than they gain).
constexpr int64_t kDnnlMinWork = int64_t{1} << 20;

// A product of fewer rows than kAlign (a decoding step's) spends its time reading B, so it is cut
// into blocks of columns once op(B) holds kStreamBlock values per block (1 MiB), whatever k.
constexpr int64_t kStreamBlock = int64_t{1} << 18;

// A block of C's columns (ldc > n) of a product of few rows, on oneDNN, which takes only a C as
// wide as its stride: the product goes to a dense (m, n) scratch, then C = it + beta · C. Few
// rows make the copy small beside reading B. False, with C unchanged, where oneDNN refuses.
bool dnnl_dense_columns(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                        const float* a, int64_t lda, const float* b, int64_t ldb, float beta,
                        float* c, int64_t ldc) {
  thread_local std::vector<float> dense;
  dense.resize(static_cast<size_t>(m * n));
  if (!dnnl_gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, 0.0f, dense.data(), n)) {
    return false;
  }
  for (int64_t r = 0; r < m; ++r) {
    float* cr = c + r * ldc;
    const float* dr = dense.data() + r * n;
    for (int64_t j = 0; j < n; ++j) cr[j] = beta == 0.0f ? dr[j] : dr[j] + beta * cr[j];
  }
  return true;
}

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m == 1 && k > 0) {  // c = alpha · op(B)ᵀ · a + beta · c: OpenBLAS's sgemv, packing nothing
    // sgemv scales c by beta, where sgemm writes it: C's old values must not matter with beta 0
    if (beta == 0.0f) std::fill(c, c + n, 0.0f);
    cblas_sgemv(CblasRowMajor, trans_b ? CblasNoTrans : CblasTrans,
                static_cast<int>(trans_b ? n : k), static_cast<int>(trans_b ? k : n), alpha, b,
                static_cast<int>(ldb), a, static_cast<int>(trans_a ? lda : 1), beta, c, 1);
    return;
  }
  if (m * n * k >= kDnnlMinWork) {
    if (dnnl_gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
    if (m < kAlign && ldc > n &&
        dnnl_dense_columns(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) {
      return;
    }
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb), beta,
              c, static_cast<int>(ldc));
}

// C = alpha · Aᵀ · op(B) + beta · C with k, the rows both operands are stored in, the largest
// extent (a weight gradient: dYᵀ · X over a batch's rows), cut into `blocks` slabs of those rows:
// each slab's product goes to its own partial (each slab is contiguous, so no block packs
// another's share, and oneDNN's brgemm takes it), then C = beta · C + the partials, added in slab
// order.
void gemm_by_k(bool trans_b, int64_t m, int64_t n, int64_t k, int64_t blocks, float alpha,
               const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
               int64_t ldc) {
  const int64_t size = ((k + blocks - 1) / blocks + kAlign - 1) / kAlign * kAlign;
  const int64_t slabs = (k + size - 1) / size;
  // Written whole by the slabs' products (beta 0), so left uninitialised.
  const std::unique_ptr<float[]> partial(new float[static_cast<size_t>(slabs * m * n)]);
  parallel_chunks(slabs, 1, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const int64_t from = i * size, count = std::min(size, k - from);
      sgemm(true, trans_b, m, n, count, alpha, a + from * lda, lda,
            trans_b ? b + from : b + from * ldb, ldb, 0.0f, partial.get() + i * m * n, n);
    }
  });
  parallel_chunks(m, std::max<int64_t>(1, (int64_t{1} << 14) / n), [&](int64_t from, int64_t to) {
    for (int64_t row = from; row < to; ++row) {
      float* cr = c + row * ldc;
      for (int64_t j = 0; j < n; ++j) cr[j] = beta == 0.0f ? 0.0f : beta * cr[j];
      for (int64_t i = 0; i < slabs; ++i) {
        const float* pr = partial.get() + (i * m + row) * n;
        for (int64_t j = 0; j < n; ++j) cr[j] += pr[j];
      }
    }
  });
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  static std::once_flag single_threaded;
  std::call_once(single_threaded, [] { openblas_set_num_threads(1); });
  if (trans_a && k > std::max(m, n)) {
    const auto slabs = static_cast<int64_t>(std::bit_floor(static_cast<uint64_t>(
        std::max<int64_t>(1, std::min({kMaxBlocks, m * n * k / kBlockWork, k / kAlign})))));
    if (slabs >= 2) {
      gemm_by_k(trans_b, m, n, k, slabs, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
  }
  const bool by_rows = m >= n;
  const int64_t extent = by_rows ? m : n;
  const int64_t blocks_by_work = m < kAlign ? n * k / kStreamBlock : m * n * k / kBlockWork;
  const auto blocks = static_cast<int64_t>(std::bit_floor(static_cast<uint64_t>(
      std::max<int64_t>(1, std::min({kMaxBlocks, blocks_by_work, extent / kAlign})))));
  if (blocks < 2) {
    sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const int64_t size = ((extent + blocks - 1) / blocks + kAlign - 1) / kAlign * kAlign;
  parallel_chunks((extent + size - 1) / size, 1, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const int64_t from = i * size, count = std::min(size, extent - from);
      if (by_rows) {  // rows [from, from + count) of C and of op(A)
        sgemm(trans_a, trans_b, count, n, k, alpha, trans_a ? a + from : a + from * lda, lda, b,
              ldb, beta, c + from * ldc, ldc);
      } else {  // columns [from, from + count) of C and of op(B)
        sgemm(trans_a, trans_b, m, count, k, alpha, a, lda, trans_b ? b + from * ldb : b + from,
              ldb, beta, c + from, ldc);
      }
    }
  });
}

}  // namespace sluice::nn
