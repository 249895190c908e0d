// The safetensors format (what safetensors.torch.load_file reads): an 8-byte little-endian
// header length N, N bytes of JSON {"name": {"dtype": "F32", "shape": [...], "data_offsets":
// [begin, end]}, ..., "__metadata__": {string: string}}, padded with spaces to a multiple of 8,
// then the tensors' bytes, one after the other (offsets are relative to the end of the header).
// The writers are pure functions; SafetensorsFile reads a file.
#pragma once

#include "io/output_file.h"

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <cstdint>
#include <fstream>
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

// One tensor of a file, as its header describes it: its bytes (row-major, little-endian) are the
// `bytes` from `offset` of the file.
struct SafetensorsEntry {
  std::string name;
  sluice_dtype dtype = SLUICE_DTYPE_ANY;
  std::vector<int64_t> shape;
  uint64_t offset = 0;
  uint64_t bytes = 0;
};

// An open safetensors file whose header was read and checked: its tensors (the metadata is
// skipped), in file order, read one by one into the caller's memory, so loading a model needs no
// second copy of it. Not thread-safe.
class SafetensorsFile {
 public:
  const std::vector<SafetensorsEntry>& entries() const { return entries_; }
  // The tensor named `name`, or null.
  const SafetensorsEntry* find(const std::string& name) const;
  // Reads the bytes of `entry` (one of entries()) into `out` (entry.bytes of them). An error (the
  // file shrank since it was opened, a read failed) names the file and the tensor.
  Status read(const SafetensorsEntry& entry, void* out);

 private:
  friend Expected<SafetensorsFile> open_safetensors(const std::string& path);
  std::string path_;
  std::unique_ptr<std::ifstream> in_;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, size_t> index_;
};

// The safetensors file at `path`, its header read. An error names the file and says what was
// expected and found: no regular file, a header longer than the file, JSON that does not parse,
// an unknown dtype, offsets outside the data or not matching the shape.
Expected<SafetensorsFile> open_safetensors(const std::string& path);

// Writes a whole safetensors file to `file` (open, at its start).
Status write_safetensors(OutputFile& file, const std::vector<SafetensorsTensor>& tensors,
                         const SafetensorsMetadata& metadata);

}  // namespace sluice::io
