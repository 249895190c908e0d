// The NumPy .npy format (version 1.0): a magic string, a header dict giving dtype and shape, then
// the array data in C order. Pure functions.
#pragma once

#include <sluice/plugin.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::io {

// NumPy's dtype string for `dtype` ("<f4", "|u1", ...), or nullptr for one NumPy lacks
// (bfloat16) and for ANY.
const char* npy_descr(sluice_dtype dtype);

// The bytes before the data of a .npy file holding an array of `descr` and `shape`. The header
// is padded with spaces so that the data starts at a multiple of 64 bytes and at `min_size` bytes
// or more (to rewrite a header in place with a longer shape, pass the old header's size).
std::string npy_header(const char* descr, const std::vector<int64_t>& shape, size_t min_size = 0);

}  // namespace sluice::io
