// Engine side of sluice_node_context: what one node of one run sees. Made by the executor for a
// run, and by the validator (with no resources, metrics or run directory) for load-time calls
// such as infer_fields. Everything it points to outlives it.
#pragma once

#include <sluice/plugin.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sluice {

class ResourceTable;

// Metrics emitted by evaluator ops, keyed "<node id>.<name>". Thread-safe.
class MetricSink {
 public:
  void set(const std::string& key, double value);
  std::map<std::string, double> snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, double> values_;
};

}  // namespace sluice

struct sluice_node_context_s {
  std::string node_id;
  std::string op_name;
  std::unordered_map<std::string, sluice_field> port_fields;  // rebound ports only
  uint64_t seed = 0;
  int32_t threads = 1;
  std::string run_dir;                           // absolute; empty at load time
  const sluice::ResourceTable* resources = nullptr;  // null at load time
  sluice::MetricSink* metrics = nullptr;         // null at load time
  const std::atomic<bool>* cancelled = nullptr;  // null at load time
  int64_t reject_position = 0;  // set by a source before BAD_RECORD; 0: none
  bool resuming = false;        // the run continues an earlier one (sluice run --resume)

  // The position a source gave its last rejection (or `fallback`), cleared for the next one.
  int64_t take_reject_position(int64_t fallback);

  // The field `port` is bound to.
  sluice_field port_field(const char* port) const;
  // `path` resolved against run_dir; the string lives as long as this context.
  const char* output_path(const char* path);

 private:
  std::mutex paths_mu_;
  std::deque<std::string> paths_;
};
