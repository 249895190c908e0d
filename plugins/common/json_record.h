// Records as JSON objects, the encoding of `sluice apply`, io.read_jsonl/io.write_jsonl and the
// op tests: strings, numbers and booleans map to STRING, INT (integral numbers) / FLOAT, BOOL
// fields; a tensor is {"dtype": "int32", "shape": [2], "data": [15496, 995]} (data flattened,
// row-major); bytes are {"base64": "..."}; null is rejected. Floats print with the shortest
// representation that reads back exactly, always with a '.' or an exponent. JSON has no NaN or
// infinity: a non-finite FLOAT field is written {"float": "NaN"} ("Infinity", "-Infinity"), and a
// non-finite element of a float tensor as the string "NaN" ("Infinity", "-Infinity"); both read
// back. float16 and bfloat16 elements are written as the float value they hold and read back with
// round-to-nearest-even. A tensor on a device is written without data, as
// {"dtype", "shape", "device": "cuda:0"}, and is rejected when read.
//
// Written against the SDK's wrappers, so it links into plugins and into the engine alike (the
// engine sets the SDK's host to its own). Thread-safe (pure functions).
#pragma once

#include <sluice/record.hpp>
#include <sluice/status.hpp>

#include <string>
#include <string_view>

namespace sluice {

// Parses one JSON object and sets its fields on `out`; errors (BAD_RECORD) name the field and say
// what was expected and found.
Status record_from_json(std::string_view line, Record& out);
// One line of JSON (no newline), fields in record order.
std::string record_to_json(const Record& r);

}  // namespace sluice
