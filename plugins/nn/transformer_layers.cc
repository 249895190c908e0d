// The transformer layer family, GPT-2's (nanoGPT's module and parameter names):
// token_position_embedding, layer_norm, causal_self_attention and the pre-norm transformer_block.
// Each layer keeps what its backward pass needs in ctx.saved (the Workspace's), so forward stays
// const and thread-safe; backward's scratch is the layer's own (it runs on one thread).
#include "nn/kernels/activation.h"
#include "nn/kernels/attention.h"
#include "nn/kernels/embedding.h"
#include "nn/kernels/layer_norm.h"
#include "nn/kernels/linear.h"
#include "nn/layer_support.h"

#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

constexpr float kLayerNormEps = 1e-5f;

// The saved buffers of this layer's pass, `count` of them.
std::vector<Buffer>& saved(const ForwardContext& ctx, size_t count) {
  if (ctx.saved->size() < count) ctx.saved->resize(count);
  return *ctx.saved;
}

// Sizes `b` to n values (contents unspecified) and returns them.
float* sized(Buffer& b, int64_t n) {
  b.values.resize(static_cast<size_t>(n));
  return b.values.data();
}

// A linear map inside a layer (nn.Linear: weight (out, in), bias (out), initialised
// U(-1/sqrt(in), 1/sqrt(in)) as PyTorch does), its parameters named "<prefix>weight" and
// "<prefix>bias".
struct Affine {
  Affine(const std::string& prefix, int64_t in_features, int64_t out_features, InitialDraws& draws)
      : in(in_features),
        out(out_features),
        weight(make_parameter(prefix + "weight", {out_features, in_features}, draws.allocates())),
        bias(make_parameter(prefix + "bias", {out_features}, draws.allocates())) {
    draws.uniform(weight, &bias, in);
  }
  // y (rows, out) = x (rows, in) · weightᵀ + bias.
  void forward(const float* x, float* y, int64_t rows) const {
    linear_forward(x, weight.value.data(), bias.value.data(), y, rows, in, out);
  }
  // dx (rows, in) written when not null; the parameters' gradients accumulate.
  void backward(const float* dy, const float* x, float* dx, int64_t rows) {
    linear_backward(dy, x, weight.value.data(), dx, weight.grad.data(), bias.grad.data(), rows, in,
                    out);
  }
  int64_t in, out;
  Parameter weight, bias;
};

// nn.LayerNorm(dim): weight 1, bias 0, over the last dimension (no values unless `allocate`).
struct Norm {
  Norm(const std::string& prefix, int64_t d, bool allocate)
      : dim(d),
        weight(make_parameter(prefix + "weight", {d}, allocate)),
        bias(make_parameter(prefix + "bias", {d}, allocate)) {
    std::fill(weight.value.begin(), weight.value.end(), 1.0f);
  }
  // y (rows, dim); mean and rstd are sized and kept.
  void forward(const float* x, float* y, Buffer& mean, Buffer& rstd, int64_t rows) const {
    layer_norm_forward(x, weight.value.data(), bias.value.data(), y, sized(mean, rows),
                       sized(rstd, rows), rows, dim, kLayerNormEps);
  }
  // dx (rows, dim) += the input's gradient.
  void backward(const float* dy, const float* x, const Buffer& mean, const Buffer& rstd, float* dx,
                int64_t rows) {
    layer_norm_backward(dy, x, weight.value.data(), mean.values.data(), rstd.values.data(), dx,
                        weight.grad.data(), bias.grad.data(), rows, dim);
  }
  int64_t dim;
  Parameter weight, bias;
};

