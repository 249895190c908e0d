// Engine side of sluice_tensor: a reference-counted, contiguous buffer with dtype, shape and
// device. The buffer is either owned (allocated by the engine, zeroed) or adopted with a deleter,
// so a cv::Mat, a pinned buffer or a device allocation moves through the graph without copies.
// Reference counting is atomic; the data itself is not synchronised.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <atomic>
#include <cstdint>
#include <vector>

struct sluice_tensor_s {
  sluice_dtype dtype = SLUICE_DTYPE_FLOAT32;
  int32_t ndim = 0;
  int64_t shape[SLUICE_MAX_DIMS] = {};
  void* data = nullptr;
  size_t nbytes = 0;
  sluice_device_type device_type = SLUICE_DEVICE_CPU;
  int32_t device_index = 0;
  sluice_deleter deleter = nullptr;
  void* deleter_ctx = nullptr;
  mutable std::atomic<int64_t> refs{1};
};

namespace sluice {

// Allocates a zeroed CPU tensor with one reference. Fails on a bad dtype, ndim or shape, or
// when the size overflows.
Expected<sluice_tensor*> tensor_new(sluice_dtype dtype, const std::vector<int64_t>& shape);
// Adopts `data` (see sluice_host::tensor_wrap).
Expected<sluice_tensor*> tensor_wrap(sluice_dtype dtype, const std::vector<int64_t>& shape,
                                     sluice_device_type device, int32_t index, void* data,
                                     sluice_deleter deleter, void* deleter_ctx);
void tensor_retain(const sluice_tensor* t);
void tensor_release(const sluice_tensor* t);

// Owning handle used inside the engine (copy = retain).
class TensorRef {
 public:
  TensorRef() = default;
  // Takes over one reference the caller holds.
  static TensorRef adopt(sluice_tensor* t) { return TensorRef(t); }
  // Adds a reference.
  static TensorRef share(const sluice_tensor* t) {
    tensor_retain(t);
    return TensorRef(const_cast<sluice_tensor*>(t));
  }
  TensorRef(const TensorRef& o) : t_(o.t_) {
    if (t_) tensor_retain(t_);
  }
  TensorRef(TensorRef&& o) noexcept : t_(o.t_) { o.t_ = nullptr; }
  TensorRef& operator=(TensorRef o) noexcept {
    std::swap(t_, o.t_);
    return *this;
  }
  ~TensorRef() {
    if (t_) tensor_release(t_);
  }
  sluice_tensor* get() const { return t_; }
  sluice_tensor* operator->() const { return t_; }
  explicit operator bool() const { return t_ != nullptr; }

 private:
  explicit TensorRef(sluice_tensor* t) : t_(t) {}
  sluice_tensor* t_ = nullptr;
};

int64_t tensor_numel(const sluice_tensor& t);

// Bytes held by live tensors the engine allocated or adopted (CPU and device together), and the
// high-water mark since the last reset_tensor_peak(). For backpressure tests and the report.
struct TensorStats {
  int64_t live_bytes = 0;
  int64_t peak_bytes = 0;
};
TensorStats tensor_stats();
void reset_tensor_peak();

}  // namespace sluice
