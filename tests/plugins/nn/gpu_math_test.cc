// The nn CUDA kernels' per-value arithmetic (plugins/nn/cuda/*_math.h) run on the host, with the
// CPU kernels' order of sums, against the CPU kernels themselves (nn/kernels): the same formulas,
// precisions and constants give the same bits, without a device. (The [cuda] tests in cuda/ run
// the kernels. The optimizers' math, optimizer_math.h, is the host optimizer's own.)
#include "nn/cuda/batch_norm_math.h"
#include "nn/cuda/conv_math.h"
#include "nn/cuda/cross_entropy_math.h"
#include "nn/cuda/gelu_math.h"
#include "nn/cuda/layer_norm_math.h"
#include "nn/cuda/softmax_math.h"
#include "nn/kernels/activation.h"
#include "nn/kernels/batch_norm.h"
#include "nn/kernels/conv.h"
#include "nn/kernels/gemm.h"
#include "nn/kernels/layer_norm.h"
#include "nn/kernels/loss.h"
#include "plugins/nn/random_inputs.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace k = sluice::nn::cuda_kernels;
namespace nn = sluice::nn;
using sluice::test::normal_values;

namespace {

// The bits of a and b are the same (NaN included).
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Shape {
  int64_t N, C;
};
constexpr Shape kShapes[] = {{1, 768}, {37, 13}, {9, 768}, {4, 3072}, {6, 1}};

}  // namespace

TEST_CASE("layer norm's per-value math is layer_norm_forward's, bit for bit", "[nn_gpu_math]") {
  for (const Shape& sh : kShapes) {
    const int64_t N = sh.N, C = sh.C;
    INFO("N " << N << ", C " << C);
    const std::vector<float> x = normal_values(N * C, 1, 0.5f, 2.0f),
                             w = normal_values(C, 2, 1.0f, 0.1f), b = normal_values(C, 3);
    std::vector<float> y(N * C), mean(N), rstd(N);
    nn::layer_norm_forward(x.data(), w.data(), b.data(), y.data(), mean.data(), rstd.data(), N, C,
                           1e-5f);
    std::vector<float> ky(N * C), kmean(N), krstd(N);
    for (int64_t n = 0; n < N; ++n) {
      const float* xr = x.data() + n * C;
      double sum = 0, squares = 0;
      for (int64_t c = 0; c < C; ++c) sum += xr[c];
      const double m = k::row_mean(sum, C);
      for (int64_t c = 0; c < C; ++c) squares += k::squared_deviation(xr[c], m);
      kmean[n] = static_cast<float>(m);
      krstd[n] = k::row_rstd(squares, C, 1e-5f);
      for (int64_t c = 0; c < C; ++c) {
        ky[n * C + c] = k::layer_norm_value(xr[c], kmean[n], krstd[n], w[c], b[c]);
      }
    }
    CHECK(same_bits(ky, y));
    CHECK(same_bits(kmean, mean));
    CHECK(same_bits(krstd, rstd));
  }
}

TEST_CASE("layer norm's backward per-value math is layer_norm_backward's, bit for bit",
          "[nn_gpu_math]") {
  for (const Shape& sh : kShapes) {
    const int64_t N = sh.N, C = sh.C;
    INFO("N " << N << ", C " << C);
    const std::vector<float> x = normal_values(N * C, 4), w = normal_values(C, 5, 1.0f, 0.1f),
                             b = normal_values(C, 6), dy = normal_values(N * C, 7);
    std::vector<float> y(N * C), mean(N), rstd(N);
    nn::layer_norm_forward(x.data(), w.data(), b.data(), y.data(), mean.data(), rstd.data(), N, C,
                           1e-5f);
    // Everything accumulates: start from values already there.
    std::vector<float> dx = normal_values(N * C, 8), dw = normal_values(C, 9),
                       db = normal_values(C, 10);
    std::vector<float> kdx = dx, kdw = dw, kdb = db;
    nn::layer_norm_backward(dy.data(), x.data(), w.data(), mean.data(), rstd.data(), dx.data(),
                            dw.data(), db.data(), N, C);
    for (int64_t n = 0; n < N; ++n) {
      const float *dyr = dy.data() + n * C, *xr = x.data() + n * C;
      double g_sum = 0, gx_sum = 0;
      for (int64_t c = 0; c < C; ++c) {
        const float g = k::weighted_gradient(w[c], dyr[c]);
        g_sum += g;
        gx_sum += g * k::normalized(xr[c], mean[n], rstd[n]);
      }
      const float g_mean = k::row_term_mean(g_sum, C), gx_mean = k::row_term_mean(gx_sum, C);
      for (int64_t c = 0; c < C; ++c) {
        const float xhat = k::normalized(xr[c], mean[n], rstd[n]);
        float& d = kdx[n * C + c];
        d = k::input_gradient(d, k::weighted_gradient(w[c], dyr[c]), xhat, g_mean, gx_mean,
                              rstd[n]);
        kdw[c] += xhat * dyr[c];
        kdb[c] += dyr[c];
      }
    }
    CHECK(same_bits(kdx, dx));
    CHECK(same_bits(kdw, dw));
    CHECK(same_bits(kdb, db));
  }
}

