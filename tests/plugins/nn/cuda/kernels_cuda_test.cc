// [cuda] The nn CUDA kernels (plugins/nn/cuda) against the CPU kernels (nn/kernels,
// nn/optimizer) on random inputs of several shapes: ragged C (not a multiple of 4), GPT-2's
// C = 768 and 3072, N = 1, causal attention rows, ignored targets. Tolerances per op (|gpu - cpu|
// <= atol + rtol · |cpu| for every value): forward values rtol 1e-5 / atol 1e-6, backward ones
// 1e-4 / 1e-5, the parameter gradients of layer norm (sums over the rows in another order) within
// 1e-4 of the largest one, the cross entropy loss (in double on both sides) rtol 1e-7, mean
// squared error's gradient bit for bit and its loss and the sums of squares (double, summed in
// another order) rtol 1e-12, and SGD, Adam and AdamW bit for bit (the same float operations,
// correctly rounded on both sides). The largest difference of each op is printed.
#include "cuda/cuda_status.h"
#include "cuda/stream.h"
#include "nn/cuda/cross_entropy_kernel.h"
#include "nn/cuda/gelu_kernel.h"
#include "nn/cuda/layer_norm_kernel.h"
#include "nn/cuda/optimizer_kernel.h"
#include "nn/cuda/softmax_kernel.h"
#include "nn/cuda/squares_kernel.h"
#include "nn/kernels/activation.h"
#include "nn/kernels/layer_norm.h"
#include "nn/kernels/loss.h"
#include "nn/optimizer.h"
#include "plugins/nn/random_inputs.h"
#include "support/cuda_device.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

namespace k = sluice::nn::cuda_kernels;
namespace nn = sluice::nn;
using sluice::Status;
using sluice::test::normal_values;

namespace {

// Device copies of host vectors for one job on a stream: in(v) uploads v; out(v) uploads v too
// (the kernels may accumulate into it), and download_outs(), called once the job's kernels are
// queued, queues the copies back into each out vector, written when the job ends. After a failed
// allocation or copy they return null and status() says why: check ok() before launching.
class Buffers {
 public:
  explicit Buffers(sluice::cuda::Stream& st) : st_(st) {}

  template <class T>
  T* in(const std::vector<T>& v) {
    return upload(v.data(), v.size());
  }
  template <class T>
  T* out(std::vector<T>& v) {
    T* d = upload(v.data(), v.size());
    if (d != nullptr) outs_.push_back(Out{d, v.data(), v.size() * sizeof(T)});
    return d;
  }
  // Queues the downloads of the out vectors: after the kernels, so they copy the kernels' results.
  void download_outs() {
    for (const Out& o : outs_) keep(st_.download(o.device, o.bytes, o.host));
  }
  // n values of scratch, uninitialised.
  template <class T>
  T* scratch(size_t n) {
    sluice::Expected<void*> d = st_.device_buffer(std::max<size_t>(n, 1) * sizeof(T));
    if (!d.ok()) return keep(d.status()), nullptr;
    return static_cast<T*>(*d);
  }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  template <class T>
  T* upload(const T* src, size_t n) {
    T* d = scratch<T>(n);
    if (d != nullptr && n > 0) keep(st_.upload(src, n * sizeof(T), d));
    return ok() ? d : nullptr;
  }
  void keep(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  struct Out {
    const void* device;
    void* host;
    size_t bytes;
  };
  sluice::cuda::Stream& st_;
  std::vector<Out> outs_;
  Status status_;
};

// Runs job(buffers, stream) on a stream of device 0 and waits for it; the `out` vectors are
// written when this returns. Call after SLUICE_REQUIRE_CUDA_DEVICE.
void on_device(const std::function<Status(Buffers&, cudaStream_t)>& job) {
  static std::unique_ptr<sluice::cuda::StreamPool> pool = [] {
    auto p = sluice::cuda::StreamPool::open(0);
    INFO(p.status().message());
    REQUIRE(p.ok());
    return std::move(*p);
  }();
  const Status s = pool->run([&](sluice::cuda::Stream& st) -> Status {
    Buffers b(st);
    const Status launched = job(b, st.get());
    if (launched.ok()) b.download_outs();
    return b.ok() ? launched : b.status();
  });
  INFO(s.message());
  REQUIRE(s.ok());
}

struct Tolerance {
  double rtol, atol;
};
constexpr Tolerance kForward{1e-5, 1e-6}, kBackward{1e-4, 1e-5};

// Checks |got - want| <= atol + rtol · |want| for every value; returns the largest |got - want|.
template <class T>
double check_close(const std::vector<T>& got, const std::vector<T>& want, Tolerance tol,
                   const char* what) {
  REQUIRE(got.size() == want.size());
  double worst = 0;
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double d = std::fabs(static_cast<double>(got[i]) - static_cast<double>(want[i]));
    worst = std::max(worst, d);
    bad += !(d <= tol.atol + tol.rtol * std::fabs(static_cast<double>(want[i])));
  }
  INFO(what << ": " << bad << " of " << got.size() << " values out of tolerance, max |diff| "
            << worst);
  CHECK(bad == 0);
  return worst;
}

// The tolerance of sums over many rows: rtol of the largest |want|.
Tolerance of_largest(const std::vector<float>& want, double rtol) {
  double top = 0;
  for (float v : want) top = std::max(top, static_cast<double>(std::fabs(v)));
  return {rtol, rtol * std::max(top, 1.0)};
}

struct Shape {
  int64_t N, C;
};
constexpr Shape kShapes[] = {{1, 768}, {37, 13}, {64, 768}, {19, 3072}, {5, 1}, {8, 50}};

void report(const char* op, double worst) {
  std::cout << "GPU " << op << " vs CPU: max |diff| " << worst << "\n";
}

}  // namespace

