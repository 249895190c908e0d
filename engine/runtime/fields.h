// Process-wide interning of field names. Thread-safe; ids are dense, start at 1, never change.
#pragma once

#include <sluice/plugin.h>

#include <string_view>

namespace sluice {

// The id of `name`; 0 for the empty name, which is not a field.
sluice_field intern_field(std::string_view name);
// The name of an interned id; "" for an unknown id. The pointer stays valid for the process.
const char* field_name(sluice_field id);
// Whether `id` was handed out by intern_field(). Lock-free, for per-record checks.
bool is_interned_field(sluice_field id);

}  // namespace sluice
