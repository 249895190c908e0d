#include "engine/exec/collecting_emitter.h"

#include "engine/runtime/host.h"

namespace sluice {

sluice_status CollectingEmitter::accept(sluice_record* record) {
  if (record == input_) {
    if (input_emitted_) {
      return make_c_status(Status::Invalid(
          "emit: expected each record to be emitted once, found the input record emitted twice"));
    }
    input_emitted_ = true;
  }
  out_->emplace_back(record);
  return nullptr;
}

}  // namespace sluice