TEST_CASE("GPU layer norm forward matches layer_norm_forward", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  double worst = 0;
  for (const Shape& sh : kShapes) {
    const int64_t N = sh.N, C = sh.C;
    INFO("N " << N << ", C " << C);
    const std::vector<float> x = normal_values(N * C, 1, 0.5f, 2.0f),
                             w = normal_values(C, 2, 1.0f, 0.1f), b = normal_values(C, 3);
    std::vector<float> y(N * C), mean(N), rstd(N);
    nn::layer_norm_forward(x.data(), w.data(), b.data(), y.data(), mean.data(), rstd.data(), N, C,
                           1e-5f);
    std::vector<float> gy(N * C), gmean(N), grstd(N);
    on_device([&](Buffers& d, cudaStream_t s) -> Status {
      const float *px = d.in(x), *pw = d.in(w), *pb = d.in(b);
      float *py = d.out(gy), *pm = d.out(gmean), *pr = d.out(grstd);
      if (!d.ok()) return d.status();
      return k::launch_layer_norm_forward(px, pw, pb, py, pm, pr, N, C, 1e-5f, s);
    });
    worst = std::max({worst, check_close(gy, y, kForward, "y"),
                      check_close(gmean, mean, kForward, "mean"),
                      check_close(grstd, rstd, kForward, "rstd")});
  }
  report("layer norm forward", worst);
}

TEST_CASE("GPU layer norm backward matches layer_norm_backward, the same bits every run",
          "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  double worst = 0;
  for (const Shape& sh : kShapes) {
    const int64_t N = sh.N, C = sh.C;
    INFO("N " << N << ", C " << C);
    const std::vector<float> x = normal_values(N * C, 4), w = normal_values(C, 5, 1.0f, 0.1f),
                             b = normal_values(C, 6), dy = normal_values(N * C, 7);
    std::vector<float> y(N * C), mean(N), rstd(N);
    nn::layer_norm_forward(x.data(), w.data(), b.data(), y.data(), mean.data(), rstd.data(), N, C,
                           1e-5f);
    const std::vector<float> dx0 = normal_values(N * C, 8), dw0 = normal_values(C, 9),
                             db0 = normal_values(C, 10);
    std::vector<float> dx = dx0, dw = dw0, db = db0;
    nn::layer_norm_backward(dy.data(), x.data(), w.data(), mean.data(), rstd.data(), dx.data(),
                            dw.data(), db.data(), N, C);
    std::vector<float> runs[2][3];
    for (auto& run : runs) {
      run[0] = dx0, run[1] = dw0, run[2] = db0;
      on_device([&](Buffers& d, cudaStream_t s) -> Status {
        const float *pdy = d.in(dy), *px = d.in(x), *pw = d.in(w), *pm = d.in(mean),
                    *pr = d.in(rstd);
        float *pdx = d.out(run[0]), *pdw = d.out(run[1]), *pdb = d.out(run[2]);
        float* scratch = d.scratch<float>(k::layer_norm_backward_scratch(N, C));
        if (!d.ok()) return d.status();
        return k::launch_layer_norm_backward(pdy, px, pw, pm, pr, pdx, pdw, pdb, scratch, N, C, s);
      });
    }
    worst = std::max({worst, check_close(runs[0][0], dx, kBackward, "dx"),
                      check_close(runs[0][1], dw, of_largest(dw, 1e-4), "dweight"),
                      check_close(runs[0][2], db, of_largest(db, 1e-4), "dbias")});
    for (int i = 0; i < 3; ++i) CHECK(runs[0][i] == runs[1][i]);
  }
  report("layer norm backward", worst);
}

