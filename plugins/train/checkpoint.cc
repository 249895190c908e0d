#include "train/checkpoint.h"

#include "io/output_file.h"
#include "io/safetensors.h"

#include <sluice/record.hpp>

#include <filesystem>

namespace fs = std::filesystem;

namespace sluice::train {
namespace {

constexpr const char* kPrefix = "step-";
constexpr const char* kSuffix = ".safetensors";
constexpr const char* kProgress = "trainer.progress";  // float64 [steps, batches, samples, loss]

std::string_view bytes_of(const std::vector<float>& v) {
  return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)};
}

// The steps in a checkpoint file name, or -1 for another file.
int64_t steps_of(const std::string& name) {
  const size_t prefix = std::strlen(kPrefix), suffix = std::strlen(kSuffix);
  if (name.size() <= prefix + suffix || name.rfind(kPrefix, 0) != 0 ||
      name.compare(name.size() - suffix, suffix, kSuffix) != 0) {
    return -1;
  }
  const std::string digits = name.substr(prefix, name.size() - prefix - suffix);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits);
}

}  // namespace

Status write_checkpoint(const std::string& dir, const nn::Model& model, nn::Optimizer& optimizer,
                        const TrainerProgress& progress) {
  const double counters[4] = {static_cast<double>(optimizer.steps()),
                              static_cast<double>(progress.batches),
                              static_cast<double>(progress.samples), progress.loss_sum};
  std::vector<io::SafetensorsTensor> tensors;
  tensors.push_back(
      {kProgress,
       SLUICE_DTYPE_FLOAT64,
       {4},
       {std::string_view(reinterpret_cast<const char*>(counters), sizeof(counters))}});
  const std::vector<nn::StateTensor> state = model.state_dict();
  for (const nn::StateTensor& t : state) {
    tensors.push_back({"model." + t.name,
                       t.dtype,
                       t.shape,
                       {std::string_view(static_cast<const char*>(t.data), t.bytes)}});
  }
  for (const auto& [name, buffer] : optimizer.state()) {
    tensors.push_back({"optimizer." + name,
                       SLUICE_DTYPE_FLOAT32,
                       {static_cast<int64_t>(buffer->size())},
                       {bytes_of(*buffer)}});
  }
  const std::string path = dir + "/" + kPrefix + std::to_string(optimizer.steps()) + kSuffix;
  const std::string partial = path + ".partial";
  io::OutputFile file;
  SLUICE_RETURN_IF_ERROR(file.open(partial));
  SLUICE_RETURN_IF_ERROR(io::write_safetensors(file, tensors, {}));
  SLUICE_RETURN_IF_ERROR(file.close());
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec)
    return Status::IoError("'" + path + "': expected to write the checkpoint, " + ec.message());
  return {};
}

std::string latest_checkpoint(const std::string& dir) {
  std::error_code ec;
  int64_t best = -1;
  std::string path;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const int64_t steps = steps_of(entry.path().filename().string());
    if (steps > best) {
      best = steps;
      path = entry.path().string();
    }
  }
  return path;
}

Status read_checkpoint(const std::string& path, nn::Model& model, nn::Optimizer& optimizer,
                       TrainerProgress* progress) {
  Expected<io::SafetensorsFile> file = io::open_safetensors(path);
  if (!file.ok()) return file.status();
  auto take = [&](const std::string& name, sluice_dtype dtype, size_t bytes, void* out) -> Status {
    const io::SafetensorsEntry* e = file->find(name);
    if (e == nullptr || e->dtype != dtype || e->bytes != bytes) {
      return Status::Invalid(
          "'" + path + "': expected tensor '" + name + "' of " + std::to_string(bytes) +
          " bytes (" + dtype_name(dtype) + "), as this trainer's model and optimizer have, found " +
          (e == nullptr ? std::string("none")
                        : std::to_string(e->bytes) + " bytes of " + dtype_name(e->dtype)));
    }
    return file->read(*e, out);
  };
  double counters[4];
  SLUICE_RETURN_IF_ERROR(take(kProgress, SLUICE_DTYPE_FLOAT64, sizeof(counters), counters));
  for (const nn::StateTensor& t : model.state_dict()) {
    SLUICE_RETURN_IF_ERROR(take("model." + t.name, t.dtype, t.bytes, t.data));
  }
  for (const auto& [name, buffer] : optimizer.state()) {
    SLUICE_RETURN_IF_ERROR(take("optimizer." + name, SLUICE_DTYPE_FLOAT32,
                                buffer->size() * sizeof(float), buffer->data()));
  }
  optimizer.restore_steps(static_cast<int64_t>(counters[0]));
  progress->batches = static_cast<int64_t>(counters[1]);
  progress->samples = static_cast<int64_t>(counters[2]);
  progress->loss_sum = counters[3];
  return {};
}

}  // namespace sluice::train
