#include "nn/plugin_layer.h"

#include "nn/layer_support.h"

#include <sluice/record.hpp>

#include <exception>
#include <set>
#include <utility>
#include <vector>

namespace sluice::nn {
namespace {

// A float32 CPU view of `b`.
sluice_tensor_info view(const Buffer& b) {
  return float_tensor_view(b.shape, b.values.data(), SLUICE_DEVICE_CPU);
}

// The shape a plugin wrote, or an error naming `what` when it has fewer than `min_ndim` or more
// than SLUICE_MAX_DIMS dimensions, a negative one, or more than kMaxTensorValues values.
Expected<std::vector<int64_t>> shape_from(const std::string& what, int32_t ndim,
                                          const int64_t* dims, int32_t min_ndim) {
  if (ndim < min_ndim || ndim > SLUICE_MAX_DIMS) {
    return Status::Internal(what + ": expected " + std::to_string(min_ndim) + " to " +
                            std::to_string(SLUICE_MAX_DIMS) + " dimensions, found " +
                            std::to_string(ndim));
  }
  std::vector<int64_t> shape(dims, dims + ndim);
  for (int64_t d : shape) {
    if (d < 0) {
      return Status::Internal(what + ": expected dimensions >= 0, found " + shape_text(shape));
    }
  }
  // A plugin's error: the layer it describes, not its arguments, is at fault.
  if (Status s = check_value_count(what, shape); !s.ok()) return Status::Internal(s.message());
  return shape;
}

class PluginLayer final : public Layer {
 public:
  explicit PluginLayer(std::shared_ptr<PluginLayerInstance> inst)
      : inst_(std::move(inst)), def_(&inst_->def()), instance_(inst_->instance()) {}

  // Reads the parameters and buffers the layer declares, allocates them and lets it initialise
  // them; without `allocate` (ParameterInit::allocates()), only reads them.
  Status init(bool allocate) {
    std::set<std::string> names;
    if (def_->parameters != nullptr) {
      Expected<std::vector<Declared>> declared =
          declared_tensors("parameters", def_->parameters, names);
      if (!declared.ok()) return declared.status();
      for (Declared& d : *declared) {
        names_.push_back(d.name);
        params_.push_back(make_parameter(d.name, d.shape, allocate));
      }
      if (allocate) {
        std::vector<sluice_layer_param> views = param_views();
        SLUICE_RETURN_IF_ERROR(inst_->call("init_parameters", [&] {
          return def_->init_parameters(instance_, views.size(), views.data());
        }));
      }
    }
    if (SLUICE_HAS_MEMBER(sluice_layer_def, def_, init_buffers) && def_->buffers != nullptr) {
      Expected<std::vector<Declared>> declared = declared_tensors("buffers", def_->buffers, names);
      if (!declared.ok()) return declared.status();
      for (Declared& d : *declared) {
        const size_t n = allocate ? static_cast<size_t>(numel(d.shape)) : 0;
        buffers_.push_back(OwnedBuffer{d.name, d.shape, std::vector<float>(n)});
      }
      if (allocate) {
        std::vector<sluice_layer_param> views = buffer_views();
        SLUICE_RETURN_IF_ERROR(inst_->call("init_buffers", [&] {
          return def_->init_buffers(instance_, views.size(), views.data());
        }));
      }
    }
    return {};
  }

  const char* type() const override { return def_->type; }

  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    return inst_->output_shape(in);
  }

  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    std::vector<Buffer>& saved = *ctx.saved;
    Expected<std::vector<std::vector<int64_t>>> shapes = inst_->saved_shapes(in.shape);
    if (!shapes.ok()) throw Error(shapes.status());
    saved.resize(shapes->size());
    for (size_t i = 0; i < saved.size(); ++i) saved[i].resize((*shapes)[i]);
    std::vector<sluice_layer_param> params = param_views(), buffers = buffer_views();
    std::vector<sluice_tensor_info> saved_views;
    const sluice_layer_pass pass = pass_of(ctx, params, buffers, saved, saved_views);
    const sluice_tensor_info x = view(in);
    sluice_tensor_info y = view(out);
    Status s = inst_->call("forward", [&] { return def_->forward(instance_, &pass, &x, &y); });
    if (!s.ok()) throw Error(s);
  }