// GPT-2's CausalSelfAttention: c_attn (3C, C) makes q, k, v; attention over the earlier
// positions per head; c_proj (C, C) mixes the heads. Uses three saved buffers from `first`:
// qkv (B, T, 3C), att (B, H, T, T) and the heads' output (B, T, C).
struct Attention {
  Attention(const std::string& prefix, int64_t d, int64_t h, InitialDraws& draws)
      : dim(d),
        heads(h),
        c_attn(prefix + "c_attn.", d, 3 * d, draws),
        c_proj(prefix + "c_proj.", d, d, draws) {}
  static constexpr size_t kSaved = 3;
  // out (B, T, C) from x (B, T, C). In a decoding pass, the new positions' keys and values join
  // those of the earlier ones of their sequence in ctx.cache (sequence s: [2s] keys, [2s + 1]
  // values, (positions, C)), and the new positions attend over them all.
  void forward(const float* x, float* out, int64_t B, int64_t T, Buffer* s,
               const ForwardContext& ctx) const {
    float* qkv = sized(s[0], B * T * 3 * dim);
    float* y = sized(s[2], B * T * dim);
    c_attn.forward(x, qkv, B * T);
    if (ctx.decode_rows != nullptr) {
      for (int64_t b = 0; b < B; ++b) decode(qkv + b * T * 3 * dim, y + b * T * dim, b, T, ctx);
    } else {
      attention_forward(qkv, sized(s[1], B * heads * T * T), y, B, T, dim, heads);
    }
    c_proj.forward(y, out, B * T);
  }
  // dx (B, T, C) written from dout (B, T, C).
  void backward(const float* dout, const float* x, float* dx, int64_t B, int64_t T,
                const Buffer* s) {
    const int64_t rows = B * T;
    c_proj.backward(dout, s[2].values.data(), sized(dy_, rows * dim), rows);
    attention_backward(dy_.values.data(), s[0].values.data(), s[1].values.data(),
                       sized(dqkv_, rows * 3 * dim), B, T, dim, heads);
    c_attn.backward(dqkv_.values.data(), x, dx, rows);
  }
  std::vector<Parameter*> parameters() {
    return {&c_attn.weight, &c_attn.bias, &c_proj.weight, &c_proj.bias};
  }
  // y (n, C): the attention of the n new positions in qkv (n, 3C) of the pass's row b.
  void decode(const float* qkv, float* y, int64_t b, int64_t n, const ForwardContext& ctx) const {
    const auto sequence = static_cast<size_t>(ctx.decode_rows->sequences[b]);
    const int64_t P = ctx.decode_rows->positions[b];
    std::vector<Buffer>& cache = *ctx.cache;
    if (cache.size() < 2 * sequence + 2) cache.resize(2 * sequence + 2);
    float* keys = sized(cache[2 * sequence], (P + n) * dim);
    float* values = sized(cache[2 * sequence + 1], (P + n) * dim);
    for (int64_t i = 0; i < n; ++i) {
      const float* row = qkv + i * 3 * dim;
      std::copy(row + dim, row + 2 * dim, keys + (P + i) * dim);
      std::copy(row + 2 * dim, row + 3 * dim, values + (P + i) * dim);
    }
    thread_local std::vector<float> scores;
    attention_decode(qkv, keys, values, y, P, n, dim, heads, scores);
  }
  int64_t dim, heads;
  Affine c_attn, c_proj;
  Buffer dy_, dqkv_;
};

// "(batch, length, <dim>)" unless `in` is that shape.
Status expect_sequence(const char* layer, const std::vector<int64_t>& in, int64_t dim) {
  if (in.size() == 3 && in[2] == dim) return {};
  return wrong_input(layer, "(batch, length, " + std::to_string(dim) + ")", in);
}

// wte (V, C) for the tokens plus wpe (block_size, C) for their positions, both N(0, 1) as
// nn.Embedding initialises them. Reads the model's ids (B, T), T <= block_size.
class TokenPositionEmbedding final : public Layer {
 public:
  TokenPositionEmbedding(int64_t count, int64_t block_size, int64_t dim, const ParameterInit& init)
      : block_size_(block_size),
        dim_(dim),
        wte_(make_parameter("wte.weight", {count, dim}, init.allocates())),
        wpe_(make_parameter("wpe.weight", {block_size, dim}, init.allocates())) {
    InitialDraws draws(init);
    draws.normal(wte_);
    draws.normal(wpe_);
  }
  const char* type() const override { return "token_position_embedding"; }
  bool takes_ids() const override { return true; }
  bool decodes() const override { return true; }
  int64_t max_length() const override { return block_size_; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 2 || in[1] > block_size_) {
      return wrong_input(type(), "(batch, length <= " + std::to_string(block_size_) + ") of ids",
                         in);
    }
    return std::vector<int64_t>{in[0], in[1], dim_};
  }
  // out[b, t] = wte[ids[b, t]] + wpe[t], t counted from the row's decoded positions in a
  // decoding pass.
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    const int64_t B = in.shape[0], T = in.shape[1];
    embedding_forward(ctx.ids, wte_.value.data(), out.values.data(), B * T, dim_);
    for (int64_t b = 0; b < B; ++b) {
      const int64_t first = ctx.decode_rows != nullptr ? ctx.decode_rows->positions[b] : 0;
      const float* positions = wpe_.value.data() + first * dim_;
      float* row = out.values.data() + b * T * dim_;
      for (int64_t i = 0; i < T * dim_; ++i) row[i] += positions[i];
    }
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer*,
                const ForwardContext& ctx) override {
    const int64_t B = in.shape[0], T = in.shape[1];
    embedding_backward(ctx.ids, dout.values.data(), wte_.grad.data(), B * T, dim_);
    for (int64_t b = 0; b < B; ++b) {
      const float* row = dout.values.data() + b * T * dim_;
      for (int64_t i = 0; i < T * dim_; ++i) wpe_.grad[i] += row[i];
    }
  }
  std::vector<Parameter*> parameters() override { return {&wte_, &wpe_}; }

 private:
  int64_t block_size_, dim_;
  Parameter wte_, wpe_;
};

