// nn/device_model.h on CUDA: the layers of a DevicePlan run on one stream per pass (a job of
// cuda::StreamPool: its activations are the job's buffers, from the pool's caching allocator),
// with the model's parameters, their gradients and the optimizer's state in buffers of the model's
// own caching allocator. Each layer does what its CPU layer does (transformer_layers.cc,
// dense_layers.cc, composite_layers.cc), step by step, with the same shapes and layouts.
#include "nn/device_model.h"
#include "cuda/caching_allocator.h"
#include "cuda/cuda_status.h"
#include "cuda/device.h"
#include "cuda/memory.h"
#include "cuda/stream.h"
#include "nn/cuda/attention_kernel.h"
#include "nn/cuda/batch_norm_kernel.h"
#include "nn/cuda/blas.h"
#include "nn/cuda/conv_kernel.h"
#include "nn/cuda/cross_entropy_kernel.h"
#include "nn/cuda/cublas_library.h"
#include "nn/cuda/elementwise_kernel.h"
#include "nn/cuda/embedding_kernel.h"
#include "nn/cuda/gelu_kernel.h"
#include "nn/cuda/layer_norm_kernel.h"
#include "nn/cuda/optimizer_kernel.h"
#include "nn/cuda/softmax_kernel.h"
#include "nn/cuda/squares_kernel.h"
#include "nn/device_plan.h"
#include "nn/kernels/batch_norm.h"
#include "nn/sequence.h"

#include <cmath>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <random>

namespace sluice::nn {
namespace {

namespace k = cuda_kernels;
using cuda::CachingAllocator;
using cuda::Stream;

constexpr float kLayerNormEps = 1e-5f;  // transformer_layers.cc's

// A parameter's device copies: its value, gradient and the optimizer's state (n floats each): m
// is sgd's momentum buffer or Adam's first moment, v Adam's second moment.
struct DeviceParam {
  Parameter* host;
  int64_t n;
  CachingAllocator::Block value, grad, m, v;
  size_t bytes() const { return static_cast<size_t>(n) * sizeof(float); }
};

// An activation on the device: data (numel(shape) floats, the job's memory) and its shape.
struct Act {
  float* data = nullptr;
  std::vector<int64_t> shape;
};

// What one layer's forward pass keeps for its backward pass.
struct LayerPass {
  Act out;
  std::vector<float*> saved;
  std::vector<std::vector<int64_t>> saved_shapes;  // a plugin's layer: those of `saved`
  std::vector<LayerPass> body;                     // residual
  const uint8_t* dropped = nullptr;                // dropout's mask, when it drew one
  std::vector<float*> buffers;                     // a plugin's layer: its buffers' copies
};

// The buffers of the plan's layers that have them (batch_norm's running statistics, a plugin
// layer's), in the CPU model, which keeps them: the device reads them and the host updates them
// (batch_norm) or they are copied back after a training pass (a plugin's layer).
using LayerBuffers = std::map<const DeviceLayer*, std::vector<StateTensor>>;

// A training batch's statistics of one batch_norm layer, downloaded when the pass's job ends, for
// the host to update the layer's running statistics with.
struct RunningUpdate {
  const DeviceLayer* layer;
  int64_t count;  // values per channel
  std::vector<float> mean, var;
};

// One pass on one stream: its buffers, its cuBLAS handle (with the model's product precision),
// the model's parameters and the input's ids and mask.
class Pass {
 public:
  Pass(Stream& st, k::Blas blas, std::vector<DeviceParam>& params)
      : st_(st), blas_(blas), params_(params) {}
  cudaStream_t stream() const { return st_.get(); }
  k::Blas blas() const { return blas_; }
  Stream& st() { return st_; }
  // n floats of the job's memory, uninitialised.
  Status floats(int64_t n, float** out) {
    Expected<void*> p = st_.device_buffer(static_cast<size_t>(std::max<int64_t>(n, 1)) * 4);
    if (!p.ok()) return p.status();
    *out = static_cast<float*>(*p);
    return {};
  }
  // dx, or n floats of scratch when dx is null (a layer that must compute its input's gradient
  // for its own use: a residual's sum, a block's inner layers).
  Status or_scratch(float** dx, int64_t n) { return *dx != nullptr ? Status() : floats(n, dx); }
  Status copy(const float* src, float* dst, int64_t n) {
    return SLUICE_CUDA_CHECK(cudaMemcpyAsync(dst, src, static_cast<size_t>(n) * sizeof(float),
                                             cudaMemcpyDeviceToDevice, stream()));
  }
  Status zero(float* p, int64_t n) {
    return SLUICE_CUDA_CHECK(
        cudaMemsetAsync(p, 0, static_cast<size_t>(n) * sizeof(float), stream()));
  }
  float* w(size_t i) { return static_cast<float*>(params_[i].value.data()); }
  float* g(size_t i) { return static_cast<float*>(params_[i].grad.data()); }
  const Parameter& host_param(size_t i) const { return *params_[i].host; }

  const int32_t* ids = nullptr;   // (B, T) when the model takes ids
  const uint8_t* mask = nullptr;  // (B, T): 1 where the id is not the pad id
  bool training = false;          // a training pass (what plugin layers are told)
  uint64_t seed = 0;  // the draws of the running layer: mix_seed of its sequence's, as on the CPU
  const LayerBuffers* buffers = nullptr;        // the layers' buffers in the CPU model
  std::list<RunningUpdate>* updates = nullptr;  // training: the batch statistics to apply