  void backward(const Buffer& in, const Buffer& out, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    std::vector<sluice_layer_param> params = param_views(), buffers = buffer_views();
    std::vector<sluice_tensor_info> saved_views;
    const sluice_layer_pass pass = pass_of(ctx, params, buffers, *ctx.saved, saved_views);
    const sluice_tensor_info x = view(in), y = view(out), dy = view(dout);
    sluice_tensor_info dx{};
    if (din != nullptr) dx = view(*din);
    Status s = inst_->call("backward", [&] {
      return def_->backward(instance_, &pass, &x, &y, &dy, din != nullptr ? &dx : nullptr);
    });
    if (!s.ok()) throw Error(s);
  }

  std::vector<Parameter*> parameters() override {
    std::vector<Parameter*> out;
    for (Parameter& p : params_) out.push_back(&p);
    return out;
  }

  std::vector<StateTensor> buffers() override {
    std::vector<StateTensor> out;
    for (OwnedBuffer& b : buffers_) {
      out.push_back(StateTensor{b.name, SLUICE_DTYPE_FLOAT32, b.shape, b.values.data(),
                                b.values.size() * sizeof(float)});
    }
    return out;
  }

 private:
  // A tensor a layer declared through parameters() or buffers().
  struct Declared {
    std::string name;
    std::vector<int64_t> shape;
  };
  using DescribeFn = sluice_status (*)(void*, size_t, size_t*, sluice_layer_param*);

  // What `describe` (the layer's parameters or buffers callback, named `callback`) declares: asked
  // for the count, then for the entries; each needs a name not in `names` (the names taken so
  // far, which it joins: parameters and buffers share the state_dict) and a valid shape.
  Expected<std::vector<Declared>> declared_tensors(const char* callback, DescribeFn describe,
                                                   std::set<std::string>& names) const {
    size_t count = 0;
    SLUICE_RETURN_IF_ERROR(
        inst_->call(callback, [&] { return describe(instance_, 0, &count, nullptr); }));
    std::vector<sluice_layer_param> entries(count);
    for (sluice_layer_param& p : entries) p.struct_size = sizeof(p);
    size_t again = 0;
    SLUICE_RETURN_IF_ERROR(
        inst_->call(callback, [&] { return describe(instance_, count, &again, entries.data()); }));
    if (again != count) {
      return inst_->named(callback, Status::Internal("expected " + std::to_string(count) +
                                                     " entries, as its first answer said, found " +
                                                     std::to_string(again)));
    }
    std::vector<Declared> out;
    for (size_t i = 0; i < count; ++i) {
      const std::string at = "entry #" + std::to_string(i);
      if (entries[i].name == nullptr || *entries[i].name == '\0') {
        return inst_->named(callback, Status::Internal(at + ": expected a name, found none"));
      }
      if (!names.insert(entries[i].name).second) {
        return inst_->named(callback, Status::Internal(at + ": expected a new name, found '" +
                                                       std::string(entries[i].name) + "' again"));
      }
      Expected<std::vector<int64_t>> shape =
          shape_from(at + " '" + entries[i].name + "'", entries[i].ndim, entries[i].shape, 0);
      if (!shape.ok()) return inst_->named(callback, shape.status());
      out.push_back(Declared{entries[i].name, std::move(*shape)});
    }
    return out;
  }

  // The parameters as the C side sees them, value and grad pointing into params_.
  std::vector<sluice_layer_param> param_views() const {
    std::vector<sluice_layer_param> views;
    for (size_t i = 0; i < params_.size(); ++i) {
      const Parameter& p = params_[i];
      views.push_back(layer_param_view(names_[i], p.shape, const_cast<float*>(p.value.data()),
                                       const_cast<float*>(p.grad.data())));
    }
    return views;
  }

  // The buffers as the C side sees them, value pointing into buffers_ (grad NULL).
  std::vector<sluice_layer_param> buffer_views() const {
    std::vector<sluice_layer_param> views;
    for (const OwnedBuffer& b : buffers_) {
      views.push_back(
          layer_param_view(b.name, b.shape, const_cast<float*>(b.values.data()), nullptr));
    }
    return views;
  }