class LayerNorm final : public Layer {
 public:
  LayerNorm(int64_t dim, bool allocate) : norm_("", dim, allocate) {}
  const char* type() const override { return "layer_norm"; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() < 2 || in.back() != norm_.dim) {
      return wrong_input(type(), "(batch, ..., " + std::to_string(norm_.dim) + ")", in);
    }
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    std::vector<Buffer>& s = saved(ctx, 2);
    norm_.forward(in.values.data(), out.values.data(), s[0], s[1], rows(in));
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    float* dx = din != nullptr ? din->values.data() : sized(scratch_, numel(in.shape));
    std::fill(dx, dx + numel(in.shape), 0.0f);
    norm_.backward(dout.values.data(), in.values.data(), (*ctx.saved)[0], (*ctx.saved)[1], dx,
                   rows(in));
  }
  std::vector<Parameter*> parameters() override { return {&norm_.weight, &norm_.bias}; }

 private:
  int64_t rows(const Buffer& in) const { return numel(in.shape) / norm_.dim; }
  Norm norm_;
  Buffer scratch_;
};

class CausalSelfAttention final : public Layer {
 public:
  CausalSelfAttention(int64_t dim, int64_t heads, InitialDraws draws)
      : attn_("", dim, heads, draws) {}
  const char* type() const override { return "causal_self_attention"; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    SLUICE_RETURN_IF_ERROR(expect_sequence(type(), in, attn_.dim));
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    attn_.forward(in.values.data(), out.values.data(), in.shape[0], in.shape[1],
                  saved(ctx, Attention::kSaved).data(), ctx);
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    float* dx = din != nullptr ? din->values.data() : sized(scratch_, numel(in.shape));
    attn_.backward(dout.values.data(), in.values.data(), dx, in.shape[0], in.shape[1],
                   ctx.saved->data());
  }
  std::vector<Parameter*> parameters() override { return attn_.parameters(); }

 private:
  Attention attn_;
  Buffer scratch_;
};

// GPT-2's pre-norm Block: x + attn(ln_1(x)), then x + mlp(ln_2(x)) with
// mlp = c_fc (mlp_ratio·C, C), GELU (exact, nn.GELU()), c_proj (C, mlp_ratio·C).
class TransformerBlock final : public Layer {
 public:
  TransformerBlock(int64_t dim, int64_t heads, int64_t hidden, InitialDraws draws)
      : dim_(dim),
        hidden_(hidden),
        ln_1_("ln_1.", dim, draws.allocates()),
        attn_("attn.", dim, heads, draws),
        ln_2_("ln_2.", dim, draws.allocates()),
        c_fc_("mlp.c_fc.", dim, hidden, draws),
        c_proj_("mlp.c_proj.", hidden, dim, draws) {}
  const char* type() const override { return "transformer_block"; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    SLUICE_RETURN_IF_ERROR(expect_sequence(type(), in, dim_));
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    const int64_t B = in.shape[0], T = in.shape[1], rows = B * T, n = rows * dim_;
    std::vector<Buffer>& s = saved(ctx, kCount);
    const float* x = in.values.data();
    float* y = out.values.data();
    ln_1_.forward(x, sized(s[kLn1], n), s[kLn1Mean], s[kLn1Rstd], rows);
    attn_.forward(s[kLn1].values.data(), y, B, T, &s[kAttn], ctx);
    float* x1 = sized(s[kX1], n);
    for (int64_t i = 0; i < n; ++i) x1[i] = x[i] + y[i];
    ln_2_.forward(x1, sized(s[kLn2], n), s[kLn2Mean], s[kLn2Rstd], rows);
    float* h = sized(s[kHidden], rows * hidden_);
    float* g = sized(s[kGelu], rows * hidden_);
    c_fc_.forward(s[kLn2].values.data(), h, rows);
    activation_forward(Nonlinearity::kGelu, h, g, rows * hidden_, sized(s[kCdf], rows * hidden_));
    c_proj_.forward(g, y, rows);
    for (int64_t i = 0; i < n; ++i) y[i] += x1[i];
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    const int64_t B = in.shape[0], T = in.shape[1], rows = B * T, n = rows * dim_;
    const std::vector<Buffer>& s = *ctx.saved;
    float* dg = sized(dhidden_, rows * hidden_);
    float* dln = sized(dln_, n);
    // MLP branch: dx1 = dout + ln_2's input gradient
    c_proj_.backward(dout.values.data(), s[kGelu].values.data(), dg, rows);
    activation_backward(Nonlinearity::kGelu, s[kHidden].values.data(), s[kGelu].values.data(),
                        s[kCdf].values.data(), dg, dg, rows * hidden_);
    c_fc_.backward(dg, s[kLn2].values.data(), dln, rows);
    float* dx1 = sized(dx1_, n);
    std::copy(dout.values.begin(), dout.values.end(), dx1);
    ln_2_.backward(dln, s[kX1].values.data(), s[kLn2Mean], s[kLn2Rstd], dx1, rows);
    // attention branch: dx = dx1 + ln_1's input gradient
    attn_.backward(dx1, s[kLn1].values.data(), dln, B, T, &s[kAttn]);
    float* dx = din != nullptr ? din->values.data() : sized(dx_, n);
    std::copy(dx1, dx1 + n, dx);
    ln_1_.backward(dln, in.values.data(), s[kLn1Mean], s[kLn1Rstd], dx, rows);
  }
  std::vector<Parameter*> parameters() override {
    std::vector<Parameter*> p{&ln_1_.weight, &ln_1_.bias};
    for (Parameter* q : attn_.parameters()) p.push_back(q);
    for (Parameter* q :
         {&ln_2_.weight, &ln_2_.bias, &c_fc_.weight, &c_fc_.bias, &c_proj_.weight, &c_proj_.bias}) {
      p.push_back(q);
    }
    return p;
  }

