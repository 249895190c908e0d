#include "nn/kernels/dnnl_gemm.h"

#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::nn {
namespace {

using dnnl::memory;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// The matmul primitive for C = alpha · op(A) · op(B) + beta · C over row-major storage: the
// transposes are the operands' strides, alpha an output scale, beta a sum post-op.
dnnl::matmul::primitive_desc product(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                                     float alpha, int64_t lda, int64_t ldb, float beta,
                                     int64_t ldc) {
  const memory::desc a({m, k}, memory::data_type::f32,
                       trans_a ? memory::dims{1, lda} : memory::dims{lda, 1});
  const memory::desc b({k, n}, memory::data_type::f32,
                       trans_b ? memory::dims{1, ldb} : memory::dims{ldb, 1});
  const memory::desc c({m, n}, memory::data_type::f32, memory::dims{ldc, 1});
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (alpha != 1.0f) attr.set_output_scales(0, {alpha});
  if (beta != 0.0f) {
    dnnl::post_ops sum;
    sum.append_sum(beta);
    attr.set_post_ops(sum);
  }
  return dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, c), attr, cpu_engine());
}

// The products made so far, with their primitives (the set-up of one, even from oneDNN's own
// cache, costs a few microseconds, as much as a small product). At most kMaxPrimitives shapes
// are kept: past that (batches of ever new shapes) the cache starts again.
struct Key {
  bool trans_a, trans_b;
  int64_t m, n, k, lda, ldb, ldc;
  float alpha, beta;
  bool operator==(const Key&) const = default;
};

struct KeyHash {
  size_t operator()(const Key& key) const {
    size_t h = (size_t{key.trans_a} << 1) | size_t{key.trans_b};
    for (int64_t v : {key.m, key.n, key.k, key.lda, key.ldb, key.ldc}) {
      h = h * 1000003u ^ std::hash<int64_t>()(v);
    }
    return h * 1000003u ^ std::hash<float>()(key.alpha) ^ (std::hash<float>()(key.beta) << 1);
  }
};

struct Primitive {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul matmul;
};

constexpr size_t kMaxPrimitives = 256;

// The primitive for `key`, made on first use; null when oneDNN has none for it or would run it
// with other kernels than brgemm (its own gemm, for some strided layouts and on CPUs without
// AVX-512, is no faster than OpenBLAS).
std::shared_ptr<const Primitive> primitive(const Key& key) {
  static std::mutex mu;
  static std::unordered_map<Key, std::shared_ptr<const Primitive>, KeyHash> made;
  std::lock_guard<std::mutex> lock(mu);
  auto it = made.find(key);
  if (it != made.end()) return it->second;
  std::shared_ptr<const Primitive> p;
  try {
    dnnl::matmul::primitive_desc pd = product(key.trans_a, key.trans_b, key.m, key.n, key.k,
                                              key.alpha, key.lda, key.ldb, key.beta, key.ldc);
    if (std::string(pd.impl_info_str()).rfind("brg", 0) == 0) {
      dnnl::matmul matmul(pd);
      p = std::make_shared<const Primitive>(Primitive{std::move(pd), std::move(matmul)});
    }
  } catch (const dnnl::error&) {
    p = nullptr;
  }
  if (made.size() >= kMaxPrimitives) made.clear();
  made.emplace(key, p);
  return p;
}

}  // namespace

bool dnnl_gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
               const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
               int64_t ldc) {
  const std::shared_ptr<const Primitive> p =
      primitive(Key{trans_a, trans_b, m, n, k, lda, ldb, ldc, alpha, beta});
  if (p == nullptr) return false;
  omp_set_num_threads(1);  // this thread's OpenMP team, which oneDNN would spread its work over
  // This thread's stream, scratchpad (scratchpad_mode::user: threads may run one primitive at
  // once) and memory objects for each primitive it ran, whose data pointers are set per call (a
  // new set costs more than a small product).
  struct Bound {
    memory a, b, c, scratch;
    std::unordered_map<int, memory> args;
  };
  thread_local dnnl::stream stream(cpu_engine());
  thread_local std::vector<uint8_t> scratch;
  thread_local std::unordered_map<std::shared_ptr<const Primitive>, Bound> bound;
  auto it = bound.find(p);
  if (it == bound.end()) {
    if (bound.size() >= kMaxPrimitives) bound.clear();
    const dnnl::engine& engine = cpu_engine();
    Bound fresh{memory(p->pd.src_desc(), engine, nullptr),
                memory(p->pd.weights_desc(), engine, nullptr),
                memory(p->pd.dst_desc(), engine, nullptr),
                memory(p->pd.scratchpad_desc(), engine, nullptr),
                {}};
    fresh.args = {{DNNL_ARG_SRC, fresh.a},
                  {DNNL_ARG_WEIGHTS, fresh.b},
                  {DNNL_ARG_DST, fresh.c},
                  {DNNL_ARG_SCRATCHPAD, fresh.scratch}};
    it = bound.emplace(p, std::move(fresh)).first;
  }
  scratch.resize(std::max<size_t>(scratch.size(), p->pd.scratchpad_desc().get_size()));
  Bound& io = it->second;
  io.a.set_data_handle(const_cast<float*>(a));
  io.b.set_data_handle(const_cast<float*>(b));
  io.c.set_data_handle(c);
  io.scratch.set_data_handle(scratch.data());
  p->matmul.execute(stream, io.args);
  stream.wait();
  return true;
}

}  // namespace sluice::nn