  static sluice_layer_pass pass_of(const ForwardContext& ctx,
                                   const std::vector<sluice_layer_param>& params,
                                   const std::vector<sluice_layer_param>& buffers,
                                   const std::vector<Buffer>& saved,
                                   std::vector<sluice_tensor_info>& saved_views) {
    for (const Buffer& b : saved) saved_views.push_back(view(b));
    return layer_pass_view(ctx.training, ctx.seed, params, saved_views, buffers, nullptr);
  }

  std::shared_ptr<PluginLayerInstance> inst_;
  const sluice_layer_def* def_;  // inst_'s
  void* instance_;               // inst_'s
  // A buffer of the layer (ABI 1.3), owned here.
  struct OwnedBuffer {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> values;
  };
  std::vector<Parameter> params_;
  std::vector<std::string> names_;  // the parameters' own names (a residual renames params_')
  std::vector<OwnedBuffer> buffers_;
};

// The host's layer entry points, or an error naming `type` on a host older than ABI 1.2.
Expected<const sluice_host*> layer_host(const std::string& type) {
  const sluice_host& h = host();
  if (!SLUICE_HAS_MEMBER(sluice_host, &h, param_free) || h.find_layer == nullptr ||
      h.layer_args == nullptr || h.param_free == nullptr) {
    return Status::Unsupported("layer type '" + type + "': expected an engine of ABI 1.2 or " +
                               "later, which serves plugin layer types, found ABI " +
                               std::to_string(h.abi_major) + "." + std::to_string(h.abi_minor));
  }
  return &h;
}

}  // namespace

sluice_tensor_info float_tensor_view(const std::vector<int64_t>& shape, const float* data,
                                     sluice_device_type device) {
  sluice_tensor_info t{};
  t.struct_size = sizeof(t);
  t.dtype = SLUICE_DTYPE_FLOAT32;
  t.ndim = static_cast<int32_t>(shape.size());
  std::copy(shape.begin(), shape.end(), t.shape);
  t.data = const_cast<float*>(data);
  t.nbytes = static_cast<size_t>(numel(shape)) * sizeof(float);
  t.device_type = device;
  t.device_index = 0;
  return t;
}

sluice_layer_param layer_param_view(const std::string& name, const std::vector<int64_t>& shape,
                                    float* value, float* grad) {
  sluice_layer_param v{};
  v.struct_size = sizeof(v);
  v.name = name.c_str();
  v.ndim = static_cast<int32_t>(shape.size());
  std::copy(shape.begin(), shape.end(), v.shape);
  v.value = value;
  v.grad = grad;
  return v;
}

sluice_layer_pass layer_pass_view(bool training, uint64_t seed,
                                  const std::vector<sluice_layer_param>& params,
                                  const std::vector<sluice_tensor_info>& saved,
                                  const std::vector<sluice_layer_param>& buffers, void* stream) {
  sluice_layer_pass pass{};
  pass.struct_size = sizeof(pass);
  pass.training = training ? 1 : 0;
  pass.seed = seed;
  pass.param_count = params.size();
  pass.params = params.data();
  pass.saved_count = saved.size();
  pass.saved = saved.data();
  pass.stream = stream;
  pass.buffer_count = buffers.size();
  pass.buffers = buffers.data();
  return pass;
}

bool is_plugin_layer_type(const std::string& type) { return type.find('.') != std::string::npos; }

Expected<LayerSpec> plugin_layer_spec(const std::string& type, const Param& entry) {
  Expected<const sluice_host*> h = layer_host(type);
  if (!h.ok()) return h.status();
  const sluice_host* host = *h;
  auto plugin = std::make_shared<PluginLayerType>();
  SLUICE_RETURN_IF_ERROR(from_c(host->find_layer(type.c_str(), &plugin->def)));
  sluice_param* args = nullptr;
  SLUICE_RETURN_IF_ERROR(from_c(host->layer_args(plugin->def, entry.raw(), &args)));
  plugin->args = std::shared_ptr<const sluice_param>(
      args, [host](const sluice_param* p) { host->param_free(const_cast<sluice_param*>(p)); });
  LayerSpec spec;
  spec.type = type;
  spec.plugin = std::move(plugin);
  return spec;
}