 private:
  Stream& st_;
  k::Blas blas_;
  std::vector<DeviceParam>& params_;
};

// A linear map inside a layer: weight (out, in) and, when set, bias (out), as indices into the
// model's parameters.
struct LinearRef {
  size_t weight;
  std::optional<size_t> bias;
  int64_t in, out;
};

// y (rows, out) = x (rows, in) · weightᵀ + bias: linear_forward's bias rows then beta 1.
Status linear_forward(Pass& p, const LinearRef& l, const float* x, float* y, int64_t rows) {
  if (l.bias)
    SLUICE_RETURN_IF_ERROR(k::launch_broadcast_rows(p.w(*l.bias), y, rows, l.out, p.stream()));
  return k::gemm(p.blas(), false, true, rows, l.out, l.in, 1.0f, x, l.in, p.w(l.weight), l.in,
                 l.bias ? 1.0f : 0.0f, y, l.out);
}

// dx (rows, in) written when not null; the parameters' gradients accumulate (linear_backward).
Status linear_backward(Pass& p, const LinearRef& l, const float* dy, const float* x, float* dx,
                       int64_t rows) {
  if (dx != nullptr) {
    SLUICE_RETURN_IF_ERROR(k::gemm(p.blas(), false, false, rows, l.in, l.out, 1.0f, dy, l.out,
                                   p.w(l.weight), l.in, 0.0f, dx, l.in));
  }
  SLUICE_RETURN_IF_ERROR(k::gemm(p.blas(), true, false, l.out, l.in, rows, 1.0f, dy, l.out, x, l.in,
                                 1.0f, p.g(l.weight), l.in));
  if (!l.bias) return {};
  return k::launch_column_sums(dy, p.g(*l.bias), rows, l.out, p.stream());
}

// layer_norm over the last dimension (dim) with weight and bias parameters `w`, `b`.
struct NormRef {
  size_t w, b;
  int64_t dim;
};

// y (rows, dim); mean and rstd (rows) allocated and kept.
Status norm_forward(Pass& p, const NormRef& n, const float* x, float* y, float** mean, float** rstd,
                    int64_t rows) {
  SLUICE_RETURN_IF_ERROR(p.floats(rows, mean));
  SLUICE_RETURN_IF_ERROR(p.floats(rows, rstd));
  return k::launch_layer_norm_forward(x, p.w(n.w), p.w(n.b), y, *mean, *rstd, rows, n.dim,
                                      kLayerNormEps, p.stream());
}

// dx (rows, dim) += the input's gradient; the parameters' gradients accumulate.
Status norm_backward(Pass& p, const NormRef& n, const float* dy, const float* x, const float* mean,
                     const float* rstd, float* dx, int64_t rows) {
  float* scratch = nullptr;
  SLUICE_RETURN_IF_ERROR(p.floats(k::layer_norm_backward_scratch(rows, n.dim), &scratch));
  return k::launch_layer_norm_backward(dy, x, p.w(n.w), mean, rstd, dx, p.g(n.w), p.g(n.b), scratch,
                                       rows, n.dim, p.stream());
}

// GPT-2's CausalSelfAttention (transformer_layers.cc's Attention) on (B, T, C).
struct AttentionRef {
  LinearRef c_attn, c_proj;
  int64_t C, H;
  // The saved buffers: qkv (B, T, 3C); q, k, v (B, H, T, hs); att (B, H, T, T); the heads'
  // output (B, H, T, hs) and as rows, y (B, T, C).
  enum : size_t { kQkv, kQ, kK, kV, kAtt, kYh, kY, kSaved };
};

AttentionRef attention_ref(const std::vector<size_t>& params, size_t first, int64_t C, int64_t H) {
  return {{params[first], params[first + 1], C, 3 * C},
          {params[first + 2], params[first + 3], C, C},
          C,
          H};
}

float attention_scale(int64_t hs) { return 1.0f / std::sqrt(static_cast<float>(hs)); }

// out (B, T, C) from x (B, T, C); s: kSaved buffers, allocated here.
Status attention_forward(Pass& p, const AttentionRef& a, const float* x, float* out, int64_t B,
                         int64_t T, float** s) {
  const int64_t C = a.C, hs = C / a.H, rows = B * T, BH = B * a.H;
  const k::HeadShape heads{B, T, a.H, hs};
  const int64_t sizes[AttentionRef::kSaved] = {rows * 3 * C, rows * C, rows * C, rows * C,
                                               BH * T * T,   rows * C, rows * C};
  for (size_t i = 0; i < AttentionRef::kSaved; ++i)
    SLUICE_RETURN_IF_ERROR(p.floats(sizes[i], &s[i]));
  using R = AttentionRef;
  SLUICE_RETURN_IF_ERROR(linear_forward(p, a.c_attn, x, s[R::kQkv], rows));
  for (size_t part = 0; part < 3; ++part) {
    SLUICE_RETURN_IF_ERROR(k::launch_heads_from_rows(
        s[R::kQkv], 3 * C, static_cast<int64_t>(part) * C, s[R::kQ + part], heads, p.stream()));
  }
  // att (T, T) per (b, h) = softmax(q · kᵀ / sqrt(hs)) over the positions <= t
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), false, true, T, T, hs, attention_scale(hs),
                                         s[R::kQ], hs, T * hs, s[R::kK], hs, T * hs, 0.0f,
                                         s[R::kAtt], T, T * T, BH));
  SLUICE_RETURN_IF_ERROR(k::launch_softmax(s[R::kAtt], s[R::kAtt], BH * T, T, true, p.stream()));
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), false, false, T, hs, T, 1.0f, s[R::kAtt], T,
                                         T * T, s[R::kV], hs, T * hs, 0.0f, s[R::kYh], hs, T * hs,
                                         BH));
  SLUICE_RETURN_IF_ERROR(k::launch_rows_from_heads(s[R::kYh], s[R::kY], C, 0, heads, p.stream()));
  return linear_forward(p, a.c_proj, s[R::kY], out, rows);
}

// dx (B, T, C) written from dout (B, T, C).
Status attention_backward(Pass& p, const AttentionRef& a, const float* dout, const float* x,
                          float* dx, int64_t B, int64_t T, float* const* s) {
  using R = AttentionRef;
  const int64_t C = a.C, hs = C / a.H, rows = B * T, BH = B * a.H;
  const k::HeadShape heads{B, T, a.H, hs};
  float *dy, *dyh, *ds, *dq, *dk, *dv, *dqkv;
  for (float** b : {&dy, &dyh, &dq, &dk, &dv}) SLUICE_RETURN_IF_ERROR(p.floats(rows * C, b));
  SLUICE_RETURN_IF_ERROR(p.floats(BH * T * T, &ds));
  SLUICE_RETURN_IF_ERROR(p.floats(rows * 3 * C, &dqkv));
  SLUICE_RETURN_IF_ERROR(linear_backward(p, a.c_proj, dout, s[R::kY], dy, rows));
  SLUICE_RETURN_IF_ERROR(k::launch_heads_from_rows(dy, C, 0, dyh, heads, p.stream()));
  // dp = dy · vᵀ (into ds), dv = attᵀ · dy
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), false, true, T, T, hs, 1.0f, dyh, hs, T * hs,
                                         s[R::kV], hs, T * hs, 0.0f, ds, T, T * T, BH));
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), true, false, T, hs, T, 1.0f, s[R::kAtt], T,
                                         T * T, dyh, hs, T * hs, 0.0f, dv, hs, T * hs, BH));
  // ds = att ⊙ (dp - Σ_j att dp) · scale
  SLUICE_RETURN_IF_ERROR(k::launch_causal_softmax_backward(s[R::kAtt], ds, BH * T, T,
                                                           attention_scale(hs), p.stream()));
  // dq = ds · k, dk = dsᵀ · q
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), false, false, T, hs, T, 1.0f, ds, T, T * T,
                                         s[R::kK], hs, T * hs, 0.0f, dq, hs, T * hs, BH));
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), true, false, T, hs, T, 1.0f, ds, T, T * T,
                                         s[R::kQ], hs, T * hs, 0.0f, dk, hs, T * hs, BH));
  const float* parts[3] = {dq, dk, dv};
  for (size_t part = 0; part < 3; ++part) {
    SLUICE_RETURN_IF_ERROR(k::launch_rows_from_heads(
        parts[part], dqkv, 3 * C, static_cast<int64_t>(part) * C, heads, p.stream()));
  }
  return linear_backward(p, a.c_attn, dqkv, x, dx, rows);
}

// GPT-2's pre-norm block (transformer_layers.cc's TransformerBlock): its parameters' indices and
// saved buffers.
struct BlockRef {
  NormRef ln_1;
  AttentionRef attn;
  NormRef ln_2;
  LinearRef c_fc, c_proj;
  enum : size_t {
    kLn1,
    kLn1Mean,
    kLn1Rstd,
    kAttn,
    kX1 = kAttn + AttentionRef::kSaved,
    kLn2,
    kLn2Mean,
    kLn2Rstd,
    kHidden,
    kGelu,
    kSaved
  };
};

