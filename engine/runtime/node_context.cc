#include "engine/runtime/node_context.h"

#include "engine/runtime/fields.h"

#include <filesystem>

namespace sluice {

void MetricSink::set(const std::string& key, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[key] = value;
}

std::map<std::string, double> MetricSink::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return values_;
}

}  // namespace sluice

sluice_field sluice_node_context_s::port_field(const char* port) const {
  if (port == nullptr) return 0;
  if (auto it = port_fields.find(port); it != port_fields.end()) return it->second;
  return sluice::intern_field(port);
}

const char* sluice_node_context_s::output_path(const char* path) {
  if (path == nullptr) return nullptr;
  std::filesystem::path p(path);
  std::string resolved = p.is_absolute() || run_dir.empty()
                             ? p.string()
                             : (std::filesystem::path(run_dir) / p).string();
  std::lock_guard<std::mutex> lock(paths_mu_);
  return paths_.emplace_back(std::move(resolved)).c_str();
}

int64_t sluice_node_context_s::take_reject_position(int64_t fallback) {
  int64_t position = reject_position != 0 ? reject_position : fallback;
  reject_position = 0;
  return position;
}