Expected<std::unique_ptr<Layer>> make_plugin_layer(const LayerSpec& spec,
                                                   const ParameterInit& init) {
  Expected<std::shared_ptr<PluginLayerInstance>> inst =
      PluginLayerInstance::create(spec, init.seed);
  if (!inst.ok()) return inst.status();
  auto layer = std::make_unique<PluginLayer>(std::move(*inst));
  SLUICE_RETURN_IF_ERROR(layer->init(init.allocates()));
  return std::unique_ptr<Layer>(std::move(layer));
}

Expected<std::shared_ptr<PluginLayerInstance>> PluginLayerInstance::create(const LayerSpec& spec,
                                                                           uint64_t seed) {
  const sluice_layer_def* def = spec.plugin->def;
  void* instance = nullptr;
  std::shared_ptr<PluginLayerInstance> unmade(new PluginLayerInstance(spec.plugin, nullptr));
  SLUICE_RETURN_IF_ERROR(unmade->call(
      "create", [&] { return def->create(&host(), spec.plugin->args.get(), seed, &instance); }));
  if (instance == nullptr) {
    return unmade->named("create",
                         Status::Internal("returned OK, expected an instance, found NULL"));
  }
  return std::shared_ptr<PluginLayerInstance>(new PluginLayerInstance(spec.plugin, instance));
}

PluginLayerInstance::~PluginLayerInstance() {
  if (instance_ == nullptr) return;
  try {
    def_->destroy(instance_);
  } catch (...) {
    // The ABI forbids it; nothing is left to report it to.
  }
}

Status PluginLayerInstance::named(const char* callback, const Status& s) const {
  if (s.ok()) return s;
  return Status(s.code(),
                "layer " + std::string(def_->type) + ": " + callback + ": " + s.message());
}

Expected<std::vector<int64_t>> PluginLayerInstance::output_shape(
    const std::vector<int64_t>& in) const {
  if (in.size() > SLUICE_MAX_DIMS) {
    return Status::Invalid("layer " + std::string(def_->type) + ": expected an input of at most " +
                           std::to_string(SLUICE_MAX_DIMS) + " dimensions, found " +
                           shape_text(in));
  }
  int32_t ndim = 0;
  int64_t dims[SLUICE_MAX_DIMS] = {};
  // The layer's own message says what it expected: "layer mylayers.swish: expected ...".
  Status s = invoke([&] {
    return def_->output_shape(instance_, static_cast<int32_t>(in.size()), in.data(), &ndim, dims);
  });
  if (!s.ok()) return Status(s.code(), "layer " + std::string(def_->type) + ": " + s.message());
  Expected<std::vector<int64_t>> out = shape_from("output_shape", ndim, dims, 1);
  if (!out.ok()) return named("output_shape", out.status());
  return out;
}

Expected<std::vector<std::vector<int64_t>>> PluginLayerInstance::saved_shapes(
    const std::vector<int64_t>& in) const {
  if (def_->saved_shapes == nullptr) return std::vector<std::vector<int64_t>>{};
  const auto ndim = static_cast<int32_t>(in.size());
  size_t count = 0;
  SLUICE_RETURN_IF_ERROR(call("saved_shapes", [&] {
    return def_->saved_shapes(instance_, ndim, in.data(), 0, &count, nullptr);
  }));
  std::vector<sluice_tensor_info> infos(count);
  for (sluice_tensor_info& t : infos) t.struct_size = sizeof(t);
  size_t again = 0;
  SLUICE_RETURN_IF_ERROR(call("saved_shapes", [&] {
    return def_->saved_shapes(instance_, ndim, in.data(), count, &again, infos.data());
  }));
  if (again != count) {
    return named("saved_shapes", Status::Internal("expected " + std::to_string(count) +
                                                  " buffers, as its first answer said, found " +
                                                  std::to_string(again)));
  }
  std::vector<std::vector<int64_t>> shapes;
  for (size_t i = 0; i < count; ++i) {
    Expected<std::vector<int64_t>> shape =
        shape_from("buffer #" + std::to_string(i), infos[i].ndim, infos[i].shape, 0);
    if (!shape.ok()) return named("saved_shapes", shape.status());
    shapes.push_back(std::move(*shape));
  }
  return shapes;
}

}  // namespace sluice::nn
