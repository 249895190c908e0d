// Checks a plugin descriptor before anything of it is registered: ABI major, struct sizes, names
// ("<plugin>.<lower_snake>"), flags, required callbacks, port and param definitions, and (in a
// descriptor of ABI 1.2 or later) layer types with their args. Reads no member beyond what each
// struct's struct_size covers: a descriptor built for 1.0 or 1.1 ends before `layer_count`.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <string>
#include <string_view>

namespace sluice {

// Whether `s` is a plugin name (and the form of the part after the dot in every registered
// name): lower snake case, [a-z][a-z0-9_]*.
bool is_lower_snake(std::string_view s);

// OK, or INVALID_ARGUMENT whose message starts with `file` and names the op, resource, port or
// param at fault with what was expected and what was found.
Status check_descriptor(const sluice_plugin* plugin, const std::string& file);

}  // namespace sluice
