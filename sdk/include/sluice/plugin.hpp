// sluice C++ SDK: exporting a plugin.
//
//   SLUICE_PLUGIN("text", "0.1.0", "Text processing ops.") {
//     plugin.op<Lowercase>();
//     plugin.resource<Vocabulary>();
//     plugin.layer<Swish>();  // a layer type (layer.hpp)
//   }
//
// The macro defines the one exported entry point. Its body runs once, the first time the engine
// calls the entry point (no static-initialiser registries). Every C callback the SDK generates
// catches exceptions, so none crosses the ABI.
#ifndef SLUICE_PLUGIN_HPP_
#define SLUICE_PLUGIN_HPP_

#include <sluice/layer.hpp>
#include <sluice/op.hpp>

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace sluice {
namespace detail {

// Runs `f` and turns any exception into a C status.
template <class F>
sluice_status guarded(F&& f) noexcept {
  try {
    return to_c(f());
  } catch (const Error& e) {
    return to_c(e.status());
  } catch (const std::bad_alloc&) {
    return to_c(Status::OutOfMemory("out of memory"));
  } catch (const std::exception& e) {
    return to_c(Status::Internal(std::string("unexpected exception: ") + e.what()));
  } catch (...) {
    return to_c(Status::Internal("unexpected exception of unknown type"));
  }
}

template <class T, class = void>
struct HasCheck : std::false_type {};
template <class T>
struct HasCheck<T, std::void_t<decltype(T::check(std::declval<const Params&>()))>>
    : std::true_type {};
// A layer type with a CUDA path: forward_cuda and backward_cuda with forward's and backward's
// signatures (layer.hpp).
template <class T, class = void>
struct HasCudaPass : std::false_type {};
template <class T>
struct HasCudaPass<
    T, std::void_t<decltype(std::declval<const T&>().forward_cuda(std::declval<const LayerPass&>(),
                                                                  std::declval<const FloatView&>(),
                                                                  std::declval<FloatView&>())),
                   decltype(std::declval<const T&>().backward_cuda(
                       std::declval<const LayerPass&>(), std::declval<const FloatView&>(),
                       std::declval<const FloatView&>(), std::declval<const FloatView&>(),
                       std::declval<FloatView*>()))>> : std::true_type {};
template <class T, class = void>
struct HasInferFields : std::false_type {};
template <class T>
struct HasInferFields<T, std::void_t<decltype(T::infer_fields(
                             std::declval<const Params&>(), std::declval<const Context&>(),
                             std::declval<FieldSet&>()))>> : std::true_type {};

// One op instance with the context it was opened with.
struct OpBox {
  std::unique_ptr<Op> op;
  Context ctx;
};

template <class T>
struct OpTrampolines {
  static sluice_status check(const sluice_host*, const sluice_param* p) {
    return guarded([&] { return T::check(Params(p)); });
  }
  static sluice_status infer_fields(const sluice_host*, const sluice_param* p,
                                    const sluice_node_context* c, sluice_field_set* s) {
    return guarded([&] {
      FieldSet fields(s);
      return T::infer_fields(Params(p), Context(const_cast<sluice_node_context*>(c)), fields);
    });
  }
  static sluice_status create(const sluice_host*, const sluice_param* p, sluice_node_context* c,
                              void** instance) {
    return guarded([&] {
      auto box = std::make_unique<OpBox>(OpBox{std::make_unique<T>(), Context(c)});
      Status s = box->op->open(box->ctx, Params(p));
      if (s.ok()) *instance = box.release();
      return s;
    });
  }
  static sluice_status process(void* inst, sluice_node_context*, sluice_record* r,
                               sluice_emitter* e) {
    return guarded([&] {
      Record record(r);
      Emitter out(e);
      return static_cast<OpBox*>(inst)->op->process(record, out);
    });
  }
  static sluice_status produce(void* inst, sluice_node_context* ctx, sluice_emitter* e, int* done) {
    return guarded([&] {
      Emitter out(e);
      bool d = false;
      auto& source = static_cast<Source&>(*static_cast<OpBox*>(inst)->op);
      source.bind_context(ctx);
      Status s = source.produce(out, d);
      *done = d ? 1 : 0;
      return s;
    });
  }
  static sluice_status finish(void* inst, sluice_node_context*, sluice_emitter* e) {
    return guarded([&] {
      Emitter out(e);
      return static_cast<OpBox*>(inst)->op->close(out);
    });
  }
  static void destroy(void* inst) { delete static_cast<OpBox*>(inst); }
  static int64_t size_hint(void* inst) {
    try {
      return static_cast<const Source&>(*static_cast<OpBox*>(inst)->op).size_hint();
    } catch (...) {
      return -1;
    }
  }
};

template <class T>
struct ResourceTrampolines {
  static sluice_status check(const sluice_host*, const sluice_param* p) {
    return guarded([&] { return T::check(Params(p)); });
  }
  static sluice_status create(const sluice_host*, const sluice_param* p, void** instance) {
    return guarded([&] {
      auto r = std::make_unique<T>();
      Status s = r->open(Params(p));
      if (s.ok()) *instance = r.release();
      return s;
    });
  }
  // The op side casts the pointer back to T (Context::resource<T>), so hand out T*.
  static void destroy(void* inst) { delete static_cast<T*>(inst); }
};

// One layer instance with the parameters it declared after open() (the C side points into their
// names).
struct LayerBox {
  std::unique_ptr<Layer> layer;
  std::vector<LayerParameter> params, buffers;
};

inline Shape shape_of(int32_t ndim, const int64_t* dims) {
  if (ndim < 0 || ndim > SLUICE_MAX_DIMS || (ndim > 0 && dims == nullptr)) {
    throw Error(Status::Invalid("expected a shape of 0 to " + std::to_string(SLUICE_MAX_DIMS) +
                                " dimensions, found " + std::to_string(ndim)));
  }
  return Shape(dims, dims + ndim);
}

// Writes `shape` into a C shape of `what`; an error when it has too many dimensions.
inline void put_shape(const Shape& shape, const std::string& what, int32_t* ndim, int64_t* dims) {
  if (shape.size() > SLUICE_MAX_DIMS) {
    throw Error(Status::Invalid(what + ": expected at most " + std::to_string(SLUICE_MAX_DIMS) +
                                " dimensions, found " + std::to_string(shape.size())));
  }
  *ndim = static_cast<int32_t>(shape.size());
  std::copy(shape.begin(), shape.end(), dims);
}

template <class T>
struct LayerTrampolines {
  static const Layer& layer(void* inst) { return *static_cast<LayerBox*>(inst)->layer; }

  static sluice_status create(const sluice_host*, const sluice_param* args, uint64_t seed,
                              void** instance) {
    return guarded([&] {
      auto box = std::make_unique<LayerBox>(LayerBox{std::make_unique<T>(), {}, {}});
      SLUICE_RETURN_IF_ERROR(box->layer->open(Params(args), seed));
      box->params = box->layer->parameters();
      box->buffers = box->layer->buffers();
      *instance = box.release();
      return Status();
    });
  }
  static void destroy(void* inst) { delete static_cast<LayerBox*>(inst); }
  static sluice_status output_shape(void* inst, int32_t in_ndim, const int64_t* in_shape,
                                    int32_t* out_ndim, int64_t* out_shape) {
    return guarded([&] {
      Expected<Shape> out = layer(inst).output_shape(shape_of(in_ndim, in_shape));
      if (!out.ok()) return out.status();
      if (out->empty()) {
        return Status::Internal("output_shape: expected at least 1 dimension, found 0");
      }
      put_shape(*out, "output_shape", out_ndim, out_shape);
      return Status();
    });
  }
  // Describes `declared` (a layer's parameters or buffers) to the C side, as
  // sluice_layer_def::parameters does.
  static void describe(const std::vector<LayerParameter>& declared, const char* what,
                       size_t capacity, size_t* count, sluice_layer_param* out) {
    *count = declared.size();
    for (size_t i = 0; i < std::min(capacity, declared.size()); ++i) {
      out[i].name = declared[i].name.c_str();
      put_shape(declared[i].shape, std::string(what) + " '" + declared[i].name + "'", &out[i].ndim,
                out[i].shape);
    }
  }
  // The zeroed values the engine allocated for `declared`, as views; an error when their number
  // is not what the layer declared.
  static std::vector<FloatView> values_of(const std::vector<LayerParameter>& declared,
                                          const char* callback, size_t count,
                                          const sluice_layer_param* values) {
    if (count != declared.size()) {
      throw Error(Status::Internal(std::string(callback) + ": expected " +
                                   std::to_string(declared.size()) + " tensors, found " +
                                   std::to_string(count)));
    }
    std::vector<FloatView> views;
    for (size_t i = 0; i < count; ++i) {
      views.emplace_back(values[i].ndim, values[i].shape, values[i].value);
    }
    return views;
  }
  static sluice_status parameters(void* inst, size_t capacity, size_t* count,
                                  sluice_layer_param* params) {
    return guarded([&] {
      describe(static_cast<LayerBox*>(inst)->params, "parameter", capacity, count, params);
      return Status();
    });
  }
  static sluice_status init_parameters(void* inst, size_t count, const sluice_layer_param* params) {
    return guarded([&] {
      auto* box = static_cast<LayerBox*>(inst);
      return box->layer->init_parameters(values_of(box->params, "init_parameters", count, params));
    });
  }
  static sluice_status buffers(void* inst, size_t capacity, size_t* count,
                               sluice_layer_param* buffers) {
    return guarded([&] {
      describe(static_cast<LayerBox*>(inst)->buffers, "buffer", capacity, count, buffers);
      return Status();
    });
  }
  static sluice_status init_buffers(void* inst, size_t count, const sluice_layer_param* buffers) {
    return guarded([&] {
      auto* box = static_cast<LayerBox*>(inst);
      return box->layer->init_buffers(values_of(box->buffers, "init_buffers", count, buffers));
    });
  }
  static sluice_status saved_shapes(void* inst, int32_t in_ndim, const int64_t* in_shape,
                                    size_t capacity, size_t* count, sluice_tensor_info* saved) {
    return guarded([&] {
      std::vector<Shape> shapes = layer(inst).saved_shapes(shape_of(in_ndim, in_shape));
      *count = shapes.size();
      for (size_t i = 0; i < std::min(capacity, shapes.size()); ++i) {
        put_shape(shapes[i], "saved buffer " + std::to_string(i), &saved[i].ndim, saved[i].shape);
      }
      return Status();
    });
  }
  // T's forward, or forward_cuda when kCuda, behind the C signature.
  template <bool kCuda>
  static sluice_status forward(void* inst, const sluice_layer_pass* pass,
                               const sluice_tensor_info* in, sluice_tensor_info* out) {
    return guarded([&] {
      const T& l = static_cast<const T&>(layer(inst));
      FloatView y(*out);
      if constexpr (kCuda) {
        return l.forward_cuda(LayerPass(pass), FloatView(*in), y);
      } else {
        return l.forward(LayerPass(pass), FloatView(*in), y);
      }
    });
  }
  // T's backward, or backward_cuda when kCuda.
  template <bool kCuda>
  static sluice_status backward(void* inst, const sluice_layer_pass* pass,
                                const sluice_tensor_info* in, const sluice_tensor_info* out,
                                const sluice_tensor_info* dout, sluice_tensor_info* din) {
    return guarded([&] {
      const T& l = static_cast<const T&>(layer(inst));
      FloatView dx = din != nullptr ? FloatView(*din) : FloatView(0, nullptr, nullptr);
      FloatView* dx_or_null = din != nullptr ? &dx : nullptr;
      if constexpr (kCuda) {
        return l.backward_cuda(LayerPass(pass), FloatView(*in), FloatView(*out), FloatView(*dout),
                               dx_or_null);
      } else {
        return l.backward(LayerPass(pass), FloatView(*in), FloatView(*out), FloatView(*dout),
                          dx_or_null);
      }
    });
  }
};

}  // namespace detail

// Collects a plugin's ops, resources and layer types and builds its C descriptor.
class PluginBuilder {
 public:
  PluginBuilder(std::string name, std::string version, std::string doc)
      : name_(std::move(name)), version_(std::move(version)), doc_(std::move(doc)) {}

  template <class T>
  void op() {
    static_assert(std::is_base_of_v<Op, T>, "an op derives from sluice::Op");
    auto entry = std::make_unique<OpEntry>(OpEntry{T::schema(), {}});
    sluice_op_def& d = entry->def;
    d.struct_size = sizeof(d);
    entry->schema.fill(&d);
    using Tr = detail::OpTrampolines<T>;
    if constexpr (detail::HasCheck<T>::value) d.check = &Tr::check;
    if constexpr (detail::HasInferFields<T>::value) d.infer_fields = &Tr::infer_fields;
    d.create = &Tr::create;
    d.finish = &Tr::finish;
    d.destroy = &Tr::destroy;
    if constexpr (std::is_base_of_v<Source, T>) {
      d.produce = &Tr::produce;
      d.size_hint = &Tr::size_hint;
    } else {
      d.process = &Tr::process;
    }
    ops_.push_back(std::move(entry));
  }

  template <class T>
  void resource() {
    static_assert(std::is_base_of_v<Resource, T>, "a resource derives from sluice::Resource");
    auto entry = std::make_unique<ResourceEntry>(ResourceEntry{T::schema(), {}});
    sluice_resource_def& d = entry->def;
    d.struct_size = sizeof(d);
    entry->schema.fill(&d);
    using Tr = detail::ResourceTrampolines<T>;
    if constexpr (detail::HasCheck<T>::value) d.check = &Tr::check;
    d.create = &Tr::create;
    d.destroy = &Tr::destroy;
    resources_.push_back(std::move(entry));
  }

  template <class T>
  void layer() {
    static_assert(std::is_base_of_v<Layer, T>, "a layer type derives from sluice::Layer");
    auto entry = std::make_unique<LayerEntry>(LayerEntry{T::schema(), {}});
    sluice_layer_def& d = entry->def;
    d.struct_size = sizeof(d);
    entry->schema.fill(&d);
    using Tr = detail::LayerTrampolines<T>;
    d.create = &Tr::create;
    d.destroy = &Tr::destroy;
    d.output_shape = &Tr::output_shape;
    d.parameters = &Tr::parameters;
    d.init_parameters = &Tr::init_parameters;
    d.buffers = &Tr::buffers;
    d.init_buffers = &Tr::init_buffers;
    d.saved_shapes = &Tr::saved_shapes;
    d.forward = &Tr::template forward<false>;
    d.backward = &Tr::template backward<false>;
    if constexpr (detail::HasCudaPass<T>::value) {
      d.forward_cuda = &Tr::template forward<true>;
      d.backward_cuda = &Tr::template backward<true>;
    }
    layers_.push_back(std::move(entry));
  }

  const sluice_plugin* descriptor() {
    op_ptrs_.clear();
    for (auto& e : ops_) op_ptrs_.push_back(&e->def);
    resource_ptrs_.clear();
    for (auto& e : resources_) resource_ptrs_.push_back(&e->def);
    desc_.struct_size = sizeof(desc_);
    desc_.abi_major = SLUICE_ABI_MAJOR;
    desc_.abi_minor = SLUICE_ABI_MINOR;
    desc_.name = name_.c_str();
    desc_.version = version_.c_str();
    desc_.doc = doc_.c_str();
    desc_.op_count = op_ptrs_.size();
    desc_.ops = op_ptrs_.data();
    desc_.resource_count = resource_ptrs_.size();
    desc_.resources = resource_ptrs_.data();
    layer_ptrs_.clear();
    for (auto& e : layers_) layer_ptrs_.push_back(&e->def);
    desc_.layer_count = layer_ptrs_.size();
    desc_.layers = layer_ptrs_.data();
    return &desc_;
  }

 private:
  struct OpEntry {
    OpSchema schema;
    sluice_op_def def;
  };
  struct ResourceEntry {
    ResourceSchema schema;
    sluice_resource_def def;
  };
  struct LayerEntry {
    LayerSchema schema;
    sluice_layer_def def;
  };
  std::string name_, version_, doc_;
  std::vector<std::unique_ptr<OpEntry>> ops_;
  std::vector<std::unique_ptr<ResourceEntry>> resources_;
  std::vector<std::unique_ptr<LayerEntry>> layers_;
  std::vector<const sluice_op_def*> op_ptrs_;
  std::vector<const sluice_resource_def*> resource_ptrs_;
  std::vector<const sluice_layer_def*> layer_ptrs_;
  sluice_plugin desc_{};
};

namespace detail {
// Builds a plugin's builder once; NULL when registration threw.
inline PluginBuilder* build_plugin(const sluice_host* host, const char* name, const char* version,
                                   const char* doc, void (*register_fn)(PluginBuilder&)) {
  try {
    host_slot() = host;
    auto b = std::make_unique<PluginBuilder>(name, version, doc);
    register_fn(*b);
    b->descriptor();
    return b.release();  // owned by the entry point's static
  } catch (...) {
    return nullptr;
  }
}
}  // namespace detail
}  // namespace sluice

// The builder lives in a function-local static of the (non-inline) entry point, so each plugin
// library has its own even when loaded beside others built from the same SDK, and it is freed when
// the library is unloaded.
#define SLUICE_PLUGIN(NAME, VERSION, DOC)                                                      \
  static void sluice_register_plugin_(::sluice::PluginBuilder& plugin);                        \
  extern "C" SLUICE_EXPORT const sluice_plugin* sluice_plugin_entry(const sluice_host* host) { \
    static const ::std::unique_ptr<::sluice::PluginBuilder> builder(                           \
        ::sluice::detail::build_plugin(host, NAME, VERSION, DOC, &sluice_register_plugin_));   \
    ::sluice::detail::host_slot() = host;                                                      \
    return builder ? builder->descriptor() : nullptr;                                          \
  }                                                                                            \
  static void sluice_register_plugin_(::sluice::PluginBuilder& plugin)

#endif  // SLUICE_PLUGIN_HPP_
