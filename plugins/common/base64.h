// Base64 (RFC 4648 section 4: the standard alphabet, with '=' padding). Pure functions;
// thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <string>
#include <string_view>

namespace sluice {

std::string base64_encode(std::string_view bytes);
// The bytes `text` encodes; INVALID_ARGUMENT naming the offset of the first bad character (or the
// length, when the text is cut short) and what was expected there.
Expected<std::string> base64_decode(std::string_view text);

}  // namespace sluice
