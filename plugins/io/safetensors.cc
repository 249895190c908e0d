#include "io/safetensors.h"

#include <sluice/record.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace sluice::io {

const char* safetensors_dtype(sluice_dtype dtype) {
  switch (dtype) {
    case SLUICE_DTYPE_BOOL:
      return "BOOL";
    case SLUICE_DTYPE_UINT8:
      return "U8";
    case SLUICE_DTYPE_INT8:
      return "I8";
    case SLUICE_DTYPE_UINT16:
      return "U16";
    case SLUICE_DTYPE_INT16:
      return "I16";
    case SLUICE_DTYPE_INT32:
      return "I32";
    case SLUICE_DTYPE_INT64:
      return "I64";
    case SLUICE_DTYPE_FLOAT16:
      return "F16";
    case SLUICE_DTYPE_BFLOAT16:
      return "BF16";
    case SLUICE_DTYPE_FLOAT32:
      return "F32";
    case SLUICE_DTYPE_FLOAT64:
      return "F64";
    case SLUICE_DTYPE_ANY:
      return nullptr;
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
    header[t.name] = {
        {"dtype", dtype}, {"shape", std::move(shape)}, {"data_offsets", {offset, offset + found}}};
    offset += found;
  }
  std::string json = boost::json::serialize(header);
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
  return out + json;
}

namespace {

sluice_dtype dtype_named(std::string_view name) {
  for (int d = SLUICE_DTYPE_BOOL; d <= SLUICE_DTYPE_FLOAT64; ++d) {
    const auto dtype = static_cast<sluice_dtype>(d);
    if (name == safetensors_dtype(dtype)) return dtype;
  }
  return SLUICE_DTYPE_ANY;
}

// The entry `name` of the header, its offsets relative to `data_start`, the first byte after the
// header, of the file's `data_size` bytes from there.
Expected<SafetensorsEntry> header_entry(const std::string& name, const boost::json::value& value,
                                        uint64_t data_start, uint64_t data_size) {
  const boost::json::object* o = value.if_object();
  const boost::json::value* dtype = o ? o->if_contains("dtype") : nullptr;
  const boost::json::value* shape = o ? o->if_contains("shape") : nullptr;
  const boost::json::value* offsets = o ? o->if_contains("data_offsets") : nullptr;
  if (!dtype || !dtype->is_string() || !shape || !shape->is_array() || !offsets ||
      !offsets->is_array() || offsets->as_array().size() != 2) {
    return Status::Invalid("tensor '" + name +
                           "': expected {dtype, shape, data_offsets: [begin, end]}, found " +
                           boost::json::serialize(value));
  }
  SafetensorsEntry e;
  e.name = name;
  e.dtype = dtype_named(dtype->as_string());
  if (e.dtype == SLUICE_DTYPE_ANY) {
    return Status::Invalid("tensor '" + name + "': expected a dtype such as F32, found '" +
                           std::string(dtype->as_string()) + "'");
  }
  uint64_t bytes = dtype_size(e.dtype);
  for (const boost::json::value& d : shape->as_array()) {
    if (!d.is_int64() || d.as_int64() < 0) {
      return Status::Invalid("tensor '" + name + "': expected dimensions >= 0, found " +
                             boost::json::serialize(*shape));
    }
    e.shape.push_back(d.as_int64());
    bytes *= static_cast<uint64_t>(d.as_int64());
  }
  const boost::json::array& range = offsets->as_array();
  if (!range[0].is_int64() || !range[1].is_int64() || range[0].as_int64() < 0 ||
      range[1].as_int64() < range[0].as_int64() ||
      static_cast<uint64_t>(range[1].as_int64()) > data_size ||
      static_cast<uint64_t>(range[1].as_int64() - range[0].as_int64()) != bytes) {
    return Status::Invalid("tensor '" + name + "': expected data_offsets spanning " +
                           std::to_string(bytes) + " bytes within the " +
                           std::to_string(data_size) + " bytes of data, found " +
                           boost::json::serialize(*offsets));
  }
  e.offset = data_start + static_cast<uint64_t>(range[0].as_int64());
  e.bytes = bytes;
  return e;
}

}  // namespace

const SafetensorsEntry* SafetensorsFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

Status SafetensorsFile::read(const SafetensorsEntry& entry, void* out) {
  in_->clear();
  in_->seekg(static_cast<std::streamoff>(entry.offset));
  if (!in_->read(static_cast<char*>(out), static_cast<std::streamsize>(entry.bytes))) {
    return Status::IoError("'" + path_ + "': expected " + std::to_string(entry.bytes) +
                           " bytes of tensor '" + entry.name + "' at byte " +
                           std::to_string(entry.offset) + ", read " +
                           std::to_string(in_->gcount()));
  }
  return {};
}

Expected<SafetensorsFile> open_safetensors(const std::string& path) {
  std::error_code fs_error;
  if (!std::filesystem::is_regular_file(path, fs_error)) {
    return Status::IoError(
        "'" + path + "': expected a readable file, found " +
        (std::filesystem::exists(path, fs_error) ? "another kind of file" : "none"));
  }
  SafetensorsFile out;
  out.path_ = path;
  out.in_ = std::make_unique<std::ifstream>(path, std::ios::binary | std::ios::ate);
  std::ifstream& in = *out.in_;
  if (!in) {
    return Status::IoError("'" + path + "': expected a readable file, found one it cannot open");
  }
  const auto size = static_cast<uint64_t>(in.tellg());
  auto fail = [&](const Status& s) { return Status(s.code(), "'" + path + "': " + s.message()); };
  unsigned char prefix[8] = {};
  in.seekg(0);
  in.read(reinterpret_cast<char*>(prefix), size < 8 ? static_cast<std::streamsize>(size) : 8);
  uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<uint64_t>(prefix[i]) << (8 * i);
  if (size < 8 || length > size - 8) {
    return fail(
        Status::Invalid("expected an 8-byte header length and that many bytes of "
                        "header, found a file of " +
                        std::to_string(size) + " bytes"));
  }
  std::string text(length, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(length))) {
    return Status::IoError("'" + path + "': expected " + std::to_string(length) +
                           " bytes of header, read " + std::to_string(in.gcount()));
  }
  boost::system::error_code ec;
  boost::json::value header = boost::json::parse(text, ec);
  if (ec || !header.is_object()) {
    return fail(Status::Invalid("expected a JSON object as header, found " +
                                (ec ? ec.message() : std::string("another JSON value"))));
  }
  for (const auto& [key, value] : header.as_object()) {
    if (key == "__metadata__") continue;
    Expected<SafetensorsEntry> e =
        header_entry(std::string(key), value, 8 + length, size - 8 - length);
    if (!e.ok()) return fail(e.status());
    out.index_[e->name] = out.entries_.size();
    out.entries_.push_back(std::move(*e));
  }
  return out;
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
