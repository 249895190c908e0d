#include "image/resample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::image {
namespace {

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

// The input window and normalised weights of every output sample along one axis.
struct Taps {
  int width = 0;              // weights per output sample (the widest window)
  std::vector<int> start;     // first input index per output
  std::vector<int> count;     // inputs used per output (<= width)
  std::vector<float> weight;  // out * width
};

Taps make_taps(int in, int out, ResampleFilter f) {
  const double scale = static_cast<double>(in) / out;
  const double stretch = std::max(scale, 1.0);
  const double support = filter_support(f) * stretch;
  Taps t;
  t.width = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.start.resize(out);
  t.count.resize(out);
  t.weight.assign(static_cast<size_t>(out) * t.width, 0.0f);
  std::vector<double> w(t.width);
  for (int i = 0; i < out; ++i) {
    const double center = scale * (i + 0.5);
    const int lo = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in);
    const int n = std::min(hi - lo, t.width);
    double total = 0.0;
    for (int j = 0; j < n; ++j) {
      w[j] = filter_value(f, (j + lo - center + 0.5) / stretch);
      total += w[j];
    }
    t.start[i] = lo;
    t.count[i] = n;
    for (int j = 0; j < n; ++j) {
      t.weight[static_cast<size_t>(i) * t.width + j] =
          static_cast<float>(total != 0.0 ? w[j] / total : 0.0);
    }
  }
  return t;
}

// One row: o[x * C + ch] = sum_j w[x][j] * in[(start[x] + j) * C + ch].
template <int C>
void horizontal(const uint8_t* in, const Taps& t, int out_w, float* o) {
  for (int x = 0; x < out_w; ++x) {
    const float* w = &t.weight[static_cast<size_t>(x) * t.width];
    const uint8_t* p = in + static_cast<size_t>(t.start[x]) * C;
    float acc[C] = {};
    for (int j = 0; j < t.count[x]; ++j, p += C) {
      for (int ch = 0; ch < C; ++ch) acc[ch] += w[j] * p[ch];
    }
    for (int ch = 0; ch < C; ++ch) o[x * C + ch] = acc[ch];
  }
}

void horizontal_any(const uint8_t* in, const Taps& t, int out_w, int c, float* o) {
  for (int x = 0; x < out_w; ++x) {
    const float* w = &t.weight[static_cast<size_t>(x) * t.width];
    const uint8_t* p = in + static_cast<size_t>(t.start[x]) * c;
    for (int ch = 0; ch < c; ++ch) {
      float acc = 0.0f;
      for (int j = 0; j < t.count[x]; ++j) acc += w[j] * p[j * c + ch];
      o[x * c + ch] = acc;
    }
  }
}

}  // namespace

cv::Mat resample(const cv::Mat& src, int out_w, int out_h, ResampleFilter filter) {
  const int c = src.channels();
  const Taps tx = make_taps(src.cols, out_w, filter);
  const Taps ty = make_taps(src.rows, out_h, filter);
  // Horizontal pass over only the input rows the vertical pass reads.
  const int row_lo = ty.start.front();
  const int row_hi = ty.start.back() + ty.count.back();
  cv::Mat tmp(row_hi - row_lo, out_w * c, CV_32F);
  for (int y = row_lo; y < row_hi; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    float* o = tmp.ptr<float>(y - row_lo);
    if (c == 3) {
      horizontal<3>(in, tx, out_w, o);
    } else if (c == 1) {
      horizontal<1>(in, tx, out_w, o);
    } else {
      horizontal_any(in, tx, out_w, c, o);
    }
  }
  cv::Mat out(out_h, out_w, CV_8UC(c));
  const int row_len = out_w * c;
  std::vector<float> acc(row_len);
  for (int y = 0; y < out_h; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const float* w = &ty.weight[static_cast<size_t>(y) * ty.width];
    for (int j = 0; j < ty.count[y]; ++j) {
      const float* row = tmp.ptr<float>(ty.start[y] + j - row_lo);
      const float wj = w[j];
      for (int i = 0; i < row_len; ++i) acc[i] += wj * row[i];
    }
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int i = 0; i < row_len; ++i) {
      // round half to even (the default rounding mode), as torch.round
      o[i] = static_cast<uint8_t>(std::lrint(std::clamp(acc[i], 0.0f, 255.0f)));
    }
  }
  return out;
}

}  // namespace sluice::image
