// sluice C++ SDK: layer types for the models of the nn plugin (ABI 1.2; buffers 1.3).
//
// A layer is a class with
//   static LayerSchema schema();                                // type name, doc, args
//   Status open(const Params& args, uint64_t seed);             // once, with the checked args
//   Expected<Shape> output_shape(const Shape& in) const;        // (batch, ...) -> (batch, ...)
//   Status forward(const LayerPass& pass, const FloatView& in, FloatView& out) const;
//   Status backward(const LayerPass& pass, const FloatView& in, const FloatView& out,
//                   const FloatView& dout, FloatView* din) const;
// and, when it has trained parameters or keeps buffers from forward for backward,
//   std::vector<LayerParameter> parameters() const;             // names and shapes, fixed after
//   open Status init_parameters(const std::vector<FloatView>& values);  // initial values (zeroed)
//   std::vector<Shape> saved_shapes(const Shape& in) const;     // pass.saved(i), per pass
// and, when it keeps state that is not trained (a running mean: PyTorch's module buffers),
//   std::vector<LayerParameter> buffers() const;                // names and shapes (ABI 1.3)
//   Status init_buffers(const std::vector<FloatView>& values);  // initial values (zeroed)
// read through pass.buffer(i) and updated only by the backward pass of a training pass;
// and, when it also runs on a CUDA device, both of (no virtual: the SDK sees that the class has
// them and sets the C entry points; a layer without them runs on the CPU only)
//   Status forward_cuda(const LayerPass& pass, const FloatView& in, FloatView& out) const;
//   Status backward_cuda(const LayerPass& pass, const FloatView& in, const FloatView& out,
//                        const FloatView& dout, FloatView* din) const;
// which see device pointers everywhere (tensors, pass.value/grad/saved) and queue their kernels
// on pass.stream(), the cudaStream_t of the pass (asynchronous: they return once the work is
// queued; the engine synchronises);
// registered with `plugin.layer<MyLayer>()` in SLUICE_PLUGIN. A model names it in its layer
// list: `layers: [{type: mylayers.swish, features: 8}]`.
//
// The engine owns every tensor (see sluice_layer_def in plugin.h): forward reads the parameters'
// values through pass.value(i) and backward adds their gradients into pass.grad(i), so the
// optimizers, checkpoints and .safetensors files of the nn plugin treat them as any layer's
// ("<layer index>.<name>"). forward() may run on several threads at once on one instance (it is
// const: keep per-pass state in pass.saved); backward() runs on one thread at a time. Errors are
// Status values; exceptions are caught at the boundary and become INTERNAL errors (sluice::Error
// keeps its status), and the engine names the layer type in what it reports.
#ifndef SLUICE_LAYER_HPP_
#define SLUICE_LAYER_HPP_

#include <sluice/params.hpp>
#include <sluice/schema.hpp>
#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

using Shape = std::vector<int64_t>;

// A float32 tensor the engine owns, contiguous row-major: a layer's input, output, their
// gradients, a parameter's values or gradient, a saved buffer. A view: copying it copies no data.
class FloatView {
 public:
  FloatView(int32_t ndim, const int64_t* shape, float* data)
      : ndim_(ndim), shape_(shape), data_(data) {}
  explicit FloatView(const sluice_tensor_info& t)
      : FloatView(t.ndim, t.shape, static_cast<float*>(t.data)) {}

  int ndim() const { return ndim_; }
  // Dimension `i`; a negative `i` counts from the end (dim(-1) is the last).
  int64_t dim(int i) const {
    if (i < 0) i += ndim_;
    if (i < 0 || i >= ndim_) {
      throw Error(Status::Internal("tensor dimension " + std::to_string(i) + " of " +
                                   std::to_string(ndim_)));
    }
    return shape_[i];
  }
  Shape shape() const { return Shape(shape_, shape_ + ndim_); }
  // The number of elements.
  int64_t size() const {
    int64_t n = 1;
    for (int i = 0; i < ndim_; ++i) n *= shape_[i];
    return n;
  }
  float* data() const { return data_; }
  float& operator[](int64_t i) const { return data_[i]; }

 private:
  int32_t ndim_;
  const int64_t* shape_;
  float* data_;
};

// A trained parameter as a layer declares it: its state_dict name ("weight") and shape.
struct LayerParameter {
  std::string name;
  Shape shape;
};

// What one forward pass and its backward pass see besides their tensors. Valid for the call.
class LayerPass {
 public:
  explicit LayerPass(const sluice_layer_pass* p) : p_(p) {}
  const sluice_layer_pass* raw() const { return p_; }

