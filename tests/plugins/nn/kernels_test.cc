// The kernels' own contracts, beyond the gradient checks and the PyTorch parity: gemm() (cut into
// blocks or not) and dnnl_gemm() (or its refusal) against a double-precision product; the
// vectorised erf and exp against double precision (and their vector and per-value forms against
// each other, bit for bit), and gelu's passes against their formulas with them; conv2d against its
// defining sums for strides, paddings and kernel sizes the other tests do not reach; max_pool2d's
// routing to the first maximum of overlapping windows; and the same bits from a training step on 1,
// 2 and 4 threads (the kernels' parallel chunks and gemm's blocks depend on the shapes only).
#include "nn/kernels/activation.h"
#include "nn/kernels/conv.h"
#include "nn/kernels/dnnl_gemm.h"
#include "nn/kernels/gemm.h"
#include "nn/kernels/loss.h"
#include "nn/kernels/vector_math.h"
#include "nn/model.h"
#include "nn/optimizer.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

std::vector<float> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// |a - b| <= 1e-4 · max(1, |b|) for every value (NaN only where both are).
void check_close(const std::vector<float>& a, const std::vector<double>& b, const char* what) {
  REQUIRE(a.size() == b.size());
  size_t bad = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool both_nan = std::isnan(a[i]) && std::isnan(b[i]);
    bad += !both_nan && !(std::abs(a[i] - b[i]) <= 1e-4 * std::max(1.0, std::abs(b[i])));
  }
  INFO(what << ": " << bad << " of " << a.size() << " values differ");
  CHECK(bad == 0);
}

TEST_CASE("gemm matches a double-precision product, cut into blocks or not", "[plugins][nn]") {
  struct Case {
    int64_t m, n, k;
  };
  // uncut; cut in 2 by rows (2^23 multiply-adds and more); in 2 by columns (more columns than
  // rows); in 4 by rows, the last block shorter; with A transposed (a weight gradient's shape: k
  // the largest), in 2 and in 4 slabs of k, the last one shorter; a single row (sgemv, reading a
  // transposed A's column with its stride), alone and cut in 2 by columns (few rows: B's size
  // decides); and 8 rows cut in 4 by columns (on oneDNN through a dense C where it runs brgemm)
  const Case cases[] = {{7, 5, 3},       {600, 96, 200},  {40, 1000, 300}, {1030, 520, 70},
                        {96, 128, 1024}, {130, 70, 2000}, {1, 40, 5000},   {1, 7, 3},
                        {1, 3000, 300},  {8, 4096, 256}};
  for (const Case& c : cases) {
    for (int variant = 0; variant < 8; ++variant) {
      const bool ta = (variant & 1) != 0, tb = (variant & 2) != 0;
      const float beta = (variant & 4) != 0 ? 0.0f : 1.0f;  // 0: C's old values (NaN) ignored
      // op(A) (m, k), op(B) (k, n), each stored with 3 more columns than it uses
      const int64_t a_rows = ta ? c.k : c.m, a_cols = ta ? c.m : c.k;
      const int64_t b_rows = tb ? c.n : c.k, b_cols = tb ? c.k : c.n;
      const int64_t lda = a_cols + 3, ldb = b_cols + 3, ldc = c.n + 3;
      const std::vector<float> a = random_values(a_rows * lda, 1),
                               b = random_values(b_rows * ldb, 2);
      std::vector<float> out = random_values(c.m * ldc, 3);
      if (beta == 0.0f) std::fill(out.begin(), out.end(), std::nanf(""));
      std::vector<double> want(out.begin(), out.end());
      for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t j = 0; j < c.n; ++j) {
          double sum = 0;
          for (int64_t p = 0; p < c.k; ++p) {
            sum += static_cast<double>(ta ? a[p * lda + i] : a[i * lda + p]) *
                   (tb ? b[j * ldb + p] : b[p * ldb + j]);
          }
          want[i * ldc + j] = 0.5 * sum + (beta == 0.0f ? 0.0 : want[i * ldc + j]);  // alpha 0.5
        }
      }
      gemm(ta, tb, c.m, c.n, c.k, 0.5f, a.data(), lda, b.data(), ldb, beta, out.data(), ldc);
      INFO("m " << c.m << " n " << c.n << " k " << c.k << " trans " << ta << tb << " beta "
                << beta);
      check_close(out, want, "C");
    }
  }
}