BlockRef block_ref(const DeviceLayer& l) {
  const std::vector<size_t>& q = l.params;
  return {{q[0], q[1], l.dim},
          attention_ref(q, 2, l.dim, l.heads),
          {q[6], q[7], l.dim},
          {q[8], q[9], l.dim, l.hidden},
          {q[10], q[11], l.hidden, l.dim}};
}

// out (B, T, C) = x1 + mlp(ln_2(x1)), x1 = x + attn(ln_1(x)).
Status block_forward(Pass& p, const BlockRef& blk, const float* x, float* y, int64_t B, int64_t T,
                     float** s) {
  using R = BlockRef;
  const int64_t rows = B * T, n = rows * blk.ln_1.dim, hn = rows * blk.c_fc.out;
  for (size_t i : {R::kLn1, R::kX1, R::kLn2}) SLUICE_RETURN_IF_ERROR(p.floats(n, &s[i]));
  for (size_t i : {R::kHidden, R::kGelu}) SLUICE_RETURN_IF_ERROR(p.floats(hn, &s[i]));
  SLUICE_RETURN_IF_ERROR(
      norm_forward(p, blk.ln_1, x, s[R::kLn1], &s[R::kLn1Mean], &s[R::kLn1Rstd], rows));
  SLUICE_RETURN_IF_ERROR(attention_forward(p, blk.attn, s[R::kLn1], y, B, T, &s[R::kAttn]));
  SLUICE_RETURN_IF_ERROR(k::launch_add(x, y, s[R::kX1], n, p.stream()));
  SLUICE_RETURN_IF_ERROR(
      norm_forward(p, blk.ln_2, s[R::kX1], s[R::kLn2], &s[R::kLn2Mean], &s[R::kLn2Rstd], rows));
  SLUICE_RETURN_IF_ERROR(linear_forward(p, blk.c_fc, s[R::kLn2], s[R::kHidden], rows));
  SLUICE_RETURN_IF_ERROR(k::launch_gelu_forward(s[R::kHidden], s[R::kGelu], hn, p.stream()));
  SLUICE_RETURN_IF_ERROR(linear_forward(p, blk.c_proj, s[R::kGelu], y, rows));
  return k::launch_add(y, s[R::kX1], y, n, p.stream());
}

// dx (B, T, C) written from dout (B, T, C).
Status block_backward(Pass& p, const BlockRef& blk, const float* dout, const float* x, float* dx,
                      int64_t B, int64_t T, float* const* s) {
  using R = BlockRef;
  const int64_t rows = B * T, n = rows * blk.ln_1.dim, hn = rows * blk.c_fc.out;
  float *dg, *dln, *dx1;
  SLUICE_RETURN_IF_ERROR(p.floats(hn, &dg));
  SLUICE_RETURN_IF_ERROR(p.floats(n, &dln));
  SLUICE_RETURN_IF_ERROR(p.floats(n, &dx1));
  // MLP branch: dx1 = dout + ln_2's input gradient
  SLUICE_RETURN_IF_ERROR(linear_backward(p, blk.c_proj, dout, s[R::kGelu], dg, rows));
  SLUICE_RETURN_IF_ERROR(k::launch_gelu_backward(s[R::kHidden], dg, dg, hn, p.stream()));
  SLUICE_RETURN_IF_ERROR(linear_backward(p, blk.c_fc, dg, s[R::kLn2], dln, rows));
  SLUICE_RETURN_IF_ERROR(p.copy(dout, dx1, n));
  SLUICE_RETURN_IF_ERROR(
      norm_backward(p, blk.ln_2, dln, s[R::kX1], s[R::kLn2Mean], s[R::kLn2Rstd], dx1, rows));
  // attention branch: dx = dx1 + ln_1's input gradient
  SLUICE_RETURN_IF_ERROR(attention_backward(p, blk.attn, dx1, s[R::kLn1], dln, B, T, &s[R::kAttn]));
  SLUICE_RETURN_IF_ERROR(p.copy(dx1, dx, n));
  return norm_backward(p, blk.ln_1, dln, x, s[R::kLn1Mean], s[R::kLn1Rstd], dx, rows);
}

// A float32 tensor of device 0 as the C ABI describes it.
sluice_tensor_info device_view(const std::vector<int64_t>& shape, const float* data) {
  return float_tensor_view(shape, data, SLUICE_DEVICE_CUDA);
}

// A plugin's layer on the device: the C views of its pass (parameters' device values and
// gradients, its saved buffers, the layer's seed) for forward_cuda and backward_cuda on the
// pass's stream.
class PluginPass {
 public:
  PluginPass(Pass& p, const DeviceLayer& l, const LayerPass& lp) {
    for (size_t k = 0; k < l.params.size(); ++k) {
      const size_t i = l.params[k];
      params_.push_back(layer_param_view(l.param_names[k], p.host_param(i).shape, p.w(i), p.g(i)));
    }
    if (!l.buffers.empty()) {
      const std::vector<StateTensor>& host = p.buffers->at(&l);
      for (size_t i = 0; i < host.size(); ++i) {
        buffers_.push_back(
            layer_param_view(l.buffer_names[i], host[i].shape, lp.buffers[i], nullptr));
      }
    }
    for (size_t i = 0; i < lp.saved.size(); ++i) {
      saved_.push_back(device_view(lp.saved_shapes[i], lp.saved[i]));
    }
    pass_ = layer_pass_view(p.training, p.seed, params_, saved_, buffers_, p.stream());
  }
  const sluice_layer_pass* get() const { return &pass_; }

 private:
  std::vector<sluice_layer_param> params_, buffers_;
  std::vector<sluice_tensor_info> saved_;
  sluice_layer_pass pass_{};
};

// y (lp.out) = the plugin's layer(x) on the device; its saved buffers allocated, zeroed and kept,
// and its layer buffers copied from the CPU model into the job's memory (lp.buffers).
Status plugin_forward(Pass& p, const DeviceLayer& l, const Act& x, LayerPass& lp) {
  if (!l.buffers.empty()) {
    const std::vector<StateTensor>& host = p.buffers->at(&l);
    lp.buffers.resize(host.size());
    for (size_t i = 0; i < host.size(); ++i) {
      SLUICE_RETURN_IF_ERROR(
          p.floats(static_cast<int64_t>(host[i].bytes / sizeof(float)), &lp.buffers[i]));
      SLUICE_RETURN_IF_ERROR(p.st().upload(host[i].data, host[i].bytes, lp.buffers[i]));
    }
  }
  Expected<std::vector<std::vector<int64_t>>> shapes = l.plugin->saved_shapes(x.shape);
  if (!shapes.ok()) return shapes.status();
  lp.saved_shapes = std::move(*shapes);
  lp.saved.resize(lp.saved_shapes.size());
  for (size_t i = 0; i < lp.saved.size(); ++i) {
    const int64_t n = numel(lp.saved_shapes[i]);
    SLUICE_RETURN_IF_ERROR(p.floats(n, &lp.saved[i]));
    SLUICE_RETURN_IF_ERROR(p.zero(lp.saved[i], n));
  }
  const PluginPass pass(p, l, lp);
  const sluice_tensor_info in = device_view(x.shape, x.data);
  sluice_tensor_info out = device_view(lp.out.shape, lp.out.data);
  const sluice_layer_def& def = l.plugin->def();
  return l.plugin->call("forward_cuda", [&] {
    return def.forward_cuda(l.plugin->instance(), pass.get(), &in, &out);
  });
}

