// Memory bandwidth of the nn CUDA kernels (plugins/nn/cuda) on GPT-2-sized shapes: layer norm
// forward and backward (8192 rows of 768 and of 3072), softmax forward over attention's
// (B·H·T, T) scores (B 8, H 12, T 1024; whole rows and causal ones) and GELU forward and backward
// (8192 × 3072). For each: the mean time of a launch, the bytes it reads and writes (counted per
// kernel below) over that time, and that rate as a fraction of (a) the device's peak bandwidth
// from its memory clock and bus width and (b) a device-to-device cudaMemcpy moving as many bytes
// (issue 6's target: 70% or more). Every launch is timed on its own with the L2 cache emptied
// before it, so the rates are the device memory's. Without a device it says why and exits 0; a
// CUDA error is printed as its Status and exits 1.
// Usage: bench_nn_kernels [repeats, default 50]
#include "cuda/cuda_status.h"
#include "cuda/device.h"
#include "cuda/launch.h"
#include "nn/cuda/gelu_kernel.h"
#include "nn/cuda/layer_norm_kernel.h"
#include "nn/cuda/softmax_kernel.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace k = sluice::nn::cuda_kernels;
using sluice::Status;

constexpr double kFloat = sizeof(float);

// p: (n) = values in [-2, 2].
__global__ void fill(float* p, int64_t n) {
  sluice::cuda::for_each_index(n, [&](int64_t i) { p[i] = 2.0f * __sinf(0.37f * i); });
}

// Device buffers freed at exit.
class Arena {
 public:
  ~Arena() {
    for (void* p : buffers_) cudaFree(p);
  }
  // n floats, filled with values in [-2, 2].
  sluice::Expected<float*> floats(int64_t n) {
    void* p = nullptr;
    SLUICE_CUDA_RETURN_IF_ERROR(cudaMalloc(&p, static_cast<size_t>(n) * sizeof(float)));
    buffers_.push_back(p);
    fill<<<sluice::cuda::grid_blocks(n), sluice::cuda::kThreads>>>(static_cast<float*>(p), n);
    SLUICE_CUDA_RETURN_IF_ERROR(cudaGetLastError());
    return static_cast<float*>(p);
  }

 private:
  std::vector<void*> buffers_;
};

// The mean seconds of `repeats` calls of launch() on `stream`, after two warm-up calls, each
// timed on its own after `flush` is overwritten, so that no launch finds its data in the L2
// cache from the one before (H100's L2 holds 50 MB, H200's 60 MB: as much as a case moves).
sluice::Expected<double> time_launches(const std::function<Status()>& launch, int repeats,
                                       cudaStream_t stream, void* flush, size_t flush_bytes) {
  for (int i = 0; i < 2; ++i) SLUICE_RETURN_IF_ERROR(launch());
  cudaEvent_t start = nullptr, stop = nullptr;
  double seconds = 0;
  const Status s = [&]() -> Status {
    SLUICE_CUDA_RETURN_IF_ERROR(cudaEventCreate(&start));
    SLUICE_CUDA_RETURN_IF_ERROR(cudaEventCreate(&stop));
    for (int i = 0; i < repeats; ++i) {
      SLUICE_CUDA_RETURN_IF_ERROR(cudaMemsetAsync(flush, i & 0xff, flush_bytes, stream));
      SLUICE_CUDA_RETURN_IF_ERROR(cudaEventRecord(start, stream));
      SLUICE_RETURN_IF_ERROR(launch());
      SLUICE_CUDA_RETURN_IF_ERROR(cudaEventRecord(stop, stream));
      SLUICE_CUDA_RETURN_IF_ERROR(cudaEventSynchronize(stop));
      float ms = 0;
      SLUICE_CUDA_RETURN_IF_ERROR(cudaEventElapsedTime(&ms, start, stop));
      seconds += ms * 1e-3;
    }
    return {};
  }();
  if (start != nullptr) cudaEventDestroy(start);
  if (stop != nullptr) cudaEventDestroy(stop);
  if (!s.ok()) return s;
  return seconds / repeats;
}

// Bytes that evict the whole L2 cache when written: twice its size (64 MiB if not reported).
size_t l2_flush_bytes() {
  int l2 = 0;
  if (cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0) != cudaSuccess || l2 <= 0) {
    cudaGetLastError();
    return size_t{64} << 20;
  }
  return 2 * static_cast<size_t>(l2);
}

// The device's peak bandwidth in bytes/s (memory clock × 2 for double data rate × bus width), or
// 0 when the runtime does not say.
double peak_bandwidth() {
  int clock_khz = 0, bus_bits = 0;
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, 0) != cudaSuccess ||
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return 2.0 * clock_khz * 1e3 * bus_bits / 8.0;
}

struct Case {
  std::string name;  // kernel and shape
  double bytes;      // read + written by one launch
  std::function<Status()> launch;
};

