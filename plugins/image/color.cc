#include "image/color.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace sluice::image {
namespace {

uint8_t to_u8(float v) { return static_cast<uint8_t>(std::clamp(v, 0.0f, 255.0f)); }

float luma(const uint8_t* p) {
  return 0.2989f * static_cast<float>(p[0]) + 0.587f * static_cast<float>(p[1]) +
         0.114f * static_cast<float>(p[2]);
}

// out[i] = clamp(f * src[i] + (1 - f) * other(pixel)), per pixel of a 3-channel image.
template <class Other>
cv::Mat blend(const cv::Mat& src, float f, Other other) {
  cv::Mat out(src.size(), src.type());
  const float g = 1.0f - f;
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 0; x < src.cols; ++x, in += 3, o += 3) {
      const float b = g * other(in);
      for (int c = 0; c < 3; ++c) o[c] = to_u8(f * static_cast<float>(in[c]) + b);
    }
  }
  return out;
}

}  // namespace

cv::Mat adjust_brightness(const cv::Mat& src, float factor) {
  cv::Mat out(src.size(), src.type());
  const int n = src.cols * src.channels();
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int i = 0; i < n; ++i) o[i] = to_u8(factor * static_cast<float>(in[i]));
  }
  return out;
}

cv::Mat to_grayscale(const cv::Mat& src, int channels) {
  cv::Mat out(src.size(), CV_8UC(channels));
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 0; x < src.cols; ++x, in += 3) {
      const uint8_t v = to_u8(luma(in));
      for (int c = 0; c < channels; ++c) *o++ = v;
    }
  }
  return out;
}

cv::Mat adjust_contrast(const cv::Mat& src, float factor) {
  double sum = 0.0;
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    for (int x = 0; x < src.cols; ++x, in += 3) sum += to_u8(luma(in));
  }
  const auto mean = static_cast<float>(sum / (static_cast<double>(src.rows) * src.cols));
  return blend(src, factor, [mean](const uint8_t*) { return mean; });
}

cv::Mat adjust_saturation(const cv::Mat& src, float factor) {
  return blend(src, factor, [](const uint8_t* p) { return static_cast<float>(to_u8(luma(p))); });
}

cv::Mat adjust_hue(const cv::Mat& src, float shift) {
  cv::Mat out(src.size(), src.type());
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 0; x < src.cols; ++x, in += 3, o += 3) {
      const float r = in[0] / 255.0f, g = in[1] / 255.0f, b = in[2] / 255.0f;
      const float maxc = std::max({r, g, b}), minc = std::min({r, g, b});
      const float cr = maxc - minc;
      const bool flat = maxc == minc;
      const float s = cr / (flat ? 1.0f : maxc);
      const float div = flat ? 1.0f : cr;
      const float rc = (maxc - r) / div, gc = (maxc - g) / div, bc = (maxc - b) / div;
      float h;
      if (maxc == r) {
        h = bc - gc;
      } else if (maxc == g) {
        h = 2.0f + rc - bc;
      } else {
        h = 4.0f + gc - rc;
      }
      h = std::fmod(h / 6.0f + 1.0f, 1.0f);
      h = std::fmod(h + shift, 1.0f);  // Python's %: the result takes the divisor's sign
      if (h < 0.0f) h += 1.0f;
      const float v = maxc;
      const float i_f = std::floor(h * 6.0f);
      const float f = h * 6.0f - i_f;
      const int i = ((static_cast<int>(i_f) % 6) + 6) % 6;
      const float p = std::clamp(v * (1.0f - s), 0.0f, 1.0f);
      const float q = std::clamp(v * (1.0f - s * f), 0.0f, 1.0f);
      const float t = std::clamp(v * (1.0f - s * (1.0f - f)), 0.0f, 1.0f);
      const float rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
      for (int c = 0; c < 3; ++c) o[c] = static_cast<uint8_t>(rgb[i][c] * 255.0f);
    }
  }
  return out;
}

cv::Mat gaussian_blur(const cv::Mat& src, int kernel_w, int kernel_h, double sigma_x,
                      double sigma_y) {
  auto kernel = [](int k, double sigma) {
    cv::Mat kern(k, 1, CV_32F);
    const float half = (k - 1) * 0.5f;
    float total = 0.0f;
    for (int i = 0; i < k; ++i) {
      const float x = (-half + static_cast<float>(i)) / static_cast<float>(sigma);
      kern.at<float>(i) = std::exp(-0.5f * x * x);
      total += kern.at<float>(i);
    }
    return cv::Mat(kern / total);
  };
  cv::Mat blurred, out;
  cv::sepFilter2D(src, blurred, CV_32F, kernel(kernel_w, sigma_x), kernel(kernel_h, sigma_y),
                  cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
  blurred.convertTo(out, CV_8U);  // rounds half to even, as torch.round
  return out;
}

}  // namespace sluice::image
