#include "image/resample.h"
#include "image/resample_taps.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace sluice::image {

double filter_support(ResampleFilter f) {
  switch (f) {
    case ResampleFilter::kTriangle:
      return 1.0;
    case ResampleFilter::kCubic:
      return 2.0;
    case ResampleFilter::kLanczos3:
      return 3.0;
  }
  return 1.0;
}

namespace {

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= M_PI;
  return std::sin(x) / x;
}

double filter_value(ResampleFilter f, double x) {
  x = std::fabs(x);
  switch (f) {
    case ResampleFilter::kTriangle:
      return x < 1.0 ? 1.0 - x : 0.0;
    case ResampleFilter::kCubic: {
      constexpr double a = -0.5;
      if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
      if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
      return 0.0;
    }
    case ResampleFilter::kLanczos3:
      return x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
  }
  return 0.0;
}

}  // namespace

Taps make_taps(int in, double lo_edge, double hi_edge, int out, ResampleFilter f) {
  const double scale = (hi_edge - lo_edge) / out;
  const double stretch = std::max(scale, 1.0);
  const double support = filter_support(f) * stretch;
  const int max_width = static_cast<int>(std::ceil(support)) * 2 + 1;
  std::vector<int> lo(out), count(out);
  std::vector<double> w(static_cast<size_t>(out) * max_width);
  int width = 1;
  for (int i = 0; i < out; ++i) {
    const double center = lo_edge + scale * (i + 0.5);
    lo[i] = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in);
    count[i] = std::min(hi - lo[i], max_width);
    double total = 0.0;
    double* wi = &w[static_cast<size_t>(i) * max_width];
    for (int j = 0; j < count[i]; ++j) {
      wi[j] = filter_value(f, (j + lo[i] - center + 0.5) / stretch);
      total += wi[j];
    }
    for (int j = 0; j < count[i]; ++j) wi[j] = total != 0.0 ? wi[j] / total : 0.0;
    width = std::max(width, count[i]);
  }
  Taps t;
  t.width = width;  // <= in: every count is
  t.start.resize(out);
  t.weight.assign(static_cast<size_t>(out) * width, 0.0f);
  for (int i = 0; i < out; ++i) {
    const int s = std::min(lo[i], in - width);
    t.start[i] = s;
    float* ti = &t.weight[static_cast<size_t>(i) * width + (lo[i] - s)];
    const double* wi = &w[static_cast<size_t>(i) * max_width];
    for (int j = 0; j < count[i]; ++j) ti[j] = static_cast<float>(wi[j]);
  }
  return t;
}

