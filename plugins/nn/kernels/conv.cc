#include "nn/kernels/conv.h"

#include <cblas.h>

#include <algorithm>
#include <vector>

namespace sluice::nn {
namespace {

// col (C*K*K, H'*W') of one image x (C, H, W), zero outside the image.
void im2col(const Conv2dShape& s, const float* x, float* col) {
  const int64_t oh = s.out_height(), ow = s.out_width();
  for (int64_t c = 0; c < s.in_channels; ++c) {
    for (int64_t ki = 0; ki < s.kernel; ++ki) {
      for (int64_t kj = 0; kj < s.kernel; ++kj) {
        float* row = col + ((c * s.kernel + ki) * s.kernel + kj) * oh * ow;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * s.stride - s.padding + ki;
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t xx = j * s.stride - s.padding + kj;
            const bool inside = y >= 0 && y < s.height && xx >= 0 && xx < s.width;
            row[i * ow + j] = inside ? x[(c * s.height + y) * s.width + xx] : 0.0f;
          }
        }
      }
    }
  }
}

// dx (C, H, W) += the columns of dcol (C*K*K, H'*W') folded back onto the image.
void col2im(const Conv2dShape& s, const float* dcol, float* dx) {
  const int64_t oh = s.out_height(), ow = s.out_width();
  for (int64_t c = 0; c < s.in_channels; ++c) {
    for (int64_t ki = 0; ki < s.kernel; ++ki) {
      for (int64_t kj = 0; kj < s.kernel; ++kj) {
        const float* row = dcol + ((c * s.kernel + ki) * s.kernel + kj) * oh * ow;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * s.stride - s.padding + ki;
          if (y < 0 || y >= s.height) continue;
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t xx = j * s.stride - s.padding + kj;
            if (xx >= 0 && xx < s.width) dx[(c * s.height + y) * s.width + xx] += row[i * ow + j];
          }
        }
      }
    }
  }
}

int to_int(int64_t v) { return static_cast<int>(v); }

}  // namespace

void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, const float* b,
                    float* y) {
  const int64_t spatial = s.out_height() * s.out_width();
  const int64_t patch = s.in_channels * s.kernel * s.kernel;
  std::vector<float> col(static_cast<size_t>(patch * spatial));
  for (int64_t n = 0; n < s.batch; ++n) {
    im2col(s, x + n * s.in_channels * s.height * s.width, col.data());
    float* yn = y + n * s.out_channels * spatial;
    for (int64_t o = 0; o < s.out_channels; ++o) {
      std::fill(yn + o * spatial, yn + (o + 1) * spatial, b != nullptr ? b[o] : 0.0f);
    }
    // yn (O, H'W') += w (O, CKK) · col (CKK, H'W')
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(s.out_channels), to_int(spatial),
                to_int(patch), 1.0f, w, to_int(patch), col.data(), to_int(spatial), 1.0f, yn,
                to_int(spatial));
  }
}

void conv2d_backward(const Conv2dShape& s, const float* x, const float* w, const float* dy,
                     float* dx, float* dw, float* db) {
  const int64_t spatial = s.out_height() * s.out_width();
  const int64_t patch = s.in_channels * s.kernel * s.kernel;
  const int64_t image = s.in_channels * s.height * s.width;
  std::vector<float> col(static_cast<size_t>(patch * spatial));
  std::vector<float> dcol(dx != nullptr ? col.size() : 0);
  if (dx != nullptr) std::fill(dx, dx + s.batch * image, 0.0f);
  for (int64_t n = 0; n < s.batch; ++n) {
    const float* dyn = dy + n * s.out_channels * spatial;
    im2col(s, x + n * image, col.data());
    // dw (O, CKK) += dyn (O, H'W') · colᵀ
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, to_int(s.out_channels), to_int(patch),
                to_int(spatial), 1.0f, dyn, to_int(spatial), col.data(), to_int(spatial), 1.0f, dw,
                to_int(patch));
    if (db != nullptr) {
      for (int64_t o = 0; o < s.out_channels; ++o) {
        for (int64_t k = 0; k < spatial; ++k) db[o] += dyn[o * spatial + k];
      }
    }
    if (dx == nullptr) continue;
    // dcol (CKK, H'W') = wᵀ · dyn
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, to_int(patch), to_int(spatial),
                to_int(s.out_channels), 1.0f, w, to_int(patch), dyn, to_int(spatial), 0.0f,
                dcol.data(), to_int(spatial));
    col2im(s, dcol.data(), dx + n * image);
  }
}

namespace {

// Calls visit(plane, i, j, window top, window left) for every output position of every plane.
template <class Visit>
void for_each_window(const Pool2dShape& s, Visit visit) {
  const int64_t oh = s.out_height(), ow = s.out_width();
  for (int64_t p = 0; p < s.batch * s.channels; ++p) {
    for (int64_t i = 0; i < oh; ++i) {
      for (int64_t j = 0; j < ow; ++j) visit(p, i * ow + j, i * s.stride, j * s.stride);
    }
  }
}

// Offset within its plane of the first maximum of the window at (top, left) of plane `x`.
int64_t argmax(const Pool2dShape& s, const float* x, int64_t top, int64_t left) {
  int64_t best = top * s.width + left;
  for (int64_t a = 0; a < s.kernel; ++a) {
    for (int64_t b = 0; b < s.kernel; ++b) {
      const int64_t at = (top + a) * s.width + left + b;
      if (x[at] > x[best]) best = at;
    }
  }
  return best;
}

}  // namespace

void max_pool2d_forward(const Pool2dShape& s, const float* x, float* y) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    y[p * out + o] = x[p * plane + argmax(s, x + p * plane, top, left)];
  });
}

void max_pool2d_backward(const Pool2dShape& s, const float* x, const float* dy, float* dx) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  std::fill(dx, dx + s.batch * s.channels * plane, 0.0f);
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    dx[p * plane + argmax(s, x + p * plane, top, left)] += dy[p * out + o];
  });
}

void avg_pool2d_forward(const Pool2dShape& s, const float* x, float* y) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  const float scale = 1.0f / static_cast<float>(s.kernel * s.kernel);
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    float sum = 0;
    for (int64_t a = 0; a < s.kernel; ++a) {
      for (int64_t b = 0; b < s.kernel; ++b) sum += x[p * plane + (top + a) * s.width + left + b];
    }
    y[p * out + o] = sum * scale;
  });
}

void avg_pool2d_backward(const Pool2dShape& s, const float* dy, float* dx) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  const float scale = 1.0f / static_cast<float>(s.kernel * s.kernel);
  std::fill(dx, dx + s.batch * s.channels * plane, 0.0f);
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    for (int64_t a = 0; a < s.kernel; ++a) {
      for (int64_t b = 0; b < s.kernel; ++b) {
        dx[p * plane + (top + a) * s.width + left + b] += dy[p * out + o] * scale;
      }
    }
  });
}

}  // namespace sluice::nn
