// The executor's emitter: appends what an op emits during one call to a vector of records.
// Used by one thread at a time (one per task).
#pragma once

#include "engine/runtime/emitter.h"
#include "engine/runtime/record.h"

#include <vector>

namespace sluice {

class CollectingEmitter final : public sluice_emitter_s {
 public:
  explicit CollectingEmitter(std::vector<RecordPtr>* out) : out_(out) {}

  // Declares the record the next process() call receives: emitting it hands it back to the host
  // (the caller then releases its own ownership, see input_emitted()). NULL for produce/finish.
  void expect_input(sluice_record_s* input) {
    input_ = input;
    input_emitted_ = false;
  }
  bool input_emitted() const { return input_emitted_; }

  // Takes ownership of `record`; emitting the input twice is an error (nothing is appended).
  sluice_status accept(sluice_record* record) override;

 private:
  std::vector<RecordPtr>* out_;
  sluice_record_s* input_ = nullptr;
  bool input_emitted_ = false;
};

}  // namespace sluice