TEST_CASE("GPU softmax matches softmax(), over whole rows and causal ones", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  double worst = 0;
  for (const Shape& sh : kShapes) {
    for (const bool causal : {false, true}) {
      const int64_t N = causal ? 3 * sh.C : sh.N, C = sh.C;  // causal: (1, 3, T, T), T = C
      INFO("N " << N << ", C " << C << (causal ? ", causal" : ""));
      const std::vector<float> z = normal_values(N * C, 11, 0.0f, 3.0f);
      std::vector<float> p(N * C, 0.0f);
      for (int64_t n = 0; n < N; ++n) {
        nn::softmax(z.data() + n * C, p.data() + n * C, 1, causal ? n % C + 1 : C);
      }
      std::vector<float> gp(N * C, -1.0f);  // the causal rows' zeros are written
      on_device([&](Buffers& d, cudaStream_t s) -> Status {
        const float* pz = d.in(z);
        float* pp = d.out(gp);
        if (!d.ok()) return d.status();
        return k::launch_softmax(pz, pp, N, C, causal, s);
      });
      worst = std::max(worst, check_close(gp, p, kForward, "probs"));
    }
  }
  report("softmax", worst);
}

TEST_CASE("GPU gelu forward and backward match activation_forward/backward", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  double worst_y = 0, worst_dx = 0;
  for (const int64_t n : {int64_t{1}, int64_t{13}, int64_t{768 * 64 + 3}}) {
    INFO("n " << n);
    const std::vector<float> x = normal_values(n, 12, 0.0f, 3.0f), dy = normal_values(n, 13);
    std::vector<float> y(n), dx(n);
    nn::activation_forward(nn::Nonlinearity::kGelu, x.data(), y.data(), n);
    nn::activation_backward(nn::Nonlinearity::kGelu, x.data(), y.data(), nullptr, dy.data(),
                            dx.data(), n);
    std::vector<float> gy(n), gdx(n);
    on_device([&](Buffers& d, cudaStream_t s) -> Status {
      const float *px = d.in(x), *pdy = d.in(dy);
      float *py = d.out(gy), *pdx = d.out(gdx);
      if (!d.ok()) return d.status();
      SLUICE_RETURN_IF_ERROR(k::launch_gelu_forward(px, py, n, s));
      return k::launch_gelu_backward(px, pdy, pdx, n, s);
    });
    worst_y = std::max(worst_y, check_close(gy, y, kForward, "y"));
    worst_dx = std::max(worst_dx, check_close(gdx, dx, kBackward, "dx"));
  }
  report("gelu forward", worst_y);
  report("gelu backward", worst_dx);
}

TEST_CASE("GPU softmax + cross entropy matches cross_entropy(), with ignored rows", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  constexpr int64_t kIgnore = -100;
  double worst = 0;
  for (const Shape& sh : kShapes) {
    for (const int ignore_every : {0, 3, 1}) {  // none, some, every row ignored
      const int64_t B = sh.N, C = sh.C;
      INFO("B " << B << ", C " << C << ", ignore every " << ignore_every);
      const std::vector<float> z = normal_values(B * C, 14, 0.0f, 4.0f);
      const std::vector<int64_t> t = sluice::test::class_targets(B, C, 15, ignore_every, kIgnore);
      std::vector<float> dz(B * C);
      const double loss = nn::cross_entropy(z.data(), t.data(), B, C, kIgnore, dz.data());
      std::vector<float> gdz(B * C, -1.0f);  // ignored rows' zeros are written
      std::vector<double> gloss(1, -1.0);
      on_device([&](Buffers& d, cudaStream_t s) -> Status {
        k::CrossEntropyArgs a;
        a.logits = d.in(z);
        a.targets = d.in(t);
        a.B = B;
        a.C = C;
        a.ignore_index = kIgnore;
        a.dlogits = d.out(gdz);
        a.row_losses = d.scratch<double>(B);
        a.counted = d.scratch<int64_t>(1);
        a.loss = d.out(gloss);
        if (!d.ok()) return d.status();
        return k::launch_cross_entropy(a, s);
      });
      check_close(gloss, std::vector<double>{loss}, Tolerance{1e-7, 1e-12}, "loss");
      worst = std::max(worst, check_close(gdz, dz, kBackward, "dlogits"));
    }
  }
  report("cross entropy dlogits", worst);
}