TEST_CASE("dnnl_gemm matches a double-precision product, or refuses and leaves C alone",
          "[plugins][nn]") {
  struct Case {
    bool ta, tb;
    int64_t m, n, k, ldc_extra;
    float alpha, beta;
    int brgemm;  // 1: a layout brgemm takes, 0: one it refuses (C narrower than its stride),
                 // -1: either (a transposed A: brgemm takes some)
  };
  const Case cases[] = {{false, true, 256, 384, 128, 0, 1.0f, 1.0f, 1},
                        {false, false, 200, 130, 70, 0, 0.5f, 0.0f, 1},
                        {false, true, 96, 128, 1024, 0, 1.0f, 0.0f, 1},
                        {true, false, 96, 128, 1024, 0, 1.0f, 1.0f, -1},
                        {false, true, 128, 64, 784, 192, 1.0f, 1.0f, 0}};
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  for (const Case& c : cases) {
    const int64_t lda = c.ta ? c.m : c.k, ldb = c.tb ? c.k : c.n, ldc = c.n + c.ldc_extra;
    const std::vector<float> a = random_values(c.m * c.k, 4), b = random_values(c.k * c.n, 5);
    const std::vector<float> before = random_values(c.m * ldc, 6);
    std::vector<float> out = before;
    std::vector<double> want(before.begin(), before.end());
    for (int64_t i = 0; i < c.m; ++i) {
      for (int64_t j = 0; j < c.n; ++j) {
        double sum = 0;
        for (int64_t p = 0; p < c.k; ++p) {
          sum += static_cast<double>(c.ta ? a[p * lda + i] : a[i * lda + p]) *
                 (c.tb ? b[j * ldb + p] : b[p * ldb + j]);
        }
        want[i * ldc + j] = c.alpha * sum + c.beta * want[i * ldc + j];
      }
    }
    INFO("m " << c.m << " n " << c.n << " k " << c.k << " trans " << c.ta << c.tb << " ldc "
              << ldc);
    const bool ran = dnnl_gemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a.data(), lda, b.data(), ldb,
                               c.beta, out.data(), ldc);
    if (c.brgemm == 0) CHECK_FALSE(ran);
    if (c.brgemm == 1 && avx512) CHECK(ran);  // oneDNN's brgemm runs on AVX-512 CPUs
    if (ran) {
      check_close(out, want, "C");
    } else {
      CHECK(out == before);
    }
  }
}

// About a million floats spread over every bit pattern, and every float next to `bounds` (and
// their negations).
std::vector<float> float_sample(std::initializer_list<float> bounds) {
  std::vector<float> x;
  for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 4099) {
    x.push_back(std::bit_cast<float>(static_cast<uint32_t>(bits)));
  }
  for (float bound : bounds) {
    const uint32_t at = std::bit_cast<uint32_t>(bound);
    for (uint32_t b = at - 4096; b < at + 4096; ++b) {
      x.push_back(std::bit_cast<float>(b));
      x.push_back(-std::bit_cast<float>(b));
    }
  }
  return x;
}

// How many of got[i] and want(x[i]) differ in their bits (two NaNs count as equal).
template <class F>
size_t differing(const std::vector<float>& x, const std::vector<float>& got, F want) {
  size_t bad = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const float w = want(x[i]);
    bad += std::bit_cast<uint32_t>(w) != std::bit_cast<uint32_t>(got[i]) &&
           !(std::isnan(w) && std::isnan(got[i]));
  }
  return bad;
}

// |got - want| in units in the last place of the float nearest `want` (of the binade below when
// want lies under that float, a power of two); 0 for equal infinities or two NaNs, 1e9 for a NaN
// or infinity on one side only.
double ulps_off(float got, double want) {
  const auto nearest = static_cast<float>(want);
  if (std::isnan(want) || std::isinf(nearest)) {
    const bool same = std::isnan(want) ? std::isnan(got) : got == nearest;
    return same ? 0.0 : 1e9;
  }
  const float magnitude = std::fabs(nearest);
  double ulp = std::nextafter(magnitude, INFINITY) - magnitude;
  if (std::fabs(want) < magnitude) ulp = magnitude - std::nextafter(magnitude, 0.0f);
  return std::fabs(static_cast<double>(got) - want) / ulp;
}

// The largest ulps_off of erf_values and exp_values over x, against double precision.
struct WorstUlps {
  double erf = 0.0, exp = 0.0;
  float erf_at = 0.0f, exp_at = 0.0f;

