#include "io/npy.h"

namespace sluice::io {

const char* npy_descr(sluice_dtype dtype) {
  switch (dtype) {
    case SLUICE_DTYPE_BOOL: return "|b1";
    case SLUICE_DTYPE_UINT8: return "|u1";
    case SLUICE_DTYPE_INT8: return "|i1";
    case SLUICE_DTYPE_UINT16: return "<u2";
    case SLUICE_DTYPE_INT16: return "<i2";
    case SLUICE_DTYPE_INT32: return "<i4";
    case SLUICE_DTYPE_INT64: return "<i8";
    case SLUICE_DTYPE_FLOAT16: return "<f2";
    case SLUICE_DTYPE_FLOAT32: return "<f4";
    case SLUICE_DTYPE_FLOAT64: return "<f8";
    case SLUICE_DTYPE_BFLOAT16:
    case SLUICE_DTYPE_ANY: return nullptr;
  }
  return nullptr;
}

std::string npy_header(const char* descr, const std::vector<int64_t>& shape, size_t min_size) {
  std::string dict = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    dict += (shape.size() == 1 || i + 1 < shape.size()) ? "," : "";
    if (i + 1 < shape.size()) dict += ' ';
  }
  dict += "), }";
  constexpr size_t kPrefix = 10;  // magic (6), version (2), header length (2)
  size_t total = kPrefix + dict.size() + 1;  // + the final '\n'
  if (total < min_size) total = min_size;
  total = (total + 63) / 64 * 64;
  dict.append(total - kPrefix - dict.size() - 1, ' ');
  dict += '\n';
  const size_t length = dict.size();
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(length & 0xff);
  out += static_cast<char>((length >> 8) & 0xff);
  return out + dict;
}

}  // namespace sluice::io