// The plugin's layer's backward pass on the device: dx (shaped as x) written when not null. In a
// training pass the layer may update its buffers: they are copied back into the CPU model when
// the job ends.
Status plugin_backward(Pass& p, const DeviceLayer& l, const Act& x, const LayerPass& lp,
                       const float* dy, float* dx) {
  const PluginPass pass(p, l, lp);
  const sluice_tensor_info in = device_view(x.shape, x.data);
  const sluice_tensor_info out = device_view(lp.out.shape, lp.out.data);
  const sluice_tensor_info dout = device_view(lp.out.shape, dy);
  sluice_tensor_info din = device_view(x.shape, dx);
  const sluice_layer_def& def = l.plugin->def();
  SLUICE_RETURN_IF_ERROR(l.plugin->call("backward_cuda", [&] {
    return def.backward_cuda(l.plugin->instance(), pass.get(), &in, &out, &dout,
                             dx != nullptr ? &din : nullptr);
  }));
  if (!p.training || l.buffers.empty()) return {};
  const std::vector<StateTensor>& host = p.buffers->at(&l);
  for (size_t i = 0; i < host.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(p.st().download(lp.buffers[i], host[i].bytes, host[i].data));
  }
  return {};
}

// Dropout's scale of the values it keeps, 1 / (1 - p), as the CPU layer rounds it.
float dropout_scale(double p) { return static_cast<float>(1.0 / (1.0 - p)); }

// Dropout's mask for n values in the job's memory (1: dropped), drawn on the host as the CPU
// layer draws it (mt19937_64 from the layer's seed, one Bernoulli(p) draw per value in order), so
// both drop the same values.
Status dropout_mask(Pass& p, double prob, int64_t n, const uint8_t** mask) {
  std::vector<uint8_t> host(static_cast<size_t>(n));
  std::mt19937_64 rng(p.seed);
  std::bernoulli_distribution drop(prob);
  for (uint8_t& m : host) m = drop(rng) ? 1 : 0;
  Expected<void*> device = p.st().device_buffer(std::max<size_t>(host.size(), 1));
  if (!device.ok()) return device.status();
  SLUICE_RETURN_IF_ERROR(p.st().upload(host.data(), host.size(), *device));
  *mask = static_cast<const uint8_t*>(*device);
  return {};
}

// Conv2d layer l's geometry for input x (B, C, H, W) and output y (B, O, OH, OW).
k::ConvGeometry conv_geometry(const DeviceLayer& l, const Act& x, const Act& y) {
  return {x.shape[1], x.shape[2], x.shape[3], l.kernel,
          l.stride,   l.padding,  y.shape[2], y.shape[3]};
}

// Pooling layer l's geometry for input x (B, C, H, W) and output y (B, C, OH, OW).
k::PoolGeometry pool_geometry(const DeviceLayer& l, const Act& x, const Act& y) {
  return {x.shape[2], x.shape[3], l.kernel, l.stride, y.shape[2], y.shape[3]};
}

// conv2d_forward on the device: the unfolded images kept in lp.saved[0] for the backward pass,
// y_n (O, S) = bias, then += weight (O, C·K·K) · col_n (C·K·K, S) for every image n.
Status conv_forward(Pass& p, const DeviceLayer& l, const Act& x, LayerPass& lp) {
  const k::ConvGeometry g = conv_geometry(l, x, lp.out);
  const int64_t B = x.shape[0], O = l.out, S = g.OH * g.OW, patch = g.C * g.K * g.K;
  lp.saved.resize(1);
  SLUICE_RETURN_IF_ERROR(p.floats(B * patch * S, &lp.saved[0]));
  SLUICE_RETURN_IF_ERROR(k::launch_im2col(g, x.data, lp.saved[0], B, p.stream()));
  const float* bias = l.bias ? p.w(l.params[1]) : nullptr;
  SLUICE_RETURN_IF_ERROR(k::launch_channel_fill(bias, lp.out.data, B, O, S, p.stream()));
  return k::gemm_batched(p.blas(), false, false, O, S, patch, 1.0f, p.w(l.params[0]), patch, 0,
                         lp.saved[0], S, patch * S, 1.0f, lp.out.data, S, O * S, B);
}

// conv2d_backward on the device: weight += Σ_n dy_n · col_nᵀ image after image, bias += dy's
// channel sums, and, when dx is wanted, dx = the columns weightᵀ · dy_n folded back.
Status conv_backward(Pass& p, const DeviceLayer& l, const Act& x, const LayerPass& lp,
                     const float* dy, float* dx) {
  const k::ConvGeometry g = conv_geometry(l, x, lp.out);
  const int64_t B = x.shape[0], O = l.out, S = g.OH * g.OW, patch = g.C * g.K * g.K;
  for (int64_t n = 0; n < B; ++n) {
    SLUICE_RETURN_IF_ERROR(k::gemm(p.blas(), false, true, O, patch, S, 1.0f, dy + n * O * S, S,
                                   lp.saved[0] + n * patch * S, S, 1.0f, p.g(l.params[0]), patch));
  }
  if (l.bias) {
    SLUICE_RETURN_IF_ERROR(k::launch_channel_sums(dy, p.g(l.params[1]), B, O, S, p.stream()));
  }
  if (dx == nullptr) return {};
  float* dcol = nullptr;
  SLUICE_RETURN_IF_ERROR(p.floats(B * patch * S, &dcol));
  SLUICE_RETURN_IF_ERROR(k::gemm_batched(p.blas(), true, false, patch, S, O, 1.0f, p.w(l.params[0]),
                                         patch, 0, dy, S, O * S, 0.0f, dcol, S, patch * S, B));
  return k::launch_col2im(g, dcol, dx, B, p.stream());
}

// (N, C, S) of batch_norm layer l's input x.
struct ChannelShape {
  int64_t N, C, S;
};
ChannelShape channel_shape(const DeviceLayer& l, const Act& x) {
  const int64_t N = x.shape[0], C = l.dim, n = numel(x.shape);
  return {N, C, N * C == 0 ? 0 : n / (N * C)};
}

