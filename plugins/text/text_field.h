// Reading UTF-8 text fields in the text ops.
#pragma once

#include <sluice/sdk.hpp>

#include <string_view>

namespace sluice::text {

// The string in field `f`, checked to be UTF-8; BAD_RECORD naming the field otherwise.
Expected<std::string_view> utf8_field(const Record& r, Field f);

}  // namespace sluice::text
