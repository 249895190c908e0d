#include "nn/model_resource.h"

#include "nn/device_plan.h"
#include "nn/plugin_layer.h"

#include <optional>

namespace sluice::nn {
namespace {

std::string layer_list() {
  std::string list;
  for (const auto& t : layer_types()) list += (list.empty() ? "" : ", ") + t;
  return list;
}

// The model `params` describe, its parameters holding `values` (drawn from `seed`, to be loaded,
// or none: only checked).
Expected<std::unique_ptr<Model>> build_model(const Params& params,
                                             const std::vector<LayerSpec>& specs,
                                             InitialValues values) {
  Expected<std::unique_ptr<Model>> model =
      Model::build(specs, {static_cast<uint64_t>(params.get<int64_t>("seed")), values},
                   params.get<int32_t>("pad_id"));
  if (!model.ok()) return Status::Invalid("param 'layers': " + model.status().message());
  return model;
}

// Where the model `params` describe runs: nullopt for the CPU (device: cpu, or auto without a
// usable device or with a layer the CUDA path does not run), else the CUDA path's plan of its
// layers. Errors for device: cuda without a usable device or with such a layer.
Expected<std::optional<std::vector<DeviceLayer>>> device_plan(const std::string& device,
                                                              const std::vector<LayerSpec>& specs,
                                                              const Model& model) {
  if (device == "cpu") return std::optional<std::vector<DeviceLayer>>();
  if (Status s = gpu_status(); !s.ok()) {
    if (device == "auto") return std::optional<std::vector<DeviceLayer>>();
    return Status::Invalid("param 'device': expected a usable CUDA device for device: cuda, " +
                           ("found none: " + s.message()) + "; use device: cpu or auto");
  }
  Expected<std::vector<DeviceLayer>> plan = plan_device_layers(specs, model);
  if (plan.ok()) return std::optional<std::vector<DeviceLayer>>(std::move(*plan));
  if (device == "auto") return std::optional<std::vector<DeviceLayer>>();
  return Status::Invalid("param 'device': " + plan.status().message());
}

// The model `params` describe, checked as check() checks it: errors from the layer list, the
// model's construction and the `device` and `matmul` params. `plan` receives device_plan's. Its
// parameters hold `values` (check() looks at names and shapes only: kNone).
Expected<std::unique_ptr<Model>> checked_model(const Params& params, InitialValues values,
                                               std::optional<std::vector<DeviceLayer>>& plan) {
  Expected<std::vector<LayerSpec>> specs = layer_specs(params.raw("layers"));
  if (!specs.ok()) return specs.status();
  Expected<std::unique_ptr<Model>> model = build_model(params, *specs, values);
  if (!model.ok()) return model.status();
  const std::string device = params.get<std::string>("device");
  Expected<std::optional<std::vector<DeviceLayer>>> planned = device_plan(device, *specs, **model);
  if (!planned.ok()) return planned.status();
  plan = std::move(*planned);
  if (device == "cpu" && params.get<std::string>("matmul") == "bf16") {
    return Status::Invalid(
        "param 'matmul': expected float32 with device: cpu (bf16 products run on a CUDA "
        "device), found bf16; use device: cuda or auto, or matmul: float32");
  }
  return model;
}

// The error for the model `params` describe when allocating its values failed: how many there
// are, counted on the model built without values.
Status model_too_large(const Params& params) {
  std::optional<std::vector<DeviceLayer>> plan;
  Expected<std::unique_ptr<Model>> shapes = checked_model(params, InitialValues::kNone, plan);
  if (!shapes.ok()) return shapes.status();
  int64_t values = 0;
  for (const auto& [name, p] : (*shapes)->parameters()) values += numel(p->shape);
  return Status::OutOfMemory("param 'layers': expected memory for the model's " +
                             std::to_string(values) + " float32 parameter values (" +
                             std::to_string(values * 4 / (int64_t{1} << 20)) +
                             " MiB), found an allocation of them failing");
}

// checked_model's model, its parameters holding `values`, or model_too_large's error where
// allocating them fails.
Expected<std::unique_ptr<Model>> allocated_model(const Params& params, InitialValues values,
                                                 std::optional<std::vector<DeviceLayer>>& plan) {
  try {
    return checked_model(params, values, plan);
  } catch (const std::bad_alloc&) {
    return model_too_large(params);
  }
}

}  // namespace

ResourceSchema ModelResource::schema() {
  return ResourceSchema(kType)
      .doc(
          "A sequential model (PyTorch's nn.Sequential): `layers` in order, each a map with "
          "its `type` (" +
          layer_list() +
          ") and arguments: linear {in, out, bias: 1}, "
          "embedding {num_embeddings, dim} (first only: it reads int32 ids), masked_mean "
          "(mean over the positions whose id is not `pad_id`), relu, gelu, tanh, dropout {p}; "
          "for a GPT: token_position_embedding {num_embeddings, block_size, dim} (first only: "
          "token plus position embeddings, \"wte.weight\", \"wpe.weight\"), transformer_block "
          "{dim, heads, mlp_ratio: 4} (GPT-2's pre-norm block, \"ln_1\", \"attn.c_attn\", "
          "\"attn.c_proj\", \"ln_2\", \"mlp.c_fc\", \"mlp.c_proj\"), causal_self_attention "
          "{dim, heads}, layer_norm {dim}; linear applies to the last dimension of any input. "
          "For images (batch, channels, height, width): conv2d {in_channels, out_channels, "
          "kernel_size, stride: 1, padding: 0, bias: 1}, max_pool2d and avg_pool2d "
          "{kernel_size, stride: kernel_size}, flatten. batch_norm {num_features, eps: 1e-5, "
          "momentum: 0.1, affine: 1} is nn.BatchNorm1d on (batch, C) or (batch, C, length) and "
          "nn.BatchNorm2d on (batch, C, height, width): batch statistics when training (the "
          "running statistics follow them at each training step), running statistics at "
          "inference; its buffers running_mean, running_var and num_batches_tracked are saved "
          "and loaded with the weights. residual {body: [layers]} is in + body(in), the body "
          "keeping the input's shape, its names those of a module holding an nn.Sequential "
          "`body` (\"3.body.0.weight\"). A type with a plugin prefix (mylayers.swish) is a layer "
          "type another plugin provides (`sluice inspect mylayers.swish` shows its args), "
          "loaded from the plugin path when the model is built. "
          "Parameters start as PyTorch initialises them, drawn from `seed`, or are read from "
          "`weights`, a .safetensors file with the state_dict names of the same nn.Sequential "
          "(\"0.weight\", \"2.bias\", ...). train.fit trains it, train.predict runs it, "
          "train.fit's `path` saves it.")
      .param(
          ParamSpec::Any("layers", "The layers, in order: [{type: linear, in: 64, out: 2}, ...]"))
      .param(ParamSpec::Int("seed", "Seed of the initial weights").default_value(0).min(0))
      .param(ParamSpec::Int("pad_id", "Id that masked_mean leaves out")
                 .default_value(0)
                 .range(0, INT32_MAX))
      .param(
          ParamSpec::String("weights", "A .safetensors file to load the weights from").optional())
      .param(
          ParamSpec::String(
              "device",
              "Where the model runs: cpu; cuda (the first CUDA device: train.fit trains it "
              "there with either loss, any optimizer and clip_grad_norm, train.predict and "
              "train.evaluate run it there; layers linear, embedding, token_position_embedding, "
              "layer_norm, gelu, relu, tanh, dropout, masked_mean, causal_self_attention, "
              "transformer_block, residual, conv2d, max_pool2d, avg_pool2d, flatten, batch_norm "
              "and plugin layer types with a CUDA path; an error at load when the machine has no "
              "device, this build has no CUDA kernels or a layer has no CUDA path); or auto (cuda "
              "when it can run the model, else the CPU). The default is cpu until the CUDA path "
              "has been checked on a GPU.")
              .default_value("cpu")
              .choices({"cpu", "auto", "cuda"}))
      .param(ParamSpec::String(
                 "matmul",
                 "The precision of the matrix products on a CUDA device: float32, or bf16 "
                 "(operands rounded to bfloat16 on the tensor cores, sums in float32: faster, "
                 "about 3 significant digits per product). The CPU computes in float32 whatever "
                 "this says; bf16 with device: cpu is an error.")
                 .default_value("float32")
                 .choices({"float32", "bf16"}));
}

Status ModelResource::check(const Params& params) {
  std::optional<std::vector<DeviceLayer>> plan;
  return checked_model(params, InitialValues::kNone, plan).status();
}

Status ModelResource::open(const Params& params) {
  std::optional<std::vector<DeviceLayer>> plan;
  const std::optional<std::string> weights = params.get_optional<std::string>("weights");
  Expected<std::unique_ptr<Model>> model =
      allocated_model(params, weights ? InitialValues::kToLoad : InitialValues::kDrawn, plan);
  if (!model.ok()) return model.status();
  model_ = std::move(*model);
  if (weights) SLUICE_RETURN_IF_ERROR(model_->load(*weights));
  if (!plan) return {};
  const MatmulPrecision precision = params.get<std::string>("matmul") == "bf16"
                                        ? MatmulPrecision::kBf16
                                        : MatmulPrecision::kFloat32;
  Expected<std::unique_ptr<DeviceModel>> on_device =
      DeviceModel::open(*model_, std::move(*plan), precision);
  if (!on_device.ok()) return on_device.status();
  device_ = std::move(*on_device);
  return {};
}

namespace {

// The layers of `layers` (a list of maps) whose place in the file `where` names.
Expected<std::vector<LayerSpec>> parse_layers(const Param& layers, const std::string& where) {
  if (layers.kind() != SLUICE_PARAM_LIST) {
    return Status::Invalid(where + ": expected a list of layers, found another value");
  }
  std::vector<LayerSpec> specs;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Param layer = layers.at(i);
    const std::string at = where + ", element " + std::to_string(i);
    if (layer.kind() != SLUICE_PARAM_MAP || layer.get("type").kind() != SLUICE_PARAM_STRING) {
      return Status::Invalid(at + ": expected a map with a 'type' string, found another value");
    }
    LayerSpec spec;
    spec.type = layer.get("type").as<std::string>();
    if (is_plugin_layer_type(spec.type)) {
      Expected<LayerSpec> plugin = plugin_layer_spec(spec.type, layer);
      if (!plugin.ok()) {
        return Status(plugin.status().code(), at + ": " + plugin.status().message());
      }
      specs.push_back(std::move(*plugin));
      continue;
    }
    for (size_t k = 0; k < layer.size(); ++k) {
      const std::string key = layer.key_at(k);
      if (key == "type") continue;
      const Param v = layer.at(k);
      if (v.kind() == SLUICE_PARAM_BOOL) {
        spec.args[key] = v.as<bool>() ? 1.0 : 0.0;
      } else if (v.kind() == SLUICE_PARAM_INT || v.kind() == SLUICE_PARAM_FLOAT) {
        spec.args[key] = v.as<double>();
      } else if (v.kind() == SLUICE_PARAM_LIST) {
        Expected<std::vector<LayerSpec>> nested =
            parse_layers(v, at + " (" + spec.type + "), '" + key + "'");
        if (!nested.ok()) return nested.status();
        spec.lists[key] = std::move(*nested);
      } else {
        return Status::Invalid(at + " (" + spec.type + "): expected '" + key +
                               "' to be a number or a list of layers, found another value");
      }
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace

Expected<std::vector<LayerSpec>> layer_specs(const Param& layers) {
  return parse_layers(layers, "param 'layers'");
}

void add_model_resource(PluginBuilder& plugin) { plugin.resource<ModelResource>(); }

}  // namespace sluice::nn