  bool training() const { return p_->training != 0; }
  // This layer's seed for this pass (the same in its backward pass): draws made from it do not
  // depend on the thread count.
  uint64_t seed() const { return p_->seed; }
  size_t param_count() const { return p_->param_count; }
  // The values and the gradient of parameter `i`, in the order parameters() lists them.
  FloatView value(size_t i) const {
    const sluice_layer_param& p = param(i);
    return FloatView(p.ndim, p.shape, p.value);
  }
  FloatView grad(size_t i) const {
    const sluice_layer_param& p = param(i);
    return FloatView(p.ndim, p.shape, p.grad);
  }
  size_t saved_count() const { return p_->saved_count; }
  // Buffer `i` of saved_shapes(): zeroed before forward, which fills it; backward reads it.
  FloatView saved(size_t i) const {
    if (i >= p_->saved_count) throw Error(out_of_range("saved buffer", i, p_->saved_count));
    return FloatView(p_->saved[i]);
  }
  // The number of buffers: those buffers() declared, or 0 on an engine older than ABI 1.3.
  size_t buffer_count() const {
    return SLUICE_HAS_MEMBER(sluice_layer_pass, p_, buffers) ? p_->buffer_count : 0;
  }
  // The values of buffer `i`, in the order buffers() lists them: forward reads them; backward
  // may update them when training() (folding in what its forward pass saved), nothing else does.
  FloatView buffer(size_t i) const {
    if (i >= buffer_count()) throw Error(out_of_range("buffer", i, buffer_count()));
    const sluice_layer_param& b = p_->buffers[i];
    return FloatView(b.ndim, b.shape, b.value);
  }
  // The cudaStream_t (as void*, so this header needs no CUDA) that forward_cuda and backward_cuda
  // queue their work on; null in the CPU entry points.
  void* stream() const { return p_->stream; }

 private:
  const sluice_layer_param& param(size_t i) const {
    if (i >= p_->param_count) throw Error(out_of_range("parameter", i, p_->param_count));
    return p_->params[i];
  }
  static Status out_of_range(const char* what, size_t i, size_t count) {
    return Status::Internal(std::string("expected a ") + what + " index below " +
                            std::to_string(count) + ", found " + std::to_string(i));
  }
  const sluice_layer_pass* p_;
};

class Layer {
 public:
  virtual ~Layer() = default;
  // `args`: the layer list entry's args, checked against the schema, defaults filled in. `seed`:
  // this layer's initialisation seed (from the model's seed and the layer's index).
  virtual Status open(const Params& args, uint64_t seed) {
    (void)args;
    (void)seed;
    return Status();
  }
  // The output shape for an input of shape `in` (the first dimension is the batch); an error
  // says what the layer expected and what it found.
  virtual Expected<Shape> output_shape(const Shape& in) const = 0;
  // Read once, after open().
  virtual std::vector<LayerParameter> parameters() const { return {}; }
  // values[i]: parameter i's values, zeroed; write their initial values (e.g. drawn from open's
  // seed). Weights loaded from a file replace them later.
  virtual Status init_parameters(const std::vector<FloatView>& values) {
    (void)values;
    return Status();
  }
  // The buffers: state the optimizer does not train (a running mean), saved with the parameters
  // as "<layer index>.<name>". Read once, after open().
  virtual std::vector<LayerParameter> buffers() const { return {}; }
  // values[i]: buffer i's values, zeroed; write their initial values. Values loaded from a file or
  // a checkpoint replace them later.
  virtual Status init_buffers(const std::vector<FloatView>& values) {
    (void)values;
    return Status();
  }
  // The shapes of the buffers forward keeps for backward (pass.saved(i)) for an input of `in`.
  virtual std::vector<Shape> saved_shapes(const Shape& in) const {
    (void)in;
    return {};
  }
  // out = layer(in); `out` is shaped as output_shape(in.shape()).
  virtual Status forward(const LayerPass& pass, const FloatView& in, FloatView& out) const = 0;
  // Given dout (shaped as out), adds each parameter's gradient into pass.grad(i) and, when `din`
  // is not null, writes the gradient of the input into it (shaped as in).
  virtual Status backward(const LayerPass& pass, const FloatView& in, const FloatView& out,
                          const FloatView& dout, FloatView* din) const = 0;
};

}  // namespace sluice

#endif  // SLUICE_LAYER_HPP_
