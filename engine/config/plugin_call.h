// Calling a plugin's load-time callbacks (check, infer_fields). Internal to engine/config.
#pragma once

#include "engine/runtime/host.h"

#include <sluice/status.hpp>

#include <exception>
#include <string>

namespace sluice {

// Runs `f`, a plugin callback returning a C status, and takes that status. An exception escaping
// the callback (which the ABI forbids and the C++ SDK prevents) becomes an INTERNAL status.
template <class F>
Status call_plugin(F&& f) {
  try {
    return take_status(f());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("a plugin callback threw an exception across the C ABI: ") +
                            e.what());
  } catch (...) {
    return Status::Internal("a plugin callback threw an exception across the C ABI");
  }
}

}  // namespace sluice
