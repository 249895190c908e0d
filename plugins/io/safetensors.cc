#include "io/safetensors.h"

#include <sluice/record.hpp>

#include <boost/json.hpp>

namespace sluice::io {

const char* safetensors_dtype(sluice_dtype dtype) {
  switch (dtype) {
    case SLUICE_DTYPE_BOOL: return "BOOL";
    case SLUICE_DTYPE_UINT8: return "U8";
    case SLUICE_DTYPE_INT8: return "I8";
    case SLUICE_DTYPE_UINT16: return "U16";
    case SLUICE_DTYPE_INT16: return "I16";
    case SLUICE_DTYPE_INT32: return "I32";
    case SLUICE_DTYPE_INT64: return "I64";
    case SLUICE_DTYPE_FLOAT16: return "F16";
    case SLUICE_DTYPE_BFLOAT16: return "BF16";
    case SLUICE_DTYPE_FLOAT32: return "F32";
    case SLUICE_DTYPE_FLOAT64: return "F64";
    case SLUICE_DTYPE_ANY: return nullptr;
  }
  return nullptr;
}

Expected<std::string> safetensors_header(const std::vector<SafetensorsTensor>& tensors,
                                         const SafetensorsMetadata& metadata) {
  boost::json::object header;
  if (!metadata.empty()) {
    boost::json::object meta;
    for (const auto& [key, value] : metadata) meta[key] = value;
    header["__metadata__"] = std::move(meta);
  }
  uint64_t offset = 0;
  for (const SafetensorsTensor& t : tensors) {
    const char* dtype = safetensors_dtype(t.dtype);
    if (dtype == nullptr) {
      return Status::Invalid("tensor '" + t.name + "': expected a concrete dtype, found any");
    }
    uint64_t expected = dtype_size(t.dtype);
    boost::json::array shape;
    for (int64_t d : t.shape) {
      shape.push_back(d);
      expected *= static_cast<uint64_t>(d);
    }
    uint64_t found = 0;
    for (std::string_view c : t.chunks) found += c.size();
    if (found != expected) {
      return Status::Invalid("tensor '" + t.name + "': expected " + std::to_string(expected) +
                             " bytes for its shape, found " + std::to_string(found));
    }
    header[t.name] = {{"dtype", dtype}, {"shape", std::move(shape)},
                      {"data_offsets", {offset, offset + found}}};
    offset += found;
  }
  std::string json = boost::json::serialize(header);
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
  return out + json;
}

Status write_safetensors(OutputFile& file, const std::vector<SafetensorsTensor>& tensors,
                         const SafetensorsMetadata& metadata) {
  Expected<std::string> header = safetensors_header(tensors, metadata);
  if (!header.ok()) return header.status();
  SLUICE_RETURN_IF_ERROR(file.write(*header));
  for (const SafetensorsTensor& t : tensors) {
    for (std::string_view c : t.chunks) SLUICE_RETURN_IF_ERROR(file.write(c));
  }
  return {};
}

}  // namespace sluice::io
