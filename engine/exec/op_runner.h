// Runs one op on records outside any pipeline: the testing helper for op authors (and sluice's
// own plugin tests), in the spirit of MediaPipe's CalculatorRunner.
//
//   OpRunner run(registry, "text.split_words", "{lowercase: true}");
//   auto out = run.process_all(records);   // open, process each, close
//
// Records are JSON lines in the `sluice apply` encoding (see plugins/common/json_record.h), so tests
// read like the shell. Params are checked and defaulted exactly as in a pipeline. Stateless ops
// are called from one thread. Not thread-safe.
#pragma once

#include "engine/plugin/registry.h"
#include "engine/runtime/resources.h"

#include <sluice/status.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice {

struct OpRunResult {
  std::vector<std::string> outputs;    // JSON lines, in emission order
  std::vector<std::string> rejected;   // "<input index>: <reason>" per rejected record (for a
                                       // source: the number of records it had emitted before)
  Status error;                        // a create/finish failure, or the first error under fail
};

class OpRunner {
 public:
  // `params_yaml` is a YAML map ("{}" for none). Errors (unknown op, bad params) surface in
  // status() and in every result.
  OpRunner(const Registry& registry, const std::string& op, const std::string& params_yaml);
  ~OpRunner();
  const Status& status() const { return status_; }
  // Declares a resource the op's params may name (e.g. a vocabulary).
  Status add_resource(const std::string& name, const std::string& type,
                      const std::string& params_yaml);
  // Seed for node and record seeds (default 0).
  void set_seed(uint64_t seed) { seed_ = seed; }
  void set_run_dir(std::string dir) { run_dir_ = std::move(dir); }
  // Runs create, process (or produce until done, for sources), finish, destroy. Bad records are
  // rejected (the `on_error: skip` behaviour) and listed.
  OpRunResult process_all(const std::vector<std::string>& input_json_lines);

 private:
  const Registry& registry_;
  std::string op_;
  std::string params_yaml_;
  Status status_;
  uint64_t seed_ = 0;
  std::string run_dir_;
  std::unique_ptr<ResourceTable> resources_;
};

}  // namespace sluice
