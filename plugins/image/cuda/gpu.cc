// image/gpu.h on CUDA: each call is one job on a stream of the op's pool (uploads of the pixels
// and the taps, the kernel launches, one download), with device memory from the pool's cache.
#include "image/gpu.h"

#include "cuda/device.h"
#include "cuda/stream.h"
#include "image/cuda/normalize_kernel.h"
#include "image/cuda/resize_kernel.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace sluice::image {
namespace {

// The bytes of `dims` elements of `element` bytes each; OUT_OF_MEMORY naming `what` when the
// product does not fit in size_t.
Expected<size_t> bytes_of(std::initializer_list<int64_t> dims, size_t element, const char* what) {
  size_t n = element;
  for (int64_t d : dims) {
    if (d < 0 || __builtin_mul_overflow(n, static_cast<size_t>(d), &n)) {
      return Status::OutOfMemory(std::string("GPU ") + what + ": more bytes than can be addressed");
    }
  }
  return n;
}

// A device copy of host data on the job's stream.
template <class T>
Expected<T*> upload(cuda::Stream& st, const T* src, size_t count) {
  Expected<void*> dst = st.device_buffer(count * sizeof(T));
  if (!dst.ok()) return dst.status();
  SLUICE_RETURN_IF_ERROR(st.upload(src, count * sizeof(T), *dst));
  return static_cast<T*>(*dst);
}

class CudaGpu : public Gpu {
 public:
  explicit CudaGpu(std::unique_ptr<cuda::StreamPool> pool)
      : pool_(std::move(pool)), name_(cuda::device_description()) {}

  const std::string& name() const override { return name_; }

  Status resize(const ImageBatchView& src, const ResizePlan& plan, uint8_t* dst) override {
    if (plan.in != cv::Size(src.width, src.height) || plan.out.width <= 0 || plan.out.height <= 0 ||
        plan.x.start.size() != static_cast<size_t>(plan.out.width) ||
        plan.y.start.size() != static_cast<size_t>(plan.out.height)) {
      return Status::Internal(
          "GPU resize: a plan for " + std::to_string(plan.in.width) + "x" +
          std::to_string(plan.in.height) + " -> " + std::to_string(plan.out.width) + "x" +
          std::to_string(plan.out.height) + " given a " + std::to_string(src.width) + "x" +
          std::to_string(src.height) + " image");
    }
    const int out_w = plan.out.width, out_h = plan.out.height;
    const int row_lo = plan.row_lo(), rows = plan.rows();
    Expected<size_t> in_bytes =
        bytes_of({src.count, src.height, src.width, src.channels}, 1, "resize input");
    Expected<size_t> tmp_bytes =
        bytes_of({src.count, rows, out_w, src.channels}, sizeof(float), "resize buffer");
    Expected<size_t> out_bytes =
        bytes_of({src.count, out_h, out_w, src.channels}, 1, "resize output");
    for (const auto* e : {&in_bytes, &tmp_bytes, &out_bytes}) {
      if (!e->ok()) return e->status();
    }
    return pool_->run([&](cuda::Stream& st) -> Status {
      cuda_kernels::ResizeArgs a;
      Expected<uint8_t*> in = upload(st, src.data, *in_bytes);
      Expected<int*> xs = upload(st, plan.x.start.data(), plan.x.start.size());
      Expected<float*> xw = upload(st, plan.x.weight.data(), plan.x.weight.size());
      Expected<int*> ys = upload(st, plan.y.start.data(), plan.y.start.size());
      Expected<float*> yw = upload(st, plan.y.weight.data(), plan.y.weight.size());
      Expected<void*> tmp = st.device_buffer(*tmp_bytes);
      Expected<void*> out = st.device_buffer(*out_bytes);
      if (!in.ok()) return in.status();
      if (!xs.ok()) return xs.status();
      if (!xw.ok()) return xw.status();
      if (!ys.ok()) return ys.status();
      if (!yw.ok()) return yw.status();
      if (!tmp.ok()) return tmp.status();
      if (!out.ok()) return out.status();
      a.in = *in;
      a.count = src.count;
      a.in_h = src.height;
      a.in_w = src.width;
      a.channels = src.channels;
      a.x_start = *xs;
      a.x_weight = *xw;
      a.x_width = plan.x.width;
      a.out_w = out_w;
      a.y_start = *ys;
      a.y_weight = *yw;
      a.y_width = plan.y.width;
      a.out_h = out_h;
      a.row_lo = row_lo;
      a.rows = rows;
      a.tmp = static_cast<float*>(*tmp);
      a.out = static_cast<uint8_t*>(*out);
      SLUICE_RETURN_IF_ERROR(cuda_kernels::launch_resize(a, st.get()));
      return st.download(*out, *out_bytes, dst);
    });
  }

  Status to_chw_float(const ImageBatchView& src, const float* scale, const float* shift,
                      float* dst) override {
    Expected<size_t> in_bytes =
        bytes_of({src.count, src.height, src.width, src.channels}, 1, "normalize input");
    Expected<size_t> out_bytes = bytes_of({src.count, src.channels, src.height, src.width},
                                          sizeof(float), "normalize output");
    if (!in_bytes.ok()) return in_bytes.status();
    if (!out_bytes.ok()) return out_bytes.status();
    return pool_->run([&](cuda::Stream& st) -> Status {
      Expected<uint8_t*> in = upload(st, src.data, *in_bytes);
      Expected<float*> sc = upload(st, scale, static_cast<size_t>(src.channels));
      Expected<float*> sh = upload(st, shift, static_cast<size_t>(src.channels));
      Expected<void*> out = st.device_buffer(*out_bytes);
      if (!in.ok()) return in.status();
      if (!sc.ok()) return sc.status();
      if (!sh.ok()) return sh.status();
      if (!out.ok()) return out.status();
      cuda_kernels::NormalizeArgs a;
      a.in = *in;
      a.count = src.count;
      a.height = src.height;
      a.width = src.width;
      a.channels = src.channels;
      a.scale = *sc;
      a.shift = *sh;
      a.out = static_cast<float*>(*out);
      SLUICE_RETURN_IF_ERROR(cuda_kernels::launch_normalize(a, st.get()));
      return st.download(*out, *out_bytes, dst);
    });
  }

 private:
  std::unique_ptr<cuda::StreamPool> pool_;
  std::string name_;
};

}  // namespace

Status gpu_status() { return cuda::device_status(); }

Expected<std::unique_ptr<Gpu>> open_gpu() {
  Expected<std::unique_ptr<cuda::StreamPool>> pool = cuda::StreamPool::open(0);
  if (!pool.ok()) return pool.status();
  return std::unique_ptr<Gpu>(std::make_unique<CudaGpu>(std::move(*pool)));
}

}  // namespace sluice::image
