#include "nn/kernels/layer_norm.h"

#include "nn/kernels/parallel.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace sluice::nn {
namespace {

constexpr int64_t kGrainWork = 1 << 14;  // about this many values per parallel chunk
constexpr int64_t kRows = 4;             // rows whose sums run interleaved

int64_t grain(int64_t row) { return std::max<int64_t>(1, kGrainWork / std::max<int64_t>(row, 1)); }

// The loops below take R rows (C apart) at a time: each row's sums still add its values in
// column order, one after the other, but the R chains interleave, so the CPU runs them side by
// side (a lone double sum waits for each add). Plain loops over pointer arguments, which GCC
// vectorises where the order of the sums allows.

// y, mean and rstd of R rows of x.
template <int R>
void forward_rows(const float* x, const float* weight, const float* bias, float* y, float* mean,
                  float* rstd, int64_t C, float eps) {
  double sum[R] = {}, var[R] = {}, m[R];
  for (int64_t c = 0; c < C; ++c) {
    for (int r = 0; r < R; ++r) sum[r] += x[r * C + c];
  }
  for (int r = 0; r < R; ++r) m[r] = sum[r] / static_cast<double>(C);
  for (int64_t c = 0; c < C; ++c) {
    for (int r = 0; r < R; ++r) var[r] += (x[r * C + c] - m[r]) * (x[r * C + c] - m[r]);
  }
  for (int r = 0; r < R; ++r) {
    const auto s = static_cast<float>(1.0 / std::sqrt(var[r] / static_cast<double>(C) + eps));
    const auto mf = static_cast<float>(m[r]);
    const float* xr = x + r * C;
    float* yr = y + r * C;
    for (int64_t c = 0; c < C; ++c) yr[c] = (xr[c] - mf) * s * weight[c] + bias[c];
    mean[r] = mf;
    rstd[r] = s;
  }
}

// dx += the input gradient of R rows.
template <int R>
void input_gradient_rows(const float* dy, const float* x, const float* weight, const float* mean,
                         const float* rstd, float* dx, int64_t C) {
  double g_sum[R] = {}, gx_sum[R] = {};
  for (int64_t c = 0; c < C; ++c) {
    for (int r = 0; r < R; ++r) {
      const float xhat = (x[r * C + c] - mean[r]) * rstd[r];
      const float g = weight[c] * dy[r * C + c];
      g_sum[r] += g;
      gx_sum[r] += g * xhat;
    }
  }
  for (int r = 0; r < R; ++r) {
    const auto gm = static_cast<float>(g_sum[r] / static_cast<double>(C));
    const auto gxm = static_cast<float>(gx_sum[r] / static_cast<double>(C));
    const float mr = mean[r], sr = rstd[r];
    const float *xr = x + r * C, *dyr = dy + r * C;
    float* dxr = dx + r * C;
    for (int64_t c = 0; c < C; ++c) {
      const float xhat = (xr[c] - mr) * sr;
      const float g = weight[c] * dyr[c];
      dxr[c] += (g - gm - xhat * gxm) * sr;
    }
  }
}

// dweight and dbias (n values from one column on) += one row's share.
void parameter_gradient_row(const float* dy, const float* x, float mean, float rstd, float* dweight,
                            float* dbias, int64_t n) {
  for (int64_t c = 0; c < n; ++c) {
    const float xhat = (x[c] - mean) * rstd;
    dbias[c] += dy[c];
    dweight[c] += xhat * dy[c];
  }
}

// Calls rows<kRows>(first) for each full group of rows in [from, to), then rows<1>(n) for the rest.
template <class Rows>
void by_row_groups(int64_t from, int64_t to, const Rows& rows) {
  int64_t n = from;
  for (; n + kRows <= to; n += kRows) rows(std::integral_constant<int, kRows>(), n);
  for (; n < to; ++n) rows(std::integral_constant<int, 1>(), n);
}

}  // namespace

void layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                        float* mean, float* rstd, int64_t N, int64_t C, float eps) {
  parallel_chunks(N, grain(C), [&](int64_t from, int64_t to) {
    by_row_groups(from, to, [&](auto lanes, int64_t n) {
      forward_rows<lanes()>(x + n * C, weight, bias, y + n * C, mean + n, rstd + n, C, eps);
    });
  });
}

void layer_norm_backward(const float* dy, const float* x, const float* weight, const float* mean,
                         const float* rstd, float* dx, float* dweight, float* dbias, int64_t N,
                         int64_t C) {
  // dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), g = weight · dy: rows spread over the threads
  parallel_chunks(N, grain(C), [&](int64_t from, int64_t to) {
    by_row_groups(from, to, [&](auto lanes, int64_t n) {
      input_gradient_rows<lanes()>(dy + n * C, x + n * C, weight, mean + n, rstd + n, dx + n * C,
                                   C);
    });
  });
  // dweight, dbias: column blocks spread over the threads, each summed row after row
  const int64_t columns = std::max<int64_t>(64, kGrainWork / std::max<int64_t>(N, 1));
  parallel_chunks(C, columns, [&](int64_t from, int64_t to) {
    for (int64_t n = 0; n < N; ++n) {
      parameter_gradient_row(dy + n * C + from, x + n * C + from, mean[n], rstd[n], dweight + from,
                             dbias + from, to - from);
    }
  });
}

}  // namespace sluice::nn