  void add(const std::vector<float>& x) {
    std::vector<float> erf_out(x.size()), exp_out(x.size());
    erf_values(x.data(), erf_out.data(), static_cast<int64_t>(x.size()));
    exp_values(x.data(), exp_out.data(), static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i) {
      const double e = ulps_off(erf_out[i], std::erf(static_cast<double>(x[i])));
      const double p = ulps_off(exp_out[i], std::exp(static_cast<double>(x[i])));
      if (e > erf) erf = e, erf_at = x[i];
      if (p > exp) exp = p, exp_at = x[i];
    }
  }
};

// erf's pieces meet at 0.875 and 3.92; exp's results turn subnormal at -87.33655, zero below
// -103.97208 and infinite from 88.72284.
const std::initializer_list<float> kVectorMathBounds = {0.875f, 3.92f, -87.33655f, -103.97208f,
                                                        88.72284f};

TEST_CASE("erf_values and exp_values are within 1.5 and 1 ulp, and their per-value forms' bits",
          "[plugins][nn]") {
  const std::vector<float> x = float_sample(kVectorMathBounds);
  WorstUlps worst;
  worst.add(x);
  INFO("erf worst at " << worst.erf_at << ", exp worst at " << worst.exp_at);
  CHECK(worst.erf <= 1.5);
  CHECK(worst.exp <= 1.0);
  // The vector loops (AVX-512 or AVX2 where the CPU has them) and the single-value functions
  // (this build's baseline instructions) give the same bits.
  std::vector<float> out(x.size());
  erf_values(x.data(), out.data(), static_cast<int64_t>(x.size()));
  CHECK(differing(x, out, erf_value) == 0);
  exp_values(x.data(), out.data(), static_cast<int64_t>(x.size()));
  CHECK(differing(x, out, exp_value) == 0);
  // The values the header promises at the ends of the ranges.
  for (float v : {0.0f, -0.0f})
    CHECK(std::bit_cast<uint32_t>(erf_value(v)) == std::bit_cast<uint32_t>(v));
  CHECK(erf_value(INFINITY) == 1.0f);
  CHECK(erf_value(-INFINITY) == -1.0f);
  CHECK(std::isnan(erf_value(NAN)));
  // the floats each side of ln(the largest float and half its ulp) and of ln 2^-150
  CHECK(std::isfinite(exp_value(88.72283172607421875f)));
  CHECK(exp_value(88.72283935546875f) == INFINITY);
  CHECK(exp_value(-103.972076416015625f) == 0x1p-149f);
  CHECK(exp_value(-103.97208404541015625f) == 0.0f);
  CHECK(exp_value(-INFINITY) == 0.0f);
  CHECK(std::isnan(exp_value(NAN)));
}

TEST_CASE("erf_values and exp_values are within 1.5 and 1 ulp for every float",
          "[.][slow][plugins][nn]") {  // a few minutes: run by name
  constexpr int64_t kChunk = int64_t{1} << 24;
  std::vector<float> x(kChunk);
  WorstUlps worst;
  for (uint64_t first = 0; first < (uint64_t{1} << 32); first += kChunk) {
    for (int64_t i = 0; i < kChunk; ++i) x[i] = std::bit_cast<float>(uint32_t(first + i));
    worst.add(x);
  }
  INFO("erf worst " << worst.erf << " at " << worst.erf_at << ", exp worst " << worst.exp << " at "
                    << worst.exp_at);
  CHECK(worst.erf <= 1.5);
  CHECK(worst.exp <= 1.0);
}

