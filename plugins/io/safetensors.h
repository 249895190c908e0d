// The safetensors format (what safetensors.torch.load_file reads): an 8-byte little-endian
// header length N, N bytes of JSON {"name": {"dtype": "F32", "shape": [...], "data_offsets":
// [begin, end]}, ..., "__metadata__": {string: string}}, padded with spaces to a multiple of 8,
// then the tensors' bytes, one after the other (offsets are relative to the end of the header).
// Pure functions.
#pragma once

#include "io/output_file.h"

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::io {

// One tensor to write: its data is `chunks` concatenated (row-major, little-endian).
struct SafetensorsTensor {
  std::string name;
  sluice_dtype dtype = SLUICE_DTYPE_ANY;
  std::vector<int64_t> shape;
  std::vector<std::string_view> chunks;
};

using SafetensorsMetadata = std::vector<std::pair<std::string, std::string>>;

// The safetensors dtype name ("F32", "I64", "BOOL", ...), or nullptr for ANY.
const char* safetensors_dtype(sluice_dtype dtype);

// The bytes before the data: the length prefix and the padded JSON header, tensors in the given
// order. INVALID_ARGUMENT when a tensor's chunks do not hold exactly its shape's bytes.
Expected<std::string> safetensors_header(const std::vector<SafetensorsTensor>& tensors,
                                         const SafetensorsMetadata& metadata);

// One tensor read from a file: its bytes, row-major, little-endian (a view of the file's bytes,
// valid while the SafetensorsFile that holds them lives).
struct SafetensorsEntry {
  std::string name;
  sluice_dtype dtype = SLUICE_DTYPE_ANY;
  std::vector<int64_t> shape;
  std::string_view data;
};

// A safetensors file read whole: its bytes, once, and its tensors (the metadata is skipped), in
// file order.
class SafetensorsFile {
 public:
  const std::vector<SafetensorsEntry>& entries() const { return entries_; }
  // The tensor named `name`, or null.
  const SafetensorsEntry* find(const std::string& name) const;

 private:
  friend Expected<SafetensorsFile> read_safetensors(const std::string& path);
  std::unique_ptr<char[]> bytes_;  // moving the file keeps the entries' views valid
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, size_t, std::less<>> index_;
};

// The safetensors file at `path`. An error names the file and says what was expected and found:
// no regular file, a header longer than the file, JSON that does not parse, an unknown dtype,
// offsets outside the data or not matching the shape.
Expected<SafetensorsFile> read_safetensors(const std::string& path);

// Writes a whole safetensors file to `file` (open, at its start).
Status write_safetensors(OutputFile& file, const std::vector<SafetensorsTensor>& tensors,
                         const SafetensorsMetadata& metadata);

}  // namespace sluice::io
