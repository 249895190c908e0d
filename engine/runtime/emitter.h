// Engine side of sluice_emitter: whoever calls an op's process/produce/finish (the executor, the
// op runner) passes an emitter that decides where emitted records go.
#pragma once

#include <sluice/plugin.h>

struct sluice_emitter_s {
  // Takes ownership of `record` (also on error). Called from the thread running the op.
  virtual sluice_status accept(sluice_record* record) = 0;

 protected:
  ~sluice_emitter_s() = default;
};