TEST_CASE("gelu's passes are their scalar formulas with erf_value and exp_value, bit for bit",
          "[plugins][nn]") {
  const float k = 0.70710678118654752f;  // erf's argument is x · k: these put it at its bounds
  const std::vector<float> x = float_sample({0.875f / k, 3.92f / k});
  const auto n = static_cast<int64_t>(x.size());
  const std::vector<float> dy = random_values(x.size(), 12);
  std::vector<float> y(x.size()), cdf(x.size()), dx(x.size()), dx_recomputed(x.size());
  activation_forward(Nonlinearity::kGelu, x.data(), y.data(), n, cdf.data());
  activation_backward(Nonlinearity::kGelu, x.data(), y.data(), cdf.data(), dy.data(), dx.data(), n);
  activation_backward(Nonlinearity::kGelu, x.data(), y.data(), nullptr, dy.data(),
                      dx_recomputed.data(), n);
  auto cdf_of = [&](float v) { return 0.5f * (1.0f + erf_value(v * k)); };
  CHECK(differing(x, cdf, cdf_of) == 0);
  CHECK(differing(x, y, [&](float v) { return 0.5f * v * (1.0f + erf_value(v * k)); }) == 0);
  std::vector<float> want_dx(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const float pdf = 0.39894228040143268f * exp_value(-0.5f * x[i] * x[i]);
    want_dx[i] = dy[i] * (cdf_of(x[i]) + x[i] * pdf);
  }
  size_t bad = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    for (float got : {dx[i], dx_recomputed[i]}) {
      bad += std::bit_cast<uint32_t>(got) != std::bit_cast<uint32_t>(want_dx[i]) &&
             !(std::isnan(got) && std::isnan(want_dx[i]));
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("conv2d matches its defining sums for strides, paddings and kernel sizes",
          "[plugins][nn]") {
  for (const auto& [kernel, stride, padding] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
           {1, 1, 0}, {3, 2, 1}, {3, 3, 2}, {5, 2, 2}, {2, 1, 1}, {4, 3, 0}}) {
    const Conv2dShape s{3, 2, 9, 7, 4, kernel, stride, padding};
    const int64_t oh = s.out_height(), ow = s.out_width();
    const std::vector<float> x = random_values(3 * 2 * 9 * 7, 4);
    const std::vector<float> w = random_values(4 * 2 * kernel * kernel, 5);
    const std::vector<float> bias = random_values(4, 6);
    const std::vector<float> dy = random_values(3 * 4 * oh * ow, 7);
    // The input value under output (n, *, i, j) at kernel offset (c, a, b), or null in padding.
    auto input_at = [&](int64_t n, int64_t c, int64_t i, int64_t j, int64_t a, int64_t b) {
      const int64_t row = i * stride - padding + a, col = j * stride - padding + b;
      if (row < 0 || row >= 9 || col < 0 || col >= 7) return static_cast<int64_t>(-1);
      return ((n * 2 + c) * 9 + row) * 7 + col;
    };
    std::vector<double> y_want(3 * 4 * oh * ow), dx_want(x.size()), dw_want(w.size()), db_want(4);
    for (int64_t n = 0; n < 3; ++n) {
      for (int64_t o = 0; o < 4; ++o) {
        for (int64_t i = 0; i < oh; ++i) {
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t at = ((n * 4 + o) * oh + i) * ow + j;
            double sum = bias[o];
            db_want[o] += dy[at];
            for (int64_t c = 0; c < 2; ++c) {
              for (int64_t a = 0; a < kernel; ++a) {
                for (int64_t b = 0; b < kernel; ++b) {
                  const int64_t in = input_at(n, c, i, j, a, b);
                  if (in < 0) continue;
                  const int64_t wi = ((o * 2 + c) * kernel + a) * kernel + b;
                  sum += static_cast<double>(w[wi]) * x[in];
                  dw_want[wi] += static_cast<double>(dy[at]) * x[in];
                  dx_want[in] += static_cast<double>(dy[at]) * w[wi];
                }
              }
            }
            y_want[at] = sum;
          }
        }
      }
    }
    std::vector<float> y(y_want.size()), col(static_cast<size_t>(s.columns()));
    conv2d_forward(s, x.data(), w.data(), bias.data(), y.data(), col.data());
    std::vector<float> dx(x.size(), 9.0f), dw(w.size(), 0.0f), db(4, 0.0f);
    conv2d_backward(s, col.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data());
    INFO("kernel " << kernel << " stride " << stride << " padding " << padding);
    check_close(y, y_want, "y");
    check_close(dx, dx_want, "dx");
    check_close(dw, dw_want, "dw");
    check_close(db, db_want, "db");
  }
}

TEST_CASE("max_pool2d routes each window's gradient to its first maximum, overlaps summed",
          "[plugins][nn]") {
  const Pool2dShape s{2, 3, 7, 6, 3, 2};  // 3x3 windows 2 apart: neighbours share a row/column
  const int64_t oh = s.out_height(), ow = s.out_width(), plane = 7 * 6;
  std::vector<float> x = random_values(2 * 3 * plane, 8);
  for (float& v : x) v = std::round(v * 2.0f) / 2.0f;  // five values: windows with ties
  x[0] = std::nanf("");                                // a window whose first value is NaN
  x[16] = std::nanf("");  // (2, 4): inside two windows, the first value of neither
  const std::vector<float> dy = random_values(2 * 3 * oh * ow, 9);
  std::vector<double> y_want(dy.size()), dx_want(x.size());
  for (int64_t p = 0; p < 2 * 3; ++p) {
    for (int64_t i = 0; i < oh; ++i) {
      for (int64_t j = 0; j < ow; ++j) {
        int64_t best = p * plane + i * 2 * 6 + j * 2;  // first maximum, as nn.MaxPool2d
        for (int64_t a = 0; a < 3; ++a) {
          for (int64_t b = 0; b < 3; ++b) {
            const int64_t at = p * plane + (i * 2 + a) * 6 + j * 2 + b;
            if (x[at] > x[best]) best = at;
          }
        }
        y_want[(p * oh + i) * ow + j] = x[best];
        dx_want[best] += dy[(p * oh + i) * ow + j];
      }
    }
  }
  std::vector<float> y(dy.size()), dx(x.size(), 5.0f);
  max_pool2d_forward(s, x.data(), y.data());
  max_pool2d_backward(s, x.data(), y.data(), dy.data(), dx.data());
  CHECK(std::isnan(y[0]));
  y[0] = 0.0f;
  y_want[0] = 0.0;
  check_close(y, y_want, "y");
  check_close(dx, dx_want, "dx");
}

