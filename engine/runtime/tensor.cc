#include "engine/runtime/tensor.h"

#include <spdlog/spdlog.h>
#include <sluice/record.hpp>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace sluice {
namespace {

// Engine allocations are aligned for vector loads.
constexpr size_t kAlignment = 64;

std::atomic<int64_t> g_live_bytes{0};
std::atomic<int64_t> g_peak_bytes{0};

void account(int64_t delta) {
  int64_t live = g_live_bytes.fetch_add(delta, std::memory_order_relaxed) + delta;
  int64_t peak = g_peak_bytes.load(std::memory_order_relaxed);
  while (live > peak &&
         !g_peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

void free_owned(void* data, void*) { std::free(data); }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

// The byte size of a tensor of `dtype` and `shape`, after checking both.
Expected<size_t> checked_nbytes(sluice_dtype dtype, const std::vector<int64_t>& shape) {
  size_t elem = dtype_size(dtype);
  if (elem == 0) {
    return Status::Invalid("tensor: expected a dtype from bool to float64, found " +
                           std::to_string(static_cast<int>(dtype)) + " (" + dtype_name(dtype) +
                           ")");
  }
  if (shape.size() > SLUICE_MAX_DIMS) {
    return Status::Invalid("tensor: expected at most " + std::to_string(SLUICE_MAX_DIMS) +
                           " dimensions, found " + std::to_string(shape.size()));
  }
  size_t bytes = elem;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) {
      return Status::Invalid("tensor: expected non-negative dimensions, found shape " +
                             shape_text(shape));
    }
    auto dim = static_cast<uint64_t>(shape[i]);
    if (dim != 0 && bytes > std::numeric_limits<size_t>::max() / dim) {
      return Status::Invalid("tensor: shape " + shape_text(shape) + " of " + dtype_name(dtype) +
                             " overflows the addressable size");
    }
    bytes *= static_cast<size_t>(dim);
  }
  if (bytes > static_cast<size_t>(std::numeric_limits<int64_t>::max()) - kAlignment) {
    return Status::Invalid("tensor: shape " + shape_text(shape) + " of " + dtype_name(dtype) +
                           " overflows the addressable size");
  }
  return bytes;
}

sluice_tensor* make_tensor(sluice_dtype dtype, const std::vector<int64_t>& shape, size_t nbytes) {
  auto* t = new sluice_tensor;
  t->dtype = dtype;
  t->ndim = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t->shape[i] = shape[i];
  t->nbytes = nbytes;
  return t;
}

}  // namespace

Expected<sluice_tensor*> tensor_new(sluice_dtype dtype, const std::vector<int64_t>& shape) {
  Expected<size_t> nbytes = checked_nbytes(dtype, shape);
  if (!nbytes.ok()) return nbytes.status();
  size_t rounded = (*nbytes + kAlignment - 1) / kAlignment * kAlignment;
  void* data = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
  if (data == nullptr) {
    return Status::OutOfMemory("tensor: cannot allocate " + std::to_string(*nbytes) +
                               " bytes for a " + dtype_name(dtype) + " tensor of shape " +
                               shape_text(shape));
  }
  std::memset(data, 0, *nbytes);
  sluice_tensor* t = make_tensor(dtype, shape, *nbytes);
  t->data = data;
  t->deleter = &free_owned;
  account(static_cast<int64_t>(*nbytes));
  return t;
}

Expected<sluice_tensor*> tensor_wrap(sluice_dtype dtype, const std::vector<int64_t>& shape,
                                     sluice_device_type device, int32_t index, void* data,
                                     sluice_deleter deleter, void* deleter_ctx) {
  Expected<size_t> nbytes = checked_nbytes(dtype, shape);
  if (!nbytes.ok()) return nbytes.status();
  if (device != SLUICE_DEVICE_CPU && device != SLUICE_DEVICE_CUDA) {
    return Status::Invalid("tensor: expected device type cpu (0) or cuda (1), found " +
                           std::to_string(static_cast<int>(device)));
  }
  if (index < 0) {
    return Status::Invalid("tensor: expected a non-negative device index, found " +
                           std::to_string(index));
  }
  if (data == nullptr && *nbytes != 0) {
    return Status::Invalid("tensor: expected data for " + std::to_string(*nbytes) +
                           " bytes, found a null pointer");
  }
  sluice_tensor* t = make_tensor(dtype, shape, *nbytes);
  t->data = data;
  t->device_type = device;
  t->device_index = index;
  t->deleter = deleter;
  t->deleter_ctx = deleter_ctx;
  account(static_cast<int64_t>(*nbytes));
  return t;
}

void tensor_retain(const sluice_tensor* t) {
  if (t) t->refs.fetch_add(1, std::memory_order_relaxed);
}

void tensor_release(const sluice_tensor* t) {
  if (t == nullptr || t->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  auto* owned = const_cast<sluice_tensor*>(t);
  if (owned->deleter) {
    try {
      owned->deleter(owned->data, owned->deleter_ctx);
    } catch (...) {
      spdlog::error("tensor deleter threw an exception across the C ABI; the buffer may leak");
    }
  }
  account(-static_cast<int64_t>(owned->nbytes));
  delete owned;
}

int64_t tensor_numel(const sluice_tensor& t) {
  int64_t n = 1;
  for (int32_t i = 0; i < t.ndim; ++i) n *= t.shape[i];
  return n;
}

TensorStats tensor_stats() {
  return {g_live_bytes.load(std::memory_order_relaxed),
          g_peak_bytes.load(std::memory_order_relaxed)};
}

void reset_tensor_peak() {
  g_peak_bytes.store(g_live_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

}  // namespace sluice