namespace {

// One row: o[x * C + ch] = sum_j w[x][j] * in[(start[x] + j) * C + ch], in as float. For C = 3
// one 4-lane vector covers a pixel (the 4th lane is the next pixel's first channel, ignored):
// `in` needs one float after the last pixel and `o` one float after the last output.
template <int C>
void horizontal(const float* in, const Taps& t, int out_w, float* o) {
  const int kw = t.width;
  if constexpr (C == 3) {
    typedef float v4 __attribute__((vector_size(16)));
    for (int x = 0; x < out_w; ++x) {
      const float* w = &t.weight[static_cast<size_t>(x) * kw];
      const float* p = in + static_cast<size_t>(t.start[x]) * 3;
      v4 acc = {0, 0, 0, 0};
      for (int j = 0; j < kw; ++j) {
        v4 px;
        std::memcpy(&px, p + j * 3, sizeof px);
        acc += w[j] * px;
      }
      std::memcpy(o + x * 3, &acc, sizeof acc);
    }
  } else {
    for (int x = 0; x < out_w; ++x) {
      const float* w = &t.weight[static_cast<size_t>(x) * kw];
      const float* p = in + static_cast<size_t>(t.start[x]) * C;
      float acc[C] = {};
      for (int j = 0; j < kw; ++j) {
        for (int ch = 0; ch < C; ++ch) acc[ch] += w[j] * p[j * C + ch];
      }
      for (int ch = 0; ch < C; ++ch) o[x * C + ch] = acc[ch];
    }
  }
}

void horizontal_any(const float* in, const Taps& t, int out_w, int c, float* o) {
  for (int x = 0; x < out_w; ++x) {
    const float* w = &t.weight[static_cast<size_t>(x) * t.width];
    const float* p = in + static_cast<size_t>(t.start[x]) * c;
    for (int ch = 0; ch < c; ++ch) {
      float acc = 0.0f;
      for (int j = 0; j < t.width; ++j) acc += w[j] * p[j * c + ch];
      o[x * c + ch] = acc;
    }
  }
}

// The row loops below have an AVX2 clone besides the baseline one, chosen at load by the CPU.
// Neither contracts a * x + y into an FMA (the clone is not built for FMA), so both give the same
// bits and a run's pixels do not depend on the machine.
#define SLUICE_ROW_LOOP __attribute__((target_clones("avx2", "default")))

SLUICE_ROW_LOOP void to_float(const uint8_t* __restrict in, int n, float* __restrict out) {
#pragma omp simd
  for (int i = 0; i < n; ++i) out[i] = in[i];
}

SLUICE_ROW_LOOP void axpy(float a, const float* __restrict x, int n, float* __restrict y) {
#pragma omp simd
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

// Clamped to [0, 255] and rounded half to even (as torch.round): adding and subtracting 1.5 * 2^23
// rounds a float below 2^22 to an integer in the current (nearest-even) mode, and vectorises.
SLUICE_ROW_LOOP void round_to_u8(const float* __restrict in, int n, uint8_t* __restrict out) {
  constexpr float kMagic = 12582912.0f;
#pragma omp simd
  for (int i = 0; i < n; ++i) {
    const float lo = in[i] > 0.0f ? in[i] : 0.0f;  // NaN -> 0; std::max would not vectorise
    const float v = lo < 255.0f ? lo : 255.0f;
    out[i] = static_cast<uint8_t>(static_cast<int>((v + kMagic) - kMagic));
  }
}

}  // namespace

cv::Mat resample(const cv::Mat& src, int out_w, int out_h, ResampleFilter filter) {
  return resample(src, cv::Rect2d(0, 0, src.cols, src.rows), out_w, out_h, filter);
}

cv::Mat resample(const cv::Mat& src, const cv::Rect2d& box, int out_w, int out_h,
                 ResampleFilter filter) {
  const int c = src.channels();
  const Taps tx = make_taps(src.cols, box.x, box.x + box.width, out_w, filter);
  const Taps ty = make_taps(src.rows, box.y, box.y + box.height, out_h, filter);
  // Horizontal pass over only the input rows, and the input columns, the passes read.
  const int row_lo = ty.start.front();
  const int row_hi = ty.start.back() + ty.width;
  const int col_lo = tx.start.front();
  const int col_hi = tx.start.back() + tx.width;
  const int row_len = out_w * c;
  const int tmp_stride = row_len + 1;  // the 4-lane store's spare float
  std::vector<float> tmp(static_cast<size_t>(row_hi - row_lo) * tmp_stride);
  std::vector<float> in_row(static_cast<size_t>(col_hi - col_lo) * c + 1, 0.0f);
  // Taps index the whole row: shift them to the loaded columns.
  Taps txs = tx;
  for (int& s : txs.start) s -= col_lo;
  for (int y = row_lo; y < row_hi; ++y) {
    to_float(src.ptr<uint8_t>(y) + static_cast<size_t>(col_lo) * c, (col_hi - col_lo) * c,
             in_row.data());
    float* o = &tmp[static_cast<size_t>(y - row_lo) * tmp_stride];
    if (c == 3) {
      horizontal<3>(in_row.data(), txs, out_w, o);
    } else if (c == 1) {
      horizontal<1>(in_row.data(), txs, out_w, o);
    } else {
      horizontal_any(in_row.data(), txs, out_w, c, o);
    }
  }
  cv::Mat out(out_h, out_w, CV_8UC(c));
  std::vector<float> acc(row_len);
  for (int y = 0; y < out_h; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const float* w = &ty.weight[static_cast<size_t>(y) * ty.width];
    for (int j = 0; j < ty.width; ++j) {
      axpy(w[j], &tmp[static_cast<size_t>(ty.start[y] + j - row_lo) * tmp_stride], row_len,
           acc.data());
    }
    round_to_u8(acc.data(), row_len, out.ptr<uint8_t>(y));
  }
  return out;
}

}  // namespace sluice::image
