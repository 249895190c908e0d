// Scalar param values (an int, float, bool or string) and how they meet record fields, for
// core.filter and core.map_values.
#pragma once

#include <sluice/sdk.hpp>

#include <cstdint>
#include <string>
#include <variant>

namespace sluice::core {

using Scalar = std::variant<int64_t, double, bool, std::string>;

// The scalar a param holds; INVALID_ARGUMENT naming `what` for null, lists and maps.
Expected<Scalar> scalar_from(const Param& p, const std::string& what);
// "3", "0.5", "true", "\"ham\"", for messages.
std::string scalar_text(const Scalar& s);
// The field kind a scalar is set as.
sluice_kind scalar_kind(const Scalar& s);
void set_scalar(Record& r, Field f, const Scalar& s);

// The order of field `f`'s value `v` against `s`: negative, 0 or positive. Ints and floats
// compare as numbers, bools with bools, strings bytewise with strings; anything else is
// BAD_RECORD naming the field, the value and what it found.
Expected<int> compare(Field f, const sluice_value_view& v, const Scalar& s);

}  // namespace sluice::core
