#include "nn/kernels/conv.h"

#include "nn/kernels/gemm.h"
#include "nn/kernels/parallel.h"

#include <algorithm>
#include <vector>

namespace sluice::nn {
namespace {

constexpr int64_t kGrainWork = 1 << 16;  // about this many floats touched per parallel chunk

// Items per chunk when each item touches `work` floats.
int64_t grain(int64_t work) {
  return std::max<int64_t>(1, kGrainWork / std::max<int64_t>(work, 1));
}

// The output columns [lo, hi) whose input column j * stride + offset lies in [0, width).
struct Span {
  int64_t lo, hi, offset;
};
Span inside(int64_t offset, int64_t stride, int64_t width, int64_t out_width) {
  const int64_t lo = std::min(out_width, offset >= 0 ? 0 : (stride - 1 - offset) / stride);
  const int64_t end = width - offset;  // j * stride must stay below it
  const int64_t hi = end <= 0 ? lo : std::clamp((end + stride - 1) / stride, lo, out_width);
  return {lo, hi, offset};
}

// Calls row(at, in, span) for each of the (C*K*K) * H' rows of the unfolded image x (C, H, W) (a
// row of the columns is H' slices of W' values): `at` is the slice's offset in the columns, `in`
// is the input row it reads (its value j is in[j * stride + span.offset] for j in span), or null
// where the kernel row falls in the padding. T is float or const float.
template <class T, class Row>
void for_each_unfolded_row(const Conv2dShape& s, T* x, Row row) {
  const int64_t oh = s.out_height(), ow = s.out_width();
  for (int64_t c = 0; c < s.in_channels; ++c) {
    T* plane = x + c * s.height * s.width;
    for (int64_t ki = 0; ki < s.kernel; ++ki) {
      for (int64_t kj = 0; kj < s.kernel; ++kj) {
        const int64_t offset = kj - s.padding;
        const Span span = inside(offset, s.stride, s.width, ow);
        const int64_t first = ((c * s.kernel + ki) * s.kernel + kj) * oh * ow;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * s.stride - s.padding + ki;
          const bool in_image = y >= 0 && y < s.height;
          row(first + i * ow, in_image ? plane + y * s.width : nullptr, span);
        }
      }
    }
  }
}

// col (C*K*K, H'*W') of one image x (C, H, W), zero outside the image.
void im2col(const Conv2dShape& s, const float* x, float* col) {
  const int64_t ow = s.out_width(), stride = s.stride;
  for_each_unfolded_row(s, x, [&](int64_t at, const float* in, Span span) {
    float* out = col + at;
    if (in == nullptr) {
      std::fill(out, out + ow, 0.0f);
      return;
    }
    std::fill(out, out + span.lo, 0.0f);
    if (stride == 1) {
      std::copy(in + span.lo + span.offset, in + span.hi + span.offset, out + span.lo);
    } else {
      for (int64_t j = span.lo; j < span.hi; ++j) out[j] = in[j * stride + span.offset];
    }
    std::fill(out + span.hi, out + ow, 0.0f);
  });
}

// dx (C, H, W) += the columns of dcol (C*K*K, H'*W') folded back onto the image.
void col2im(const Conv2dShape& s, const float* dcol, float* dx) {
  const int64_t stride = s.stride;
  for_each_unfolded_row(s, dx, [&](int64_t at, float* in, Span span) {
    if (in == nullptr) return;
    const float* d = dcol + at;
    if (stride == 1) {
      float* row = in + span.offset;
      for (int64_t j = span.lo; j < span.hi; ++j) row[j] += d[j];
    } else {
      for (int64_t j = span.lo; j < span.hi; ++j) in[j * stride + span.offset] += d[j];
    }
  });
}

}  // namespace

void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, const float* b, float* y,
                    float* col) {
  const int64_t spatial = s.out_height() * s.out_width();
  const int64_t patch = s.in_channels * s.kernel * s.kernel;
  const int64_t image = s.in_channels * s.height * s.width;
  parallel_chunks(s.batch, grain(patch * spatial), [&](int64_t from, int64_t to) {
    for (int64_t n = from; n < to; ++n) {
      float* coln = col + n * patch * spatial;
      im2col(s, x + n * image, coln);
      float* yn = y + n * s.out_channels * spatial;
      for (int64_t o = 0; o < s.out_channels; ++o) {
        std::fill(yn + o * spatial, yn + (o + 1) * spatial, b != nullptr ? b[o] : 0.0f);
      }
      // yn (O, H'W') += w (O, CKK) · coln (CKK, H'W')
      gemm(false, false, s.out_channels, spatial, patch, 1.0f, w, patch, coln, spatial, 1.0f, yn,
           spatial);
    }
  });
}