// The batch_norm layer's forward pass: training, the batch's statistics (kept in lp.saved: mean,
// var, rstd; queued for the host's running statistics); otherwise the running statistics.
Status batch_norm_forward(Pass& p, const DeviceLayer& l, const Act& x, LayerPass& lp) {
  const ChannelShape s = channel_shape(l, x);
  lp.saved.resize(3);
  for (float*& b : lp.saved) SLUICE_RETURN_IF_ERROR(p.floats(s.C, &b));
  const size_t bytes = static_cast<size_t>(s.C) * sizeof(float);
  if (p.training) {
    SLUICE_RETURN_IF_ERROR(k::launch_batch_norm_statistics(
        x.data, s.N, s.C, s.S, l.eps, lp.saved[0], lp.saved[1], lp.saved[2], p.stream()));
    RunningUpdate& u = p.updates->emplace_back(RunningUpdate{&l, s.N * s.S, {}, {}});
    u.mean.resize(static_cast<size_t>(s.C));
    u.var.resize(static_cast<size_t>(s.C));
    SLUICE_RETURN_IF_ERROR(p.st().download(lp.saved[0], bytes, u.mean.data()));
    SLUICE_RETURN_IF_ERROR(p.st().download(lp.saved[1], bytes, u.var.data()));
  } else {
    const std::vector<StateTensor>& running = p.buffers->at(&l);  // mean, var, batches
    const auto* var = static_cast<const float*>(running[1].data);
    std::vector<float> rstd(static_cast<size_t>(s.C));
    for (int64_t c = 0; c < s.C; ++c) rstd[c] = k::batch_norm_rstd(var[c], l.eps);
    SLUICE_RETURN_IF_ERROR(p.st().upload(running[0].data, bytes, lp.saved[0]));
    SLUICE_RETURN_IF_ERROR(p.st().upload(rstd.data(), bytes, lp.saved[2]));
  }
  return k::launch_batch_norm_forward(
      x.data, lp.saved[0], lp.saved[2], l.bias ? p.w(l.params[0]) : nullptr,
      l.bias ? p.w(l.params[1]) : nullptr, lp.out.data, s.N, s.C, s.S, p.stream());
}

Status batch_norm_backward(Pass& p, const DeviceLayer& l, const Act& x, const LayerPass& lp,
                           const float* dy, float* dx) {
  const ChannelShape s = channel_shape(l, x);
  return k::launch_batch_norm_backward(
      x.data, dy, lp.saved[0], lp.saved[2], l.bias ? p.w(l.params[0]) : nullptr, p.training, dx,
      l.bias ? p.g(l.params[0]) : nullptr, l.bias ? p.g(l.params[1]) : nullptr, s.N, s.C, s.S,
      p.stream());
}

LinearRef linear_ref(const DeviceLayer& l) {
  return {l.params[0], l.bias ? std::optional<size_t>(l.params[1]) : std::nullopt, l.in, l.out};
}

Status forward_layers(Pass& p, const std::vector<DeviceLayer>& layers, const Act& in,
                      std::vector<LayerPass>& passes);
Status backward_layers(Pass& p, const std::vector<DeviceLayer>& layers, const Act& in,
                       const float* dout, float* din, std::vector<LayerPass>& passes);

// Layer l's forward pass from x into lp.out (allocated by the caller).
Status forward_layer(Pass& p, const DeviceLayer& l, const Act& x, LayerPass& lp) {
  const int64_t n = numel(x.shape);
  float* y = lp.out.data;
  cudaStream_t st = p.stream();
  switch (l.op) {
    case DeviceOp::kLinear:
      return linear_forward(p, linear_ref(l), x.data, y, n / l.in);
    case DeviceOp::kEmbedding:
    case DeviceOp::kTokenPositionEmbedding: {
      const float* positions = l.op == DeviceOp::kEmbedding ? nullptr : p.w(l.params[1]);
      return k::launch_embedding_forward(p.ids, p.w(l.params[0]), positions, y, n, x.shape[1],
                                         l.dim, st);
    }
    case DeviceOp::kLayerNorm:
      lp.saved.resize(2);
      return norm_forward(p, {l.params[0], l.params[1], l.dim}, x.data, y, &lp.saved[0],
                          &lp.saved[1], n / l.dim);
    case DeviceOp::kGelu:
      return k::launch_gelu_forward(x.data, y, n, st);
    case DeviceOp::kRelu:
      return k::launch_relu_forward(x.data, y, n, st);
    case DeviceOp::kTanh:
      return k::launch_tanh_forward(x.data, y, n, st);
    case DeviceOp::kDropout:  // the identity for inference or p 0
      if (!p.training || l.p == 0.0) return p.copy(x.data, y, n);
      SLUICE_RETURN_IF_ERROR(dropout_mask(p, l.p, n, &lp.dropped));
      return k::launch_dropout(x.data, lp.dropped, dropout_scale(l.p), y, n, st);
    case DeviceOp::kMaskedMean:
      return k::launch_masked_mean_forward(x.data, p.mask, y, x.shape[0], x.shape[1], x.shape[2],
                                           st);
    case DeviceOp::kAttention:
      lp.saved.resize(AttentionRef::kSaved);
      return attention_forward(p, attention_ref(l.params, 0, l.dim, l.heads), x.data, y, x.shape[0],
                               x.shape[1], lp.saved.data());
    case DeviceOp::kBlock:
      lp.saved.resize(BlockRef::kSaved);
      return block_forward(p, block_ref(l), x.data, y, x.shape[0], x.shape[1], lp.saved.data());
    case DeviceOp::kResidual:
      SLUICE_RETURN_IF_ERROR(forward_layers(p, l.body, x, lp.body));
      return k::launch_add(x.data, lp.body.back().out.data, y, n, st);
    case DeviceOp::kConv2d:
      return conv_forward(p, l, x, lp);
    case DeviceOp::kMaxPool2d:
      return k::launch_max_pool_forward(pool_geometry(l, x, lp.out), x.data, y,
                                        x.shape[0] * x.shape[1], st);
    case DeviceOp::kAvgPool2d:
      return k::launch_avg_pool_forward(pool_geometry(l, x, lp.out), x.data, y,
                                        x.shape[0] * x.shape[1], st);
    case DeviceOp::kFlatten:
      return p.copy(x.data, y, n);
    case DeviceOp::kBatchNorm:
      return batch_norm_forward(p, l, x, lp);
    case DeviceOp::kPlugin:
      return plugin_forward(p, l, x, lp);
  }
  return Status::Internal("device model: layer type " + l.type + " has no forward pass");
}

