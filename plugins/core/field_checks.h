// Load-time checks of the fields that core ops name in their params.
#pragma once

#include <sluice/sdk.hpp>

#include <string>

namespace sluice::core {

// The kind of `name` in `fields`; INVALID_ARGUMENT naming `param` and listing the upstream fields
// when the set is closed and lacks it (SLUICE_KIND_ANY when the set is open and lacks it).
Expected<sluice_kind> upstream_kind(const FieldSet& fields, const std::string& name,
                                    const char* param);

}  // namespace sluice::core