 private:
  // The saved buffers: ln_1's output, mean and rstd; attention's three; x + attn; ln_2's
  // output, mean and rstd; the MLP's hidden layer before and after GELU, and its Φ.
  enum : size_t {
    kLn1,
    kLn1Mean,
    kLn1Rstd,
    kAttn,
    kX1 = kAttn + Attention::kSaved,
    kLn2,
    kLn2Mean,
    kLn2Rstd,
    kHidden,
    kGelu,
    kCdf,
    kCount
  };
  int64_t dim_, hidden_;
  Norm ln_1_;
  Attention attn_;
  Norm ln_2_;
  Affine c_fc_, c_proj_;
  Buffer dhidden_, dln_, dx1_, dx_;
};

// dim and heads, checked: dim a multiple of heads.
Status check_heads(const LayerSpec& s, int64_t dim, int64_t heads) {
  if (dim % heads == 0) return {};
  return Status::Invalid("layer " + s.type + ": expected 'dim' (" + std::to_string(dim) +
                         ") to be a multiple of 'heads', found heads " + std::to_string(heads));
}

}  // namespace

void add_transformer_layers(LayerTypes& types) {
  const LayerTypes transformer{
      {"token_position_embedding",
       {{"num_embeddings", "block_size", "dim"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto count = int_arg(s, "num_embeddings", 1);
          auto block = int_arg(s, "block_size", 1);
          auto dim = int_arg(s, "dim", 1);
          if (!count.ok()) return count.status();
          if (!block.ok()) return block.status();
          if (!dim.ok()) return dim.status();
          return std::unique_ptr<Layer>(new TokenPositionEmbedding(*count, *block, *dim, init));
        }}},
      {"layer_norm",
       {{"dim"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto dim = int_arg(s, "dim", 1);
          if (!dim.ok()) return dim.status();
          return std::unique_ptr<Layer>(new LayerNorm(*dim, init.allocates()));
        }}},
      {"causal_self_attention",
       {{"dim", "heads"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto dim = int_arg(s, "dim", 1);
          auto heads = int_arg(s, "heads", 1);
          if (!dim.ok()) return dim.status();
          if (!heads.ok()) return heads.status();
          SLUICE_RETURN_IF_ERROR(check_heads(s, *dim, *heads));
          return std::unique_ptr<Layer>(new CausalSelfAttention(*dim, *heads, InitialDraws(init)));
        }}},
      {"transformer_block",
       {{"dim", "heads", "mlp_ratio"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto dim = int_arg(s, "dim", 1);
          auto heads = int_arg(s, "heads", 1);
          auto ratio = int_arg(s, "mlp_ratio", 1, 4);
          if (!dim.ok()) return dim.status();
          if (!heads.ok()) return heads.status();
          if (!ratio.ok()) return ratio.status();
          SLUICE_RETURN_IF_ERROR(check_heads(s, *dim, *heads));
          return std::unique_ptr<Layer>(
              new TransformerBlock(*dim, *heads, *dim * *ratio, InitialDraws(init)));
        }}},
  };
  types.insert(transformer.begin(), transformer.end());
}

}  // namespace sluice::nn
