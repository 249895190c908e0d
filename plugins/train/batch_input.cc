#include "train/batch_input.h"

#include "nn/kernels/loss.h"

#include <limits>
#include <mutex>

namespace sluice::train {
Expected<nn::ModelInput> model_input(const Tensor& tensor, const nn::Model& model,
                                     std::vector<int32_t>& ids) {
  if (!tensor.on_cpu()) {
    return Status::BadRecord("input: expected a CPU tensor, found one on a device");
  }
  nn::ModelInput in;
  in.shape = tensor.shape();
  if (!model.takes_ids()) {
    if (tensor.dtype() != SLUICE_DTYPE_FLOAT32) {
      return Status::BadRecord("input: expected float32 features, found " +
                               std::string(dtype_name(tensor.dtype())));
    }
    in.features = tensor.data_as<float>();
    return in;
  }
  if (tensor.dtype() == SLUICE_DTYPE_INT32) {
    in.ids = tensor.data_as<int32_t>();
    return in;
  }
  if (tensor.dtype() != SLUICE_DTYPE_INT64) {
    return Status::BadRecord("input: expected int32 or int64 ids, found " +
                             std::string(dtype_name(tensor.dtype())));
  }
  const int64_t* wide = tensor.data_as<int64_t>();
  ids.resize(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (wide[i] < 0 || wide[i] > std::numeric_limits<int32_t>::max()) {
      return Status::BadRecord("input: expected ids in int32 range, found " +
                               std::to_string(wide[i]));
    }
    ids[i] = static_cast<int32_t>(wide[i]);
  }
  in.ids = ids.data();
  return in;
}

Status run_inference(nn::ModelResource& model, const Tensor& input, uint64_t seed,
                     nn::Workspace& ws) {
  std::vector<int32_t> ids;
  std::shared_lock<std::shared_mutex> lock(model.mutex());
  Expected<nn::ModelInput> in = model_input(input, model.model(), ids);
  if (!in.ok()) return in.status();
  if (nn::DeviceModel* device = model.device_model()) {
    // The output is the pass's only activation, where ws.output() finds it. A CUDA error is the
    // run's, not the record's.
    ws.pass.acts.resize(1);
    Status s = device->infer(*in, ws.pass.acts[0]);
    return s.code() == SLUICE_INVALID_ARGUMENT ? Status::BadRecord(s.message()) : s;
  }
  Status s = model.model().forward(*in, false, seed, ws);
  return s.ok() ? s : Status::BadRecord(s.message());
}

Expected<std::vector<int64_t>> class_labels(const Tensor& tensor,
                                            const std::vector<int64_t>& shape) {
  if (!tensor.on_cpu() || tensor.shape() != shape ||
      (tensor.dtype() != SLUICE_DTYPE_INT64 && tensor.dtype() != SLUICE_DTYPE_INT32)) {
    return Status::BadRecord("label: expected an int64 or int32 CPU tensor of shape " +
                             nn::shape_text(shape) + ", found " +
                             std::string(dtype_name(tensor.dtype())) + " " +
                             nn::shape_text(tensor.shape()));
  }
  const int64_t rows = tensor.numel();
  std::vector<int64_t> labels(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    labels[i] = tensor.dtype() == SLUICE_DTYPE_INT64 ? tensor.data_as<int64_t>()[i]
                                                     : tensor.data_as<int32_t>()[i];
  }
  return labels;
}

Expected<const float*> regression_targets(const Tensor& tensor, int64_t count) {
  if (!tensor.on_cpu() || tensor.dtype() != SLUICE_DTYPE_FLOAT32 || tensor.numel() != count) {
    return Status::BadRecord("label: expected a float32 CPU tensor of " + std::to_string(count) +
                             " values (the model's output), found " +
                             std::string(dtype_name(tensor.dtype())) + " " +
                             nn::shape_text(tensor.shape()));
  }
  return static_cast<const float*>(tensor.data_as<float>());
}

OpSchema& with_loss_params(OpSchema& schema) {
  return schema
      .param(ParamSpec::String("loss", "Loss")
                 .default_value("cross_entropy")
                 .choices({"cross_entropy", "mse"}))
      .param(ParamSpec::Int("ignore_index", "cross_entropy: label left out of the loss")
                 .default_value(-100));
}

LossKind loss_kind(const Params& params) {
  return {params.get<std::string>("loss") == "mse", params.get<int64_t>("ignore_index")};
}

Expected<std::vector<int64_t>> class_targets(const LossKind& kind, const Tensor& label,
                                             const std::vector<int64_t>& out_shape) {
  if (out_shape.size() < 2) {
    return Status::BadRecord("cross_entropy: expected model output (batch, ..., classes), found " +
                             nn::shape_text(out_shape));
  }
  const int64_t classes = out_shape.back();
  Expected<std::vector<int64_t>> labels =
      class_labels(label, std::vector<int64_t>(out_shape.begin(), out_shape.end() - 1));
  if (!labels.ok()) return labels.status();
  for (int64_t l : *labels) {
    if (l != kind.ignore_index && (l < 0 || l >= classes)) {
      return Status::BadRecord("label: expected class ids in [0, " + std::to_string(classes) +
                               ") or ignore_index " + std::to_string(kind.ignore_index) +
                               ", found " + std::to_string(l));
    }
  }
  return labels;
}

int64_t counted_targets(const std::vector<int64_t>& labels, int64_t ignore_index) {
  int64_t count = 0;
  for (int64_t l : labels) count += l != ignore_index;
  return count;
}

Expected<BatchLoss> batch_loss(const LossKind& kind, const Tensor& label, const nn::Buffer& out,
                               float* dout) {
  const auto n = static_cast<int64_t>(out.values.size());
  if (kind.mse) {
    Expected<const float*> target = regression_targets(label, n);
    if (!target.ok()) return target.status();
    return BatchLoss{nn::mse(out.values.data(), *target, n, dout), n};
  }
  Expected<std::vector<int64_t>> labels = class_targets(kind, label, out.shape);
  if (!labels.ok()) return labels.status();
  const int64_t classes = out.shape.back();
  const auto rows = static_cast<int64_t>(labels->size());
  return BatchLoss{
      nn::cross_entropy(out.values.data(), labels->data(), rows, classes, kind.ignore_index, dout),
      counted_targets(*labels, kind.ignore_index)};
}

}  // namespace sluice::train
