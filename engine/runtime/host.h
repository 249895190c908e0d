// The engine's implementation of the sluice_host function table, and conversions between the C
// status objects and sluice::Status.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <string>

struct sluice_status_s {
  sluice_code code;
  std::string message;
};

namespace sluice {

// The process-wide host table handed to every plugin.
const sluice_host* engine_host();

// Takes ownership of a C status and converts it.
Status take_status(sluice_status s);
// A C status owned by the caller (NULL for OK).
sluice_status make_c_status(const Status& s);

}  // namespace sluice