TEST_CASE("softmax's per-value math is softmax()'s, bit for bit, also over causal rows",
          "[nn_gpu_math]") {
  for (const Shape& sh : kShapes) {
    for (const bool causal : {false, true}) {
      // causal: (B·H, T, T) scores, T = C
      const int64_t N = causal ? sh.N * sh.C : sh.N, C = sh.C;
      INFO("N " << N << ", C " << C << (causal ? ", causal" : ""));
      const std::vector<float> z = normal_values(N * C, 11, 0.0f, 3.0f);
      std::vector<float> p(N * C, 0.0f);
      for (int64_t n = 0; n < N; ++n) {  // the CPU's softmax over the values a row covers
        const int64_t length = causal ? n % C + 1 : C;
        nn::softmax(z.data() + n * C, p.data() + n * C, 1, length);
      }
      std::vector<float> kp(N * C, 0.0f);
      for (int64_t n = 0; n < N; ++n) {
        const float* zr = z.data() + n * C;
        const int64_t length = k::softmax_length(n, C, causal);
        const float top = *std::max_element(zr, zr + length);
        double sum = 0;
        for (int64_t c = 0; c < length; ++c) sum += k::softmax_exp(zr[c], top);
        const float scale = k::softmax_scale(sum);
        for (int64_t c = 0; c < length; ++c) {
          kp[n * C + c] = k::softmax_value(k::softmax_exp(zr[c], top), scale);
        }
      }
      CHECK(same_bits(kp, p));
    }
  }
}

TEST_CASE("gelu's per-value math is activation_forward/backward's (erf form), bit for bit",
          "[nn_gpu_math]") {
  std::vector<float> x = normal_values(100000, 12, 0.0f, 3.0f);
  for (float v = -12.0f; v <= 12.0f; v += 0.01f) x.push_back(v);  // the tails too
  x.push_back(0.0f);
  const std::vector<float> dy = normal_values(x.size(), 13);
  const auto n = static_cast<int64_t>(x.size());
  std::vector<float> y(n), dx(n);
  nn::activation_forward(nn::Nonlinearity::kGelu, x.data(), y.data(), n);
  nn::activation_backward(nn::Nonlinearity::kGelu, x.data(), y.data(), nullptr, dy.data(),
                          dx.data(), n);
  std::vector<float> ky(n), kdx(n);
  for (int64_t i = 0; i < n; ++i) {
    ky[i] = k::gelu_value(x[i]);
    kdx[i] = k::gelu_gradient(x[i], dy[i]);
  }
  CHECK(same_bits(ky, y));
  CHECK(same_bits(kdx, dx));
}

TEST_CASE("cross entropy's per-value math is cross_entropy()'s, bit for bit, with ignored rows",
          "[nn_gpu_math]") {
  constexpr int64_t kIgnore = -100;
  for (const Shape& sh : kShapes) {
    for (const int ignore_every : {0, 3, 1}) {  // none, some, every row ignored
      const int64_t B = sh.N, C = sh.C;
      INFO("B " << B << ", C " << C << ", ignore every " << ignore_every);
      const std::vector<float> z = normal_values(B * C, 14, 0.0f, 4.0f);
      const std::vector<int64_t> t = sluice::test::class_targets(B, C, 15, ignore_every, kIgnore);
      std::vector<float> dz(B * C);
      const double loss = nn::cross_entropy(z.data(), t.data(), B, C, kIgnore, dz.data());
      int64_t counted = 0;
      for (int64_t target : t) counted += target != kIgnore;
      const double scale = k::loss_scale(counted);
      std::vector<float> kdz(B * C, 0.0f);
      double total = 0;
      for (int64_t b = 0; b < B; ++b) {
        if (t[b] == kIgnore) continue;
        const float* zr = z.data() + b * C;
        const float top = *std::max_element(zr, zr + C);
        double sum = 0;
        for (int64_t c = 0; c < C; ++c) sum += k::softmax_exp(zr[c], top);
        total += k::row_loss(k::log_sum_exp(sum, top), zr[t[b]]);
        for (int64_t c = 0; c < C; ++c) {
          kdz[b * C + c] = k::logit_gradient(k::softmax_exp(zr[c], top), sum, c == t[b], scale);
        }
      }
      CHECK(total * scale == loss);
      CHECK(same_bits(kdz, dz));
    }
  }
}