Status run(int repeats) {
  cudaStream_t stream = nullptr;  // the default stream
  Arena arena;
  std::vector<Case> cases;
  const double peak = peak_bandwidth();

  constexpr int64_t kRows = 8192;  // B·T = 8 × 1024
  for (const int64_t C : {int64_t{768}, int64_t{3072}}) {
    const int64_t N = kRows;
    float *x, *w, *b, *y, *mean, *rstd, *dy, *dx, *dw, *db, *scratch;
    for (auto [p, n] : std::initializer_list<std::pair<float**, int64_t>>{
             {&x, N * C},
             {&w, C},
             {&b, C},
             {&y, N * C},
             {&mean, N},
             {&rstd, N},
             {&dy, N * C},
             {&dx, N * C},
             {&dw, C},
             {&db, C},
             {&scratch, k::layer_norm_backward_scratch(N, C)}}) {
      sluice::Expected<float*> buffer = arena.floats(n);
      if (!buffer.ok()) return buffer.status();
      *p = *buffer;
    }
    const std::string shape = " (" + std::to_string(N) + ", " + std::to_string(C) + ")";
    // reads x (N, C), weight, bias (C); writes y (N, C), mean, rstd (N)
    cases.push_back({"layer_norm fwd" + shape, kFloat * (2.0 * N * C + 2.0 * C + 2.0 * N), [=] {
                       return k::launch_layer_norm_forward(x, w, b, y, mean, rstd, N, C, 1e-5f,
                                                           stream);
                     }});
    // reads dy, x, dx (N, C), weight (C), mean, rstd (N); writes dx (N, C); the partial sums
    // (scratch) written and read once; dweight, dbias (C) read and written
    const double partials = static_cast<double>(k::layer_norm_backward_scratch(N, C));
    cases.push_back({"layer_norm bwd" + shape,
                     kFloat * (4.0 * N * C + C + 2.0 * N + 2.0 * partials + 4.0 * C), [=] {
                       return k::launch_layer_norm_backward(dy, x, w, mean, rstd, dx, dw, db,
                                                            scratch, N, C, stream);
                     }});
  }

  constexpr int64_t kT = 1024, kHeads = 12, kBatch = 8;
  {
    const int64_t N = kBatch * kHeads * kT, C = kT;
    sluice::Expected<float*> scores = arena.floats(N * C), probs = arena.floats(N * C);
    if (!scores.ok()) return scores.status();
    if (!probs.ok()) return probs.status();
    const std::string shape = " (" + std::to_string(N) + ", " + std::to_string(C) + ")";
    for (const bool causal : {false, true}) {
      // reads the values each row covers (all C, or t + 1 of causal row t: T (T + 1) / 2 per
      // (T, T) block); writes (N, C)
      const double read =
          causal ? static_cast<double>(N / kT) * kT * (kT + 1) / 2.0 : static_cast<double>(N) * C;
      cases.push_back({std::string(causal ? "softmax causal fwd" : "softmax fwd") + shape,
                       kFloat * (read + static_cast<double>(N) * C),
                       [=, in = *scores, out = *probs] {
                         return k::launch_softmax(in, out, N, C, causal, stream);
                       }});
    }
  }

  {
    const int64_t n = kRows * 4 * 768;
    sluice::Expected<float*> x = arena.floats(n), y = arena.floats(n), dy = arena.floats(n),
                             dx = arena.floats(n);
    for (auto* e : {&x, &y, &dy, &dx}) {
      if (!e->ok()) return e->status();
    }
    const std::string shape = " (" + std::to_string(n) + ")";
    // reads x (n); writes y (n)
    cases.push_back({"gelu fwd" + shape, kFloat * 2.0 * n,
                     [=, x = *x, y = *y] { return k::launch_gelu_forward(x, y, n, stream); }});
    // reads x, dy (n); writes dx (n)
    cases.push_back({"gelu bwd" + shape, kFloat * 3.0 * n, [=, x = *x, dy = *dy, dx = *dx] {
                       return k::launch_gelu_backward(x, dy, dx, n, stream);
                     }});
  }

  // The copy to compare with: device to device, as many bytes moved (half read, half written).
  double largest = 0;
  for (const Case& c : cases) largest = std::max(largest, c.bytes);
  const auto copy_bytes = static_cast<int64_t>(largest / 2 / kFloat) + 1;
  sluice::Expected<float*> from = arena.floats(copy_bytes), to = arena.floats(copy_bytes);
  if (!from.ok()) return from.status();
  if (!to.ok()) return to.status();
  const size_t flush_bytes = l2_flush_bytes();
  sluice::Expected<float*> flush = arena.floats(static_cast<int64_t>(flush_bytes / kFloat));
  if (!flush.ok()) return flush.status();

  std::printf("%s\npeak bandwidth: %s\n", sluice::cuda::device_description().c_str(),
              peak > 0 ? (std::to_string(peak / 1e9) + " GB/s").c_str() : "not reported");
  std::printf("%-34s %10s %9s %8s %9s\n", "kernel (shape)", "time us", "GB/s", "% peak",
              "% memcpy");
  for (const Case& c : cases) {
    sluice::Expected<double> t = time_launches(c.launch, repeats, stream, *flush, flush_bytes);
    if (!t.ok()) return t.status();
    const auto half = static_cast<size_t>(c.bytes / 2);
    sluice::Expected<double> copy = time_launches(
        [&] {
          return SLUICE_CUDA_CHECK(
              cudaMemcpyAsync(*to, *from, half, cudaMemcpyDeviceToDevice, stream));
        },
        repeats, stream, *flush, flush_bytes);
    if (!copy.ok()) return copy.status();
    const double rate = c.bytes / *t, copy_rate = 2.0 * half / *copy;
    std::printf(
        "%-34s %10.1f %9.1f %8s %8.1f%%\n", c.name.c_str(), *t * 1e6, rate / 1e9,
        peak > 0 ? (std::to_string(static_cast<int>(100 * rate / peak + 0.5)) + "%").c_str() : "-",
        100 * rate / copy_rate);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 50;
  if (repeats < 1) {
    std::fprintf(stderr, "usage: bench_nn_kernels [repeats >= 1]\n");
    return 2;
  }
  const Status device = sluice::cuda::device_status();
  if (!device.ok()) {
    std::printf("bench_nn_kernels: nothing measured: %s\n", device.message().c_str());
    return 0;
  }
  const Status s = run(repeats);
  if (!s.ok()) {
    std::fprintf(stderr, "bench_nn_kernels: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