// Layer l's backward pass: dx (shaped as x) written when not null, from dy (shaped as lp.out).
Status backward_layer(Pass& p, const DeviceLayer& l, const Act& x, LayerPass& lp, const float* dy,
                      float* dx) {
  const int64_t n = numel(x.shape);
  cudaStream_t st = p.stream();
  switch (l.op) {
    case DeviceOp::kLinear:
      return linear_backward(p, linear_ref(l), dy, x.data, dx, n / l.in);
    case DeviceOp::kEmbedding:
    case DeviceOp::kTokenPositionEmbedding:
      SLUICE_RETURN_IF_ERROR(
          k::launch_embedding_backward(p.ids, dy, p.g(l.params[0]), n, l.dim, st));
      if (l.op == DeviceOp::kEmbedding) return {};
      return k::launch_position_backward(dy, p.g(l.params[1]), x.shape[0], x.shape[1], l.dim, st);
    case DeviceOp::kLayerNorm:
      SLUICE_RETURN_IF_ERROR(p.or_scratch(&dx, n));
      SLUICE_RETURN_IF_ERROR(p.zero(dx, n));
      return norm_backward(p, {l.params[0], l.params[1], l.dim}, dy, x.data, lp.saved[0],
                           lp.saved[1], dx, n / l.dim);
    case DeviceOp::kGelu:
      return dx == nullptr ? Status() : k::launch_gelu_backward(x.data, dy, dx, n, st);
    case DeviceOp::kRelu:
      return dx == nullptr ? Status() : k::launch_relu_backward(x.data, dy, dx, n, st);
    case DeviceOp::kTanh:
      return dx == nullptr ? Status() : k::launch_tanh_backward(lp.out.data, dy, dx, n, st);
    case DeviceOp::kDropout:
      if (dx == nullptr) return {};
      if (lp.dropped == nullptr) return p.copy(dy, dx, n);
      return k::launch_dropout(dy, lp.dropped, dropout_scale(l.p), dx, n, st);
    case DeviceOp::kMaskedMean:
      if (dx == nullptr) return {};
      return k::launch_masked_mean_backward(dy, p.mask, dx, x.shape[0], x.shape[1], x.shape[2], st);
    case DeviceOp::kAttention:
      SLUICE_RETURN_IF_ERROR(p.or_scratch(&dx, n));
      return attention_backward(p, attention_ref(l.params, 0, l.dim, l.heads), dy, x.data, dx,
                                x.shape[0], x.shape[1], lp.saved.data());
    case DeviceOp::kBlock:
      SLUICE_RETURN_IF_ERROR(p.or_scratch(&dx, n));
      return block_backward(p, block_ref(l), dy, x.data, dx, x.shape[0], x.shape[1],
                            lp.saved.data());
    case DeviceOp::kResidual:  // dx = body's input gradient + dy
      SLUICE_RETURN_IF_ERROR(p.or_scratch(&dx, n));
      SLUICE_RETURN_IF_ERROR(backward_layers(p, l.body, x, dy, dx, lp.body));
      return k::launch_add(dx, dy, dx, n, st);
    case DeviceOp::kConv2d:
      return conv_backward(p, l, x, lp, dy, dx);
    case DeviceOp::kMaxPool2d:
      if (dx == nullptr) return {};
      return k::launch_max_pool_backward(pool_geometry(l, x, lp.out), x.data, lp.out.data, dy, dx,
                                         x.shape[0] * x.shape[1], st);
    case DeviceOp::kAvgPool2d:
      if (dx == nullptr) return {};
      return k::launch_avg_pool_backward(pool_geometry(l, x, lp.out), dy, dx,
                                         x.shape[0] * x.shape[1], st);
    case DeviceOp::kFlatten:
      return dx == nullptr ? Status() : p.copy(dy, dx, n);
    case DeviceOp::kBatchNorm:
      return batch_norm_backward(p, l, x, lp, dy, dx);
    case DeviceOp::kPlugin:
      return plugin_backward(p, l, x, lp, dy, dx);
  }
  return Status::Internal("device model: layer type " + l.type + " has no backward pass");
}

// Sequence::forward on the device: passes[i].out is layer i's output; layer i draws from
// mix_seed(p.seed, i).
Status forward_layers(Pass& p, const std::vector<DeviceLayer>& layers, const Act& in,
                      std::vector<LayerPass>& passes) {
  passes.resize(layers.size());
  const uint64_t seed = p.seed;
  for (size_t i = 0; i < layers.size(); ++i) {
    p.seed = mix_seed(seed, i);
    const Act& x = i == 0 ? in : passes[i - 1].out;
    Act& y = passes[i].out;
    Expected<std::vector<int64_t>> shape = device_output_shape(layers[i], x.shape);
    if (!shape.ok()) return shape.status();
    y.shape = std::move(*shape);
    SLUICE_RETURN_IF_ERROR(p.floats(numel(y.shape), &y.data));
    SLUICE_RETURN_IF_ERROR(forward_layer(p, layers[i], x, passes[i]));
  }
  p.seed = seed;
  return {};
}

// Sequence::backward on the device: din (shaped as in) written when not null.
Status backward_layers(Pass& p, const std::vector<DeviceLayer>& layers, const Act& in,
                       const float* dout, float* din, std::vector<LayerPass>& passes) {
  const float* dy = dout;
  const uint64_t seed = p.seed;
  for (size_t i = layers.size(); i-- > 0;) {
    p.seed = mix_seed(seed, i);
    const Act& x = i == 0 ? in : passes[i - 1].out;
    float* dx = din;
    if (i > 0) SLUICE_RETURN_IF_ERROR(p.floats(numel(x.shape), &dx));
    SLUICE_RETURN_IF_ERROR(backward_layer(p, layers[i], x, passes[i], dy, dx));
    dy = dx;
  }
  p.seed = seed;
  return {};
}

class CudaModel final : public DeviceModel {
 public:
  CudaModel(Model& model, std::vector<DeviceLayer> plan, std::unique_ptr<cuda::StreamPool> pool,
            MatmulPrecision precision)
      : model_(model),
        plan_(std::move(plan)),
        precision_(precision),
        memory_(cuda::device_memory(pool->device())),
        pool_(std::move(pool)) {}

  ~CudaModel() override {
    // A handle exists only once cuBLAS has loaded.
    for (const auto& [stream, handle] : handles_) (void)(*k::cublas())->destroy(handle);
  }