TEST_CASE("the convolution's unfolding and folding are conv2d's, bit for bit", "[nn_gpu_math]") {
  // (B, C, H, W, O, K, stride, padding): padding wider than the stride, strides that skip
  // pixels, a 1x1 kernel.
  const int64_t cases[][8] = {{2, 3, 9, 7, 4, 3, 1, 1},
                              {1, 2, 11, 10, 3, 3, 2, 2},
                              {3, 1, 6, 6, 2, 1, 1, 0},
                              {2, 2, 8, 9, 5, 4, 3, 1}};
  for (const auto& c : cases) {
    const nn::Conv2dShape s{c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
    INFO("B " << s.batch << ", C " << s.in_channels << ", " << s.height << "x" << s.width << ", O "
              << s.out_channels << ", K " << s.kernel << ", stride " << s.stride << ", padding "
              << s.padding);
    const k::ConvGeometry g{s.in_channels, s.height,  s.width,        s.kernel,
                            s.stride,      s.padding, s.out_height(), s.out_width()};
    const int64_t image = s.in_channels * s.height * s.width;
    const int64_t patch = s.in_channels * s.kernel * s.kernel;
    const int64_t spatial = s.out_height() * s.out_width();
    const std::vector<float> x = normal_values(s.batch * image, 21),
                             w = normal_values(s.out_channels * patch, 22),
                             dy = normal_values(s.batch * s.out_channels * spatial, 23);
    std::vector<float> y(s.batch * s.out_channels * spatial), col(s.columns());
    nn::conv2d_forward(s, x.data(), w.data(), nullptr, y.data(), col.data());
    std::vector<float> kcol(s.columns());
    for (int64_t n = 0; n < s.batch; ++n) {
      for (int64_t i = 0; i < patch * spatial; ++i) {
        kcol[n * patch * spatial + i] = k::unfolded_value(g, x.data() + n * image, i);
      }
    }
    CHECK(same_bits(kcol, col));

    std::vector<float> dx(s.batch * image), dw(w.size(), 0.0f);
    nn::conv2d_backward(s, col.data(), w.data(), dy.data(), dx.data(), dw.data(), nullptr);
    std::vector<float> dcol(patch * spatial), kdx(s.batch * image);
    for (int64_t n = 0; n < s.batch; ++n) {
      // the columns' gradient as conv2d_backward makes it: wᵀ · dy_n
      nn::gemm(true, false, patch, spatial, s.out_channels, 1.0f, w.data(), patch,
               dy.data() + n * s.out_channels * spatial, spatial, 0.0f, dcol.data(), spatial);
      for (int64_t i = 0; i < image; ++i) kdx[n * image + i] = k::folded_value(g, dcol.data(), i);
    }
    CHECK(same_bits(kdx, dx));
  }
}

TEST_CASE("pooling's per-value math is max_pool2d's and avg_pool2d's, bit for bit",
          "[nn_gpu_math]") {
  // (planes, H, W, K, stride): windows that tile, overlap (stride < K) and skip pixels.
  const int64_t cases[][5] = {{3, 8, 8, 2, 2}, {2, 9, 7, 3, 1}, {4, 10, 11, 2, 3}, {1, 5, 5, 5, 1}};
  for (const auto& c : cases) {
    const nn::Pool2dShape s{1, c[0], c[1], c[2], c[3], c[4]};
    INFO(c[0] << " planes of " << s.height << "x" << s.width << ", K " << s.kernel << ", stride "
              << s.stride);
    const k::PoolGeometry g{s.height, s.width, s.kernel, s.stride, s.out_height(), s.out_width()};
    const int64_t planes = s.channels, plane = s.height * s.width,
                  out = s.out_height() * s.out_width();
    // Values rounded to quarters, so windows hold ties (the first maximum gets the gradient).
    std::vector<float> x = normal_values(planes * plane, 31, 0.0f, 1.0f);
    for (float& v : x) v = std::round(v * 4.0f) / 4.0f;
    const std::vector<float> dy = normal_values(planes * out, 32);
    const float scale = 1.0f / static_cast<float>(s.kernel * s.kernel);

    std::vector<float> ymax(planes * out), yavg(planes * out), dmax(planes * plane),
        davg(planes * plane);
    nn::max_pool2d_forward(s, x.data(), ymax.data());
    nn::avg_pool2d_forward(s, x.data(), yavg.data());
    nn::max_pool2d_backward(s, x.data(), ymax.data(), dy.data(), dmax.data());
    nn::avg_pool2d_backward(s, dy.data(), davg.data());

    std::vector<float> kmax(ymax.size()), kavg(yavg.size()), kdmax(dmax.size()), kdavg(davg.size());
    for (int64_t p = 0; p < planes; ++p) {
      const float* xp = x.data() + p * plane;
      for (int64_t o = 0; o < out; ++o) {
        kmax[p * out + o] = k::window_max(g, xp, o);
        kavg[p * out + o] = k::window_mean(g, xp, scale, o);
      }
      for (int64_t i = 0; i < plane; ++i) {
        kdmax[p * plane + i] =
            k::max_pool_gradient(g, xp, ymax.data() + p * out, dy.data() + p * out, i);
        kdavg[p * plane + i] = k::avg_pool_gradient(g, dy.data() + p * out, scale, i);
      }
    }
    CHECK(same_bits(kmax, ymax));
    CHECK(same_bits(kavg, yavg));
    CHECK(same_bits(kdmax, dmax));
    CHECK(same_bits(kdavg, davg));
  }
}

TEST_CASE("batch norm's per-value math is batch_norm_forward's and _backward's, bit for bit",
          "[nn_gpu_math]") {
  // (N, C, S): BatchNorm1d on (N, C), BatchNorm2d on (N, C, H·W).
  const int64_t cases[][3] = {{16, 5, 1}, {4, 3, 49}, {1, 2, 7}};
  const double eps = 1e-5;
  for (const auto& c : cases) {
    const nn::BatchNormShape s{c[0], c[1], c[2]};
    const int64_t N = s.batch, C = s.channels, S = s.spatial, n = N * C * S;
    INFO("N " << N << ", C " << C << ", S " << S);
    const std::vector<float> x = normal_values(n, 41, 0.5f, 2.0f), dy = normal_values(n, 42),
                             w = normal_values(C, 43, 1.0f, 0.1f), b = normal_values(C, 44);
    std::vector<float> mean(C), var(C), rstd(C), y(n);
    nn::batch_norm_statistics(s, x.data(), mean.data(), var.data());
    for (int64_t ch = 0; ch < C; ++ch) {  // as the batch_norm layer computes it
      rstd[ch] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(var[ch]) + eps));
    }
    nn::batch_norm_forward(s, x.data(), mean.data(), rstd.data(), w.data(), b.data(), y.data());
    std::vector<float> ky(n), krstd(C);
    for (int64_t ch = 0; ch < C; ++ch) krstd[ch] = k::batch_norm_rstd(var[ch], eps);
    CHECK(same_bits(krstd, rstd));
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ch = i / S % C;
      const float scale = k::batch_norm_scale(rstd[ch], w[ch]);
      ky[i] = k::batch_norm_value(x[i], scale, k::batch_norm_shift(b[ch], mean[ch], scale));
    }
    CHECK(same_bits(ky, y));

    for (const bool batch_statistics : {true, false}) {
      INFO("batch statistics " << batch_statistics);
      std::vector<float> dx(n), dw(C, 0.0f), db(C, 0.0f);
      nn::batch_norm_backward(s, x.data(), dy.data(), mean.data(), rstd.data(), w.data(),
                              batch_statistics, dx.data(), dw.data(), db.data());
      std::vector<float> kdx(n), kdw(C), kdb(C);
      for (int64_t ch = 0; ch < C; ++ch) {
        double dy_sum = 0, dy_xhat_sum = 0;  // in the CPU's order
        for (int64_t i = 0; i < N * S; ++i) {
          const int64_t at = (i / S * C + ch) * S + i % S;
          dy_sum += dy[at];
          dy_xhat_sum += k::dy_xhat_term(dy[at], k::batch_norm_xhat(x[at], mean[ch], rstd[ch]));
        }
        kdw[ch] = static_cast<float>(dy_xhat_sum);
        kdb[ch] = static_cast<float>(dy_sum);
        const float scale = w[ch] * rstd[ch];
        const float dy_mean = batch_statistics ? k::channel_mean(dy_sum, N * S) : 0.0f;
        const float dy_xhat_mean = batch_statistics ? k::channel_mean(dy_xhat_sum, N * S) : 0.0f;
        for (int64_t i = 0; i < N * S; ++i) {
          const int64_t at = (i / S * C + ch) * S + i % S;
          kdx[at] = k::batch_norm_gradient(dy[at], k::batch_norm_xhat(x[at], mean[ch], rstd[ch]),
                                           scale, dy_mean, dy_xhat_mean);
        }
      }
      CHECK(same_bits(kdw, dw));
      CHECK(same_bits(kdb, db));
      CHECK(same_bits(kdx, dx));
    }
  }
}
