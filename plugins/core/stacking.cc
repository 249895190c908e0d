#include "core/stacking.h"

#include "float16.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>

namespace sluice::core {
namespace {

template <class T>
std::string bytes_of(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
}

Status unholdable(double value, const char* dtype) {
  std::ostringstream m;
  m << "expected a value a " << dtype << " tensor holds, found " << value;
  return Status::Invalid(m.str());
}

template <class T>
Expected<std::string> integer_bytes(double value, const char* dtype) {
  const double end = std::ldexp(1.0, std::numeric_limits<T>::digits);  // 2^bits, excluded
  const double begin = std::numeric_limits<T>::is_signed ? -end : 0.0;
  if (value == std::floor(value) && value >= begin && value < end) {
    return bytes_of(static_cast<T>(value));
  }
  return unholdable(value, dtype);
}

}  // namespace

Expected<std::string> element_bytes(sluice_dtype dtype, double value) {
  switch (dtype) {
    case SLUICE_DTYPE_BOOL:
      if (value == 0 || value == 1) return bytes_of(static_cast<uint8_t>(value));
      return unholdable(value, "bool");
    case SLUICE_DTYPE_UINT8: return integer_bytes<uint8_t>(value, "uint8");
    case SLUICE_DTYPE_INT8: return integer_bytes<int8_t>(value, "int8");
    case SLUICE_DTYPE_UINT16: return integer_bytes<uint16_t>(value, "uint16");
    case SLUICE_DTYPE_INT16: return integer_bytes<int16_t>(value, "int16");
    case SLUICE_DTYPE_INT32: return integer_bytes<int32_t>(value, "int32");
    case SLUICE_DTYPE_INT64: return integer_bytes<int64_t>(value, "int64");
    case SLUICE_DTYPE_FLOAT16: return bytes_of(float_to_float16(static_cast<float>(value)));
    case SLUICE_DTYPE_BFLOAT16: return bytes_of(float_to_bfloat16(static_cast<float>(value)));
    case SLUICE_DTYPE_FLOAT32: return bytes_of(static_cast<float>(value));
    case SLUICE_DTYPE_FLOAT64: return bytes_of(value);
    case SLUICE_DTYPE_ANY: break;
  }
  return Status::Invalid("expected a concrete dtype, found any");
}

void stack_padded(const std::vector<std::string_view>& items, size_t slot_bytes,
                  std::string_view fill, char* out) {
  for (std::string_view item : items) {
    if (!item.empty()) std::memcpy(out, item.data(), item.size());
    for (size_t at = item.size(); at < slot_bytes && !fill.empty(); at += fill.size()) {
      std::memcpy(out + at, fill.data(), fill.size());
    }
    out += slot_bytes;
  }
}

}  // namespace sluice::core
