// Stacking rows of bytes into a batch, for core.batch. Pure functions.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sluice::core {

// The bytes of one element of `dtype` holding `value`; INVALID_ARGUMENT when the dtype cannot
// hold it (a fraction or an out-of-range value for an integer or bool dtype).
Expected<std::string> element_bytes(sluice_dtype dtype, double value);

// Copies item i to out + i * slot_bytes and fills the rest of its slot with copies of `fill` (one
// element). Every item is at most slot_bytes long, and slot_bytes - item size is a multiple of
// fill.size().
void stack_padded(const std::vector<std::string_view>& items, size_t slot_bytes,
                  std::string_view fill, char* out);

}  // namespace sluice::core