  // Allocates the parameters' device buffers and uploads their values; finds the buffers of the
  // layers that have them (batch_norm's, a plugin layer's) in the CPU model.
  Status init() {
    std::map<std::string, StateTensor> state;
    for (StateTensor& t : model_.state_dict()) state[t.name] = std::move(t);
    SLUICE_RETURN_IF_ERROR(find_buffers(plan_, state));
    for (const auto& [name, p] : model_.parameters()) {
      DeviceParam d{p, static_cast<int64_t>(p->value.size()), {}, {}, {}, {}};
      for (CachingAllocator::Block* b : {&d.value, &d.grad, &d.m, &d.v}) {
        Expected<CachingAllocator::Block> block = memory_.allocate(d.bytes());
        if (!block.ok()) return block.status();
        *b = std::move(*block);
      }
      params_.push_back(std::move(d));
    }
    SLUICE_RETURN_IF_ERROR(upload_parameters());
    return pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        for (CachingAllocator::Block* b : {&d.grad, &d.m, &d.v}) {
          SLUICE_CUDA_RETURN_IF_ERROR(cudaMemsetAsync(b->data(), 0, d.bytes(), st.get()));
        }
      }
      return {};
    });
  }

  // buffers_' entries for the layers of `layers` (and their residuals' bodies) that have
  // buffers, from the CPU model's state_dict tensors by name.
  Status find_buffers(const std::vector<DeviceLayer>& layers,
                      const std::map<std::string, StateTensor>& state) {
    for (const DeviceLayer& l : layers) {
      if (l.op == DeviceOp::kResidual) SLUICE_RETURN_IF_ERROR(find_buffers(l.body, state));
      for (const std::string& name : l.buffers) {
        auto it = state.find(name);
        if (it == state.end()) {
          return Status::Internal("device model: expected the CPU model's buffer " + name +
                                  ", found none");
        }
        buffers_[&l].push_back(it->second);
      }
    }
    return {};
  }

  const std::string& device_name() const override { return cuda::device_description(); }

  Status infer(const ModelInput& in, Buffer& out) override {
    Expected<std::vector<int64_t>> shape = model_.check_input(in);
    if (!shape.ok()) return shape.status();
    out.resize(*shape);
    return run([&](Pass& p) -> Status {
      Act input;
      std::vector<LayerPass> passes;
      SLUICE_RETURN_IF_ERROR(forward(p, in, input, passes));
      return p.st().download(passes.back().out.data, out.values.size() * sizeof(float),
                             out.values.data());
    });
  }

  Expected<double> train_batch(const ModelInput& in, const std::vector<int64_t>& targets,
                               int64_t ignore_index, float grad_divisor, uint64_t seed) override {
    return train_pass(
        in, grad_divisor, seed, [&](Pass& p, const Act& out, float* dout, LossSums& sums) {
          const int64_t classes = out.shape.back(), rows = numel(out.shape) / classes;
          if (static_cast<int64_t>(targets.size()) != rows) {
            return Status::Invalid("device model: expected " + std::to_string(rows) +
                                   " targets (one per output row), found " +
                                   std::to_string(targets.size()));
          }
          return cross_entropy(p, out.data, rows, classes, targets, ignore_index, dout, sums);
        });
  }

  Expected<double> train_batch_mse(const ModelInput& in, const float* targets, float grad_divisor,
                                   uint64_t seed) override {
    return train_pass(in, grad_divisor, seed,
                      [&](Pass& p, const Act& out, float* dout, LossSums& sums) {
                        return mse(p, out.data, targets, numel(out.shape), dout, sums);
                      });
  }

  Expected<double> clip_grad_norm(double max_norm) override {
    std::vector<double> sums(params_.size() * k::kSquareSumBlocks);
    SLUICE_RETURN_IF_ERROR(pool_->run([&](Stream& st) -> Status {
      Expected<void*> partials =
          st.device_buffer(std::max<size_t>(sums.size(), 1) * sizeof(double));
      if (!partials.ok()) return partials.status();
      auto* device_sums = static_cast<double*>(*partials);
      for (size_t i = 0; i < params_.size(); ++i) {
        SLUICE_RETURN_IF_ERROR(k::launch_square_sums(
            f(params_[i].grad), params_[i].n, device_sums + i * k::kSquareSumBlocks, st.get()));
      }
      return st.download(device_sums, sums.size() * sizeof(double), sums.data());
    }));
    const double norm = std::sqrt(sum_in_order(sums));
    if (!(norm > max_norm)) return norm;
    const auto scale = static_cast<float>(max_norm / (norm + 1e-6));  // as nn::clip_grad_norm
    SLUICE_RETURN_IF_ERROR(pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        SLUICE_RETURN_IF_ERROR(k::launch_scale(f(d.grad), scale, d.n, st.get()));
      }
      return {};
    }));
    return norm;
  }

  Status optimizer_step(const k::UpdateStep& step) override {
    return pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        SLUICE_RETURN_IF_ERROR(
            k::launch_optimizer_update(step, f(d.grad), f(d.value), f(d.m), f(d.v), d.n, st.get()));
        SLUICE_CUDA_RETURN_IF_ERROR(cudaMemsetAsync(d.grad.data(), 0, d.bytes(), st.get()));
      }
      return {};
    });
  }

  Status zero_grad() override {
    return pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        SLUICE_CUDA_RETURN_IF_ERROR(cudaMemsetAsync(d.grad.data(), 0, d.bytes(), st.get()));
      }
      return {};
    });
  }

  Status upload_parameters() override {
    return pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        SLUICE_RETURN_IF_ERROR(st.upload(d.host->value.data(), d.bytes(), d.value.data()));
      }
      return {};
    });
  }

  Status download_parameters(bool grads) override {
    return pool_->run([&](Stream& st) -> Status {
      for (DeviceParam& d : params_) {
        SLUICE_RETURN_IF_ERROR(st.download(d.value.data(), d.bytes(), d.host->value.data()));
        if (grads) {
          d.host->allocate_grad();
          SLUICE_RETURN_IF_ERROR(st.download(d.grad.data(), d.bytes(), d.host->grad.data()));
        }
      }
      return {};
    });
  }

  Status upload_optimizer_state(const std::vector<std::vector<float>*>& state) override {
    Expected<size_t> per_param = state_per_param(state);
    if (!per_param.ok()) return per_param.status();
    return pool_->run([&](Stream& st) -> Status {
      for (size_t i = 0; i < params_.size(); ++i) {
        DeviceParam& d = params_[i];
        for (size_t j = 0; j < *per_param; ++j) {
          SLUICE_RETURN_IF_ERROR(
              st.upload(state[*per_param * i + j]->data(), d.bytes(), (j == 0 ? d.m : d.v).data()));
        }
      }
      return {};
    });
  }

  Status download_optimizer_state(const std::vector<std::vector<float>*>& state) override {
    Expected<size_t> per_param = state_per_param(state);
    if (!per_param.ok()) return per_param.status();
    return pool_->run([&](Stream& st) -> Status {
      for (size_t i = 0; i < params_.size(); ++i) {
        DeviceParam& d = params_[i];
        for (size_t j = 0; j < *per_param; ++j) {
          SLUICE_RETURN_IF_ERROR(st.download((j == 0 ? d.m : d.v).data(), d.bytes(),
                                             state[*per_param * i + j]->data()));
        }
      }
      return {};
    });
  }

 private:
  static float* f(const CachingAllocator::Block& b) { return static_cast<float*>(b.data()); }

  // The optimizer's vectors per parameter in `state` (1 or 2), each the size of its parameter.
  Expected<size_t> state_per_param(const std::vector<std::vector<float>*>& state) const {
    const size_t per_param = params_.empty() ? 0 : state.size() / params_.size();
    bool ok = (per_param == 1 || per_param == 2) && state.size() == per_param * params_.size();
    for (size_t i = 0; ok && i < state.size(); ++i) {
      ok = static_cast<int64_t>(state[i]->size()) == params_[i / per_param].n;
    }
    if (ok) return per_param;
    return Status::Invalid(
        "device model: expected the optimizer's state as one or two vectors the size of each of "
        "its " +
        std::to_string(params_.size()) + " parameters, found " + std::to_string(state.size()) +
        " vectors or sizes that differ");
  }

  // What a loss leaves to read once its pass's job ends: the loss is the sum of `sums`
  // (downloaded when the job ends) times `scale`.
  struct LossSums {
    std::vector<double> sums;
    double scale = 1;
  };

  static double sum_in_order(const std::vector<double>& values) {
    double total = 0;
    for (double v : values) total += v;
    return total;
  }

  // A training pass with draws from `seed`: forward, then loss(pass, output, dout, sums) queues the
  // loss into `sums` and its gradient into dout (the output's size), which is divided by
  // grad_divisor and passed backward. Returns the loss.
  template <class Loss>
  Expected<double> train_pass(const ModelInput& in, float grad_divisor, uint64_t seed, Loss loss) {
    Expected<std::vector<int64_t>> shape = model_.check_input(in);
    if (!shape.ok()) return shape.status();
    LossSums sums;
    std::list<RunningUpdate> updates;
    SLUICE_RETURN_IF_ERROR(run([&](Pass& p) -> Status {
      p.training = true;
      p.seed = seed;
      p.updates = &updates;
      Act input;
      std::vector<LayerPass> passes;
      SLUICE_RETURN_IF_ERROR(forward(p, in, input, passes));
      const Act& out = passes.back().out;
      const int64_t n = numel(out.shape);
      float* dout = nullptr;
      SLUICE_RETURN_IF_ERROR(p.floats(n, &dout));
      SLUICE_RETURN_IF_ERROR(loss(p, out, dout, sums));
      if (grad_divisor != 1.0f) {
        SLUICE_RETURN_IF_ERROR(k::launch_divide(dout, grad_divisor, n, p.stream()));
      }
      return backward_layers(p, plan_, input, dout, nullptr, passes);
    }));
    for (const RunningUpdate& u : updates) {  // as the CPU layers' backward passes do
      const std::vector<StateTensor>& running = buffers_.at(u.layer);  // mean, var, batches
      update_running_statistics(u.mean.data(), u.var.data(), u.layer->dim, u.count,
                                u.layer->momentum, static_cast<float*>(running[0].data),
                                static_cast<float*>(running[1].data));
      ++*static_cast<int64_t*>(running[2].data);
    }
    return sum_in_order(sums.sums) * sums.scale;
  }

  // Cross entropy of logits (rows, classes) against targets, its gradient in dlogits.
  static Status cross_entropy(Pass& p, const float* logits, int64_t rows, int64_t classes,
                              const std::vector<int64_t>& targets, int64_t ignore_index,
                              float* dlogits, LossSums& sums) {
    k::CrossEntropyArgs ce;
    ce.logits = logits;
    ce.B = rows;
    ce.C = classes;
    ce.ignore_index = ignore_index;
    ce.dlogits = dlogits;
    Expected<void*> targets_d = p.st().device_buffer(targets.size() * sizeof(int64_t));
    Expected<void*> losses = p.st().device_buffer((rows + 1) * sizeof(double));
    Expected<void*> scalars = p.st().device_buffer(2 * sizeof(int64_t));
    for (const Expected<void*>* e : {&targets_d, &losses, &scalars}) {
      if (!e->ok()) return e->status();
    }
    SLUICE_RETURN_IF_ERROR(
        p.st().upload(targets.data(), targets.size() * sizeof(int64_t), *targets_d));
    ce.targets = static_cast<const int64_t*>(*targets_d);
    ce.row_losses = static_cast<double*>(*losses);
    ce.loss = ce.row_losses + rows;
    ce.counted = static_cast<int64_t*>(*scalars);
    SLUICE_RETURN_IF_ERROR(k::launch_cross_entropy(ce, p.stream()));
    sums.sums.assign(1, 0.0);
    return p.st().download(ce.loss, sizeof(double), sums.sums.data());
  }

  // Mean squared error of pred (n) against targets (n, host memory), its gradient in dpred.
  static Status mse(Pass& p, const float* pred, const float* targets, int64_t n, float* dpred,
                    LossSums& sums) {
    float* targets_d = nullptr;
    SLUICE_RETURN_IF_ERROR(p.floats(n, &targets_d));
    SLUICE_RETURN_IF_ERROR(
        p.st().upload(targets, static_cast<size_t>(n) * sizeof(float), targets_d));
    Expected<void*> partials = p.st().device_buffer(k::kSquareSumBlocks * sizeof(double));
    if (!partials.ok()) return partials.status();
    auto* device_sums = static_cast<double*>(*partials);
    sums.scale = n > 0 ? 1.0 / static_cast<double>(n) : 0.0;  // as nn::mse
    SLUICE_RETURN_IF_ERROR(
        k::launch_mse(pred, targets_d, n, sums.scale, dpred, device_sums, p.stream()));
    sums.sums.assign(k::kSquareSumBlocks, 0.0);
    return p.st().download(device_sums, sums.sums.size() * sizeof(double), sums.sums.data());
  }

  // Runs job(pass) on a stream of the pool with that stream's cuBLAS handle.
  Status run(const std::function<Status(Pass&)>& job) {
    return pool_->run([&](Stream& st) -> Status {
      Expected<cublasHandle_t> blas = handle(st.get());
      if (!blas.ok()) return blas.status();
      Pass p(st, k::Blas{*blas, precision_}, params_);
      p.buffers = &buffers_;
      return job(p);
    });
  }

  // The cuBLAS handle of `stream`, made on its first use. Thread-safe.
  Expected<cublasHandle_t> handle(cudaStream_t stream) {
    std::lock_guard<std::mutex> lock(handles_mu_);
    auto it = handles_.find(stream);
    if (it != handles_.end()) return it->second;
    Expected<const k::CublasApi*> api = k::cublas();
    if (!api.ok()) return api.status();
    cublasHandle_t h = nullptr;
    SLUICE_RETURN_IF_ERROR(SLUICE_CUBLAS_CHECK((*api)->create(&h)));
    if (Status s = SLUICE_CUBLAS_CHECK((*api)->set_stream(h, stream)); !s.ok()) {
      (void)(*api)->destroy(h);
      return s;
    }
    handles_[stream] = h;
    return h;
  }

  // Uploads the input (ids and their mask, or features) into `input` and runs the layers.
  Status forward(Pass& p, const ModelInput& in, Act& input, std::vector<LayerPass>& passes) {
    input.shape = in.shape;
    const int64_t n = numel(in.shape);
    if (in.ids != nullptr) {
      std::vector<uint8_t> mask(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) mask[i] = in.ids[i] != model_.pad_id() ? 1 : 0;
      Expected<void*> ids = p.st().device_buffer(n * sizeof(int32_t));
      Expected<void*> mask_d = p.st().device_buffer(static_cast<size_t>(n));
      if (!ids.ok()) return ids.status();
      if (!mask_d.ok()) return mask_d.status();
      SLUICE_RETURN_IF_ERROR(p.st().upload(in.ids, n * sizeof(int32_t), *ids));
      SLUICE_RETURN_IF_ERROR(p.st().upload(mask.data(), mask.size(), *mask_d));
      p.ids = static_cast<const int32_t*>(*ids);
      p.mask = static_cast<const uint8_t*>(*mask_d);
    } else {
      SLUICE_RETURN_IF_ERROR(p.floats(n, &input.data));
      SLUICE_RETURN_IF_ERROR(p.st().upload(in.features, n * sizeof(float), input.data));
    }
    return forward_layers(p, plan_, input, passes);
  }

  Model& model_;
  std::vector<DeviceLayer> plan_;
  MatmulPrecision precision_;
  LayerBuffers buffers_;             // of plan_'s layers (nested ones too)
  CachingAllocator memory_;          // the parameters' buffers
  std::vector<DeviceParam> params_;  // destroyed before memory_
  std::unique_ptr<cuda::StreamPool> pool_;
  std::mutex handles_mu_;
  std::map<cudaStream_t, cublasHandle_t> handles_;  // one per stream of the pool
};

}  // namespace

Status gpu_status() {
  SLUICE_RETURN_IF_ERROR(cuda::device_status());
  Expected<const k::CublasApi*> api = k::cublas();
  return api.ok() ? Status() : api.status();
}

Expected<std::unique_ptr<DeviceModel>> DeviceModel::open(Model& model,
                                                         std::vector<DeviceLayer> plan,
                                                         MatmulPrecision precision) {
  SLUICE_RETURN_IF_ERROR(gpu_status());
  Expected<std::unique_ptr<cuda::StreamPool>> pool = cuda::StreamPool::open(0);
  if (!pool.ok()) return pool.status();
  auto device = std::make_unique<CudaModel>(model, std::move(plan), std::move(*pool), precision);
  SLUICE_RETURN_IF_ERROR(device->init());
  return std::unique_ptr<DeviceModel>(std::move(device));
}

}  // namespace sluice::nn