void conv2d_backward(const Conv2dShape& s, const float* col, const float* w, const float* dy,
                     float* dx, float* dw, float* db) {
  const int64_t spatial = s.out_height() * s.out_width();
  const int64_t patch = s.in_channels * s.kernel * s.kernel;
  const int64_t image = s.in_channels * s.height * s.width;
  auto weights = [&] {  // image after image, as one thread would
    for (int64_t n = 0; n < s.batch; ++n) {
      const float* dyn = dy + n * s.out_channels * spatial;
      // dw (O, CKK) += dyn (O, H'W') · colnᵀ
      gemm(false, true, s.out_channels, patch, spatial, 1.0f, dyn, spatial,
           col + n * patch * spatial, spatial, 1.0f, dw, patch);
      if (db == nullptr) continue;
      for (int64_t o = 0; o < s.out_channels; ++o) {
        for (int64_t k = 0; k < spatial; ++k) db[o] += dyn[o * spatial + k];
      }
    }
  };
  if (dx == nullptr) {
    weights();
    return;
  }
  auto inputs = [&] {
    parallel_chunks(s.batch, grain(patch * spatial), [&](int64_t from, int64_t to) {
      thread_local std::vector<float> dcol;
      dcol.resize(static_cast<size_t>(patch * spatial));
      for (int64_t n = from; n < to; ++n) {
        // dcol (CKK, H'W') = wᵀ · dyn
        gemm(true, false, patch, spatial, s.out_channels, 1.0f, w, patch,
             dy + n * s.out_channels * spatial, spatial, 0.0f, dcol.data(), spatial);
        float* dxn = dx + n * image;
        std::fill(dxn, dxn + image, 0.0f);
        col2im(s, dcol.data(), dxn);
      }
    });
  };
  parallel_pair(weights, inputs);
}

namespace {

// Calls visit(plane, output index, window top, window left) for every output position of planes
// [from, to), in order.
template <class Visit>
void for_each_window(const Pool2dShape& s, int64_t from, int64_t to, Visit visit) {
  const int64_t oh = s.out_height(), ow = s.out_width();
  for (int64_t p = from; p < to; ++p) {
    for (int64_t i = 0; i < oh; ++i) {
      for (int64_t j = 0; j < ow; ++j) visit(p, i * ow + j, i * s.stride, j * s.stride);
    }
  }
}

// Runs visit over every window, planes spread over the threads.
template <class Visit>
void for_each_window(const Pool2dShape& s, Visit visit) {
  const int64_t planes = s.batch * s.channels;
  parallel_chunks(planes, grain(s.height * s.width),
                  [&](int64_t from, int64_t to) { for_each_window(s, from, to, visit); });
}

}  // namespace

void max_pool2d_forward(const Pool2dShape& s, const float* x, float* y) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    const float* win = x + p * plane + top * s.width + left;
    float best = win[0];  // kept on ties and against NaN: the first maximum's value
    for (int64_t a = 0; a < s.kernel; ++a) {
      for (int64_t b = 0; b < s.kernel; ++b) {
        const float v = win[a * s.width + b];
        best = v > best ? v : best;
      }
    }
    y[p * out + o] = best;
  });
}

void max_pool2d_backward(const Pool2dShape& s, const float* x, const float* y, const float* dy,
                         float* dx) {
  const int64_t plane = s.height * s.width, out = s.out_height() * s.out_width();
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    if (o == 0) std::fill(dx + p * plane, dx + (p + 1) * plane, 0.0f);
    const int64_t start = p * plane + top * s.width + left;
    const float best = y[p * out + o];
    int64_t first = 0;  // the window's first value equal to its maximum (none: a NaN first)
    for (int64_t a = s.kernel; a-- > 0;) {
      for (int64_t b = s.kernel; b-- > 0;) {
        const int64_t at = a * s.width + b;
        first = x[start + at] == best ? at : first;
      }
    }
    dx[start + first] += dy[p * out + o];
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
  for_each_window(s, [&](int64_t p, int64_t o, int64_t top, int64_t left) {
    if (o == 0) std::fill(dx + p * plane, dx + (p + 1) * plane, 0.0f);
    for (int64_t a = 0; a < s.kernel; ++a) {
      for (int64_t b = 0; b < s.kernel; ++b) {
        dx[p * plane + (top + a) * s.width + left + b] += dy[p * out + o] * scale;
      }
    }
  });
}

}  // namespace sluice::nn