// The weights after two AdamW steps of `specs` on `input` (features or ids) with `labels`, run
// in an arena of `threads` threads.
std::vector<float> trained(const std::vector<LayerSpec>& specs, const ModelInput& input,
                           const std::vector<int64_t>& labels, int threads) {
  std::vector<float> weights;
  // as many worker threads as asked for, even on a machine with fewer cores
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena(threads).execute([&] {
    Expected<std::unique_ptr<Model>> model = Model::build(specs, {7}, 0);
    REQUIRE(model.ok());
    std::vector<Parameter*> params;
    for (const auto& [name, p] : (*model)->parameters()) params.push_back(p);
    Expected<Optimizer> opt = Optimizer::make(OptimizerConfig{}, params);
    REQUIRE(opt.ok());
    Workspace ws;
    for (int step = 0; step < 2; ++step) {
      REQUIRE((*model)->forward(input, true, 3, ws).ok());
      const Buffer& out = ws.output();
      Buffer dout;
      dout.resize(out.shape);
      const int64_t rows = static_cast<int64_t>(labels.size());
      cross_entropy(out.values.data(), labels.data(), rows,
                    static_cast<int64_t>(out.values.size()) / rows, -100, dout.values.data());
      (*model)->backward(ws, dout);
      opt->step(1e-3);
      (*model)->zero_grad();
    }
    for (const auto& [name, p] : (*model)->parameters()) {
      weights.insert(weights.end(), p->value.begin(), p->value.end());
    }
  });
  return weights;
}

TEST_CASE("a training step gives the same weights on 1, 2 and 4 threads", "[plugins][nn]") {
  SECTION("cnn: images over the threads, a linear layer's product cut into blocks") {
    const std::vector<float> images = random_values(8 * 3 * 24 * 24, 10);
    const ModelInput in{{8, 3, 24, 24}, nullptr, images.data()};
    const std::vector<int64_t> labels{0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<LayerSpec> specs{
        {"conv2d", {{"in_channels", 3}, {"out_channels", 16}, {"kernel_size", 3}, {"padding", 1}}},
        {"relu", {}},
        {"max_pool2d", {{"kernel_size", 2}}},
        {"conv2d",
         {{"in_channels", 16},
          {"out_channels", 32},
          {"kernel_size", 3},
          {"stride", 2},
          {"padding", 1}}},
        {"gelu", {}},
        {"flatten", {}},
        {"linear", {{"in", 32 * 6 * 6}, {"out", 1024}}},
        {"tanh", {}},
        {"linear", {{"in", 1024}, {"out", 10}}}};
    const std::vector<float> one = trained(specs, in, labels, 1);
    CHECK(trained(specs, in, labels, 2) == one);
    CHECK(trained(specs, in, labels, 4) == one);
  }
  SECTION("gpt: heads and rows over the threads, its products cut into blocks") {
    std::vector<int32_t> ids(8 * 32);
    std::vector<int64_t> labels(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      ids[i] = static_cast<int32_t>((i * 7 + i / 5) % 64);
      labels[i] = static_cast<int64_t>((i * 3 + 1) % 64);
    }
    const ModelInput in{{8, 32}, ids.data(), nullptr};
    const std::vector<LayerSpec> specs{
        {"token_position_embedding", {{"num_embeddings", 64}, {"block_size", 32}, {"dim", 128}}},
        {"transformer_block", {{"dim", 128}, {"heads", 4}}},
        {"layer_norm", {{"dim", 128}}},
        {"linear", {{"in", 128}, {"out", 64}}}};
    const std::vector<float> one = trained(specs, in, labels, 1);
    CHECK(trained(specs, in, labels, 2) == one);
    CHECK(trained(specs, in, labels, 4) == one);
  }
}

}  // namespace
}  // namespace sluice::nn