TEST_CASE("GPU SGD, Adam and AdamW give Optimizer::step's values bit for bit", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  std::vector<nn::OptimizerConfig> configs(5);
  configs[0].kind = "sgd";  // no momentum
  configs[1].kind = "sgd";
  configs[1].momentum = 0.9;
  configs[1].dampening = 0.1;
  configs[1].weight_decay = 0.01;
  configs[2].kind = "sgd";
  configs[2].momentum = 0.9;
  configs[2].nesterov = true;
  configs[3].kind = "adam";
  configs[3].weight_decay = 0.01;
  configs[4].kind = "adamw";
  configs[4].weight_decay = 0.1;
  configs[4].beta2 = 0.95;
  const std::vector<double> lrs{3e-4, 1e-3, 6e-4, 1e-2};
  for (const nn::OptimizerConfig& config : configs) {
    for (const int64_t n : {int64_t{1}, int64_t{13}, int64_t{100003}}) {
      INFO(config.kind << ", momentum " << config.momentum << ", nesterov " << config.nesterov
                       << ", n " << n);
      nn::Parameter p{"weight", {n}, normal_values(n, 16), {}};
      auto reference = nn::Optimizer::make(config, {&p});
      REQUIRE(reference.ok());
      std::vector<float> w = p.value, m(n, 0.0f), v(n, 0.0f);
      for (int64_t step = 1; step <= static_cast<int64_t>(lrs.size()); ++step) {
        const std::vector<float> grad = normal_values(n, 100 + step, 0.0f, 0.5f);
        const k::UpdateStep constants = reference->update_step(lrs[step - 1], step);
        p.grad = grad;
        reference->step(lrs[step - 1]);
        on_device([&](Buffers& d, cudaStream_t s) -> Status {
          const float* pg = d.in(grad);
          float *pw = d.out(w), *pm = d.out(m), *pv = d.out(v);
          if (!d.ok()) return d.status();
          return k::launch_optimizer_update(constants, pg, pw, pm, pv, n, s);
        });
      }
      check_close(w, p.value, Tolerance{0, 0}, "w");
      const auto state = reference->state();  // momentum_buffer, or exp_avg and exp_avg_sq
      check_close(m, *state[0].second, Tolerance{0, 0}, "m");
      if (state.size() == 2) check_close(v, *state[1].second, Tolerance{0, 0}, "v");
    }
  }
}

TEST_CASE("GPU mean squared error and sums of squares give nn's mse and its sums", "[cuda][nn]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  for (const int64_t n : {int64_t{1}, int64_t{1000}, int64_t{100003}}) {
    INFO("n " << n);
    const std::vector<float> pred = normal_values(n, 3), target = normal_values(n, 4, 0.5f, 2.0f);
    std::vector<float> dpred(n);
    const double loss = nn::mse(pred.data(), target.data(), n, dpred.data());
    double squares = 0;
    for (float x : pred) squares += static_cast<double>(x) * x;
    std::vector<float> gdpred(n, 0.0f);
    std::vector<double> mse_sums(k::kSquareSumBlocks, 0.0), square_sums(k::kSquareSumBlocks, 0.0);
    const double scale = 1.0 / static_cast<double>(n);
    on_device([&](Buffers& d, cudaStream_t s) -> Status {
      const float *pp = d.in(pred), *pt = d.in(target);
      float* pd = d.out(gdpred);
      double *pm = d.out(mse_sums), *ps = d.out(square_sums);
      if (!d.ok()) return d.status();
      SLUICE_RETURN_IF_ERROR(k::launch_mse(pp, pt, n, scale, pd, pm, s));
      return k::launch_square_sums(pp, n, ps, s);
    });
    double gpu_loss = 0, gpu_squares = 0;
    for (double v : mse_sums) gpu_loss += v;
    for (double v : square_sums) gpu_squares += v;
    check_close(std::vector<double>{gpu_loss * scale}, std::vector<double>{loss},
                Tolerance{1e-12, 0}, "mse loss");
    check_close(std::vector<double>{gpu_squares}, std::vector<double>{squares}, Tolerance{1e-12, 0},
                "sum of squares");
    check_close(gdpred, dpred, Tolerance{0, 0}, "mse gradient");
  }
}
