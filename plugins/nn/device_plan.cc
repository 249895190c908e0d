#include "nn/device_plan.h"

#include <algorithm>
#include <map>

namespace sluice::nn {
namespace {

// The model's parameters by state_dict name, for a layer's "<prefix><name>".
class ParamIndex {
 public:
  explicit ParamIndex(const Model& model) {
    const auto& params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) index_[params[i].first] = i;
    for (const auto& [name, p] : params) {
      names_.push_back(name);
      shapes_.push_back(&p->shape);
    }
    for (const StateTensor& t : model.state_dict()) {
      if (index_.count(t.name) == 0) buffers_.push_back(t.name);
    }
  }
  // The indices of the parameters whose names start with `prefix`, in the model's order.
  std::vector<size_t> under(const std::string& prefix) const {
    std::vector<size_t> out;
    for (const auto& [name, i] : index_) {
      if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(i);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Parameter i's state_dict name.
  const std::string& name(size_t i) const { return names_[i]; }
  // The buffers (state_dict tensors that are not parameters) whose names start with `prefix`,
  // in the model's order.
  std::vector<std::string> buffers_under(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& name : buffers_) {
      if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(name);
    }
    return out;
  }
  bool has(const std::string& name) const { return index_.count(name) != 0; }
  size_t at(const std::string& name) const { return index_.at(name); }
  const std::vector<int64_t>& shape(size_t i) const { return *shapes_[i]; }

 private:
  std::map<std::string, size_t> index_;
  std::vector<std::string> names_;
  std::vector<const std::vector<int64_t>*> shapes_;
  std::vector<std::string> buffers_;
};

std::string type_list() {
  std::string list;
  for (const auto& t : device_layer_types()) list += (list.empty() ? "" : ", ") + t;
  return list;
}

int64_t arg(const LayerSpec& s, const char* name, double fallback) {
  auto it = s.args.find(name);
  return static_cast<int64_t>(it == s.args.end() ? fallback : it->second);
}

Expected<std::vector<DeviceLayer>> plan_sequence(const std::vector<LayerSpec>& specs,
                                                 const std::string& prefix,
                                                 const std::string& where,
                                                 const ParamIndex& index) {
  std::vector<DeviceLayer> plan;
  for (size_t i = 0; i < specs.size(); ++i) {
    const LayerSpec& s = specs[i];
    const std::string name = prefix + std::to_string(i) + ".";
    const std::string at = where + std::to_string(i) + " (" + s.type + ")";
    DeviceLayer l{};
    l.type = s.type;
    auto param = [&](const std::string& n) {
      l.params.push_back(index.at(name + n));
      return l.params.back();
    };
    if (s.type == "linear") {
      l.op = DeviceOp::kLinear;
      const std::vector<int64_t>& w = index.shape(param("weight"));
      l.out = w[0];
      l.in = w[1];
      l.bias = index.has(name + "bias");
      if (l.bias) param("bias");
    } else if (s.type == "embedding") {
      l.op = DeviceOp::kEmbedding;
      const std::vector<int64_t>& w = index.shape(param("weight"));
      l.count = w[0];
      l.dim = w[1];
    } else if (s.type == "token_position_embedding") {
      l.op = DeviceOp::kTokenPositionEmbedding;
      const std::vector<int64_t>& wte = index.shape(param("wte.weight"));
      l.block_size = index.shape(param("wpe.weight"))[0];
      l.count = wte[0];
      l.dim = wte[1];
    } else if (s.type == "layer_norm") {
      l.op = DeviceOp::kLayerNorm;
      l.dim = index.shape(param("weight"))[0];
      param("bias");
    } else if (s.type == "gelu" || s.type == "relu" || s.type == "tanh") {
      l.op = s.type == "gelu" ? DeviceOp::kGelu
                              : (s.type == "relu" ? DeviceOp::kRelu : DeviceOp::kTanh);
    } else if (s.type == "dropout") {
      l.op = DeviceOp::kDropout;
      auto it = s.args.find("p");
      l.p = it == s.args.end() ? 0.5 : it->second;
    } else if (s.type == "masked_mean") {
      l.op = DeviceOp::kMaskedMean;
    } else if (s.type == "causal_self_attention" || s.type == "transformer_block") {
      const bool block = s.type == "transformer_block";
      l.op = block ? DeviceOp::kBlock : DeviceOp::kAttention;
      l.dim = arg(s, "dim", 0);
      l.heads = arg(s, "heads", 1);
      const std::string attn = block ? "attn." : "";
      if (block) {
        param("ln_1.weight");
        param("ln_1.bias");
      }
      for (const char* n : {"c_attn.weight", "c_attn.bias", "c_proj.weight", "c_proj.bias"}) {
        param(attn + n);
      }
      if (block) {
        for (const char* n : {"ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
                              "mlp.c_proj.weight", "mlp.c_proj.bias"}) {
          param(n);
        }
        l.hidden = index.shape(index.at(name + "mlp.c_fc.weight"))[0];
      }
    } else if (s.type == "conv2d") {
      l.op = DeviceOp::kConv2d;
      const std::vector<int64_t>& w = index.shape(param("weight"));
      l.out = w[0];
      l.in = w[1];
      l.kernel = w[2];
      l.stride = arg(s, "stride", 1);
      l.padding = arg(s, "padding", 0);
      l.bias = index.has(name + "bias");
      if (l.bias) param("bias");
    } else if (s.type == "max_pool2d" || s.type == "avg_pool2d") {
      l.op = s.type == "max_pool2d" ? DeviceOp::kMaxPool2d : DeviceOp::kAvgPool2d;
      l.kernel = arg(s, "kernel_size", 1);
      l.stride = arg(s, "stride", static_cast<double>(l.kernel));
    } else if (s.type == "batch_norm") {
      l.op = DeviceOp::kBatchNorm;
      l.dim = arg(s, "num_features", 0);
      auto real = [&](const char* n, double fallback) {
        auto it = s.args.find(n);
        return it == s.args.end() ? fallback : it->second;
      };
      l.eps = real("eps", 1e-5);  // the layer's defaults (norm_layers.cc)
      l.momentum = real("momentum", 0.1);
      l.bias = index.has(name + "weight");
      if (l.bias) {
        param("weight");
        param("bias");
      }
      l.buffers = {name + "running_mean", name + "running_var", name + "num_batches_tracked"};
    } else if (s.type == "flatten") {
      l.op = DeviceOp::kFlatten;
    } else if (s.type == "residual") {
      l.op = DeviceOp::kResidual;
      Expected<std::vector<DeviceLayer>> body =
          plan_sequence(s.lists.at("body"), name + "body.", at + ": body layer ", index);
      if (!body.ok()) return body.status();
      l.body = std::move(*body);
    } else if (s.plugin) {
      Expected<std::shared_ptr<PluginLayerInstance>> inst = PluginLayerInstance::create(s, 0);
      if (!inst.ok()) return Status(inst.status().code(), at + ": " + inst.status().message());
      if (!(*inst)->has_cuda()) {
        return Status::Invalid(at + ": expected a layer type with a CUDA path (forward_cuda and " +
                               "backward_cuda), found one its plugin runs on the CPU only; use " +
                               "device: cpu");
      }
      l.op = DeviceOp::kPlugin;
      l.buffers = index.buffers_under(name);
      l.params = index.under(name);
      for (size_t i : l.params) l.param_names.push_back(index.name(i).substr(name.size()));
      for (const std::string& b : l.buffers) l.buffer_names.push_back(b.substr(name.size()));
      l.plugin = std::move(*inst);
    } else {
      return Status::Invalid(at + ": expected a layer type the CUDA device runs (" + type_list() +
                             " or a plugin's layer type with a CUDA path), found " + s.type +
                             "; use device: cpu");
    }
    plan.push_back(std::move(l));
  }
  return plan;
}

}  // namespace

const std::vector<std::string>& device_layer_types() {
  static const std::vector<std::string> types{"linear",
                                              "embedding",
                                              "token_position_embedding",
                                              "layer_norm",
                                              "gelu",
                                              "relu",
                                              "tanh",
                                              "dropout",
                                              "masked_mean",
                                              "causal_self_attention",
                                              "transformer_block",
                                              "residual",
                                              "conv2d",
                                              "max_pool2d",
                                              "avg_pool2d",
                                              "flatten",
                                              "batch_norm"};
  return types;
}

Expected<std::vector<DeviceLayer>> plan_device_layers(const std::vector<LayerSpec>& specs,
                                                      const Model& model) {
  return plan_sequence(specs, "", "layer ", ParamIndex(model));
}

Expected<std::vector<int64_t>> device_output_shape(const DeviceLayer& l,
                                                   const std::vector<int64_t>& in) {
  switch (l.op) {
    case DeviceOp::kLinear: {
      std::vector<int64_t> out = in;
      out.back() = l.out;
      return out;
    }
    case DeviceOp::kEmbedding:
    case DeviceOp::kTokenPositionEmbedding:
      return std::vector<int64_t>{in[0], in[1], l.dim};
    case DeviceOp::kMaskedMean:
      return std::vector<int64_t>{in[0], in[2]};
    case DeviceOp::kConv2d:
      return std::vector<int64_t>{in[0], l.out, (in[2] + 2 * l.padding - l.kernel) / l.stride + 1,
                                  (in[3] + 2 * l.padding - l.kernel) / l.stride + 1};
    case DeviceOp::kMaxPool2d:
    case DeviceOp::kAvgPool2d:
      return std::vector<int64_t>{in[0], in[1], (in[2] - l.kernel) / l.stride + 1,
                                  (in[3] - l.kernel) / l.stride + 1};
    case DeviceOp::kFlatten:
      return std::vector<int64_t>{in[0], numel(std::vector<int64_t>(in.begin() + 1, in.end()))};
    case DeviceOp::kPlugin:
      return l.plugin->output_shape(in);
    default:
      return in;
  }
}

}  // namespace sluice::nn
