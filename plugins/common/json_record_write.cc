#include "json_record.h"

#include "base64.h"
#include "float16.h"
#include "json_format.h"

#include <charconv>
#include <cmath>
#include <string>

namespace sluice {
namespace {

using json_format::append_element_float;
using json_format::append_finite;
using json_format::append_quoted;
using json_format::non_finite_name;

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

template <class T, class Append>
void append_elements(std::string& out, const void* data, int64_t n, Append append) {
  const auto* p = static_cast<const T*>(data);
  for (int64_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    append(out, p[i]);
  }
}

void append_data(std::string& out, const Tensor& t) {
  const void* d = t.data();
  int64_t n = t.numel();
  auto integer = [](std::string& o, auto v) { append_integer(o, v); };
  auto floating = [](std::string& o, auto v) { append_element_float(o, v); };
  switch (t.dtype()) {
    case SLUICE_DTYPE_BOOL:
      append_elements<uint8_t>(out, d, n,
                               [](std::string& o, uint8_t v) { o += v ? "true" : "false"; });
      break;
    case SLUICE_DTYPE_UINT8:
      append_elements<uint8_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_INT8:
      append_elements<int8_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_UINT16:
      append_elements<uint16_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_INT16:
      append_elements<int16_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_INT32:
      append_elements<int32_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_INT64:
      append_elements<int64_t>(out, d, n, integer);
      break;
    case SLUICE_DTYPE_FLOAT16:
      append_elements<uint16_t>(out, d, n, [](std::string& o, uint16_t v) {
        append_element_float(o, float16_to_float(v));
      });
      break;
    case SLUICE_DTYPE_BFLOAT16:
      append_elements<uint16_t>(out, d, n, [](std::string& o, uint16_t v) {
        append_element_float(o, bfloat16_to_float(v));
      });
      break;
    case SLUICE_DTYPE_FLOAT32:
      append_elements<float>(out, d, n, floating);
      break;
    case SLUICE_DTYPE_FLOAT64:
      append_elements<double>(out, d, n, floating);
      break;
    case SLUICE_DTYPE_ANY:
      break;
  }
}

void append_tensor(std::string& out, const Tensor& t) {
  out += "{\"dtype\": ";
  append_quoted(out, dtype_name(t.dtype()));
  out += ", \"shape\": [";
  for (int i = 0; i < t.ndim(); ++i) {
    if (i) out += ", ";
    append_integer(out, t.dim(i));
  }
  out += "], ";
  if (t.on_cpu()) {
    out += "\"data\": [";
    append_data(out, t);
    out += "]}";
  } else {
    out += "\"device\": ";
    append_quoted(out, "cuda:" + std::to_string(t.info().device_index));
    out += "}";
  }
}

void append_value(std::string& out, const sluice_value_view& v) {
  switch (v.kind) {
    case SLUICE_KIND_STRING:
      append_quoted(out, std::string_view(v.data, v.size));
      break;
    case SLUICE_KIND_BYTES:
      out += "{\"base64\": ";
      append_quoted(out, base64_encode(std::string_view(v.data, v.size)));
      out += "}";
      break;
    case SLUICE_KIND_INT:
      append_integer(out, v.i);
      break;
    case SLUICE_KIND_FLOAT:
      if (std::isfinite(v.f)) {
        append_finite(out, v.f);
      } else {
        out += "{\"float\": ";
        append_quoted(out, non_finite_name(v.f));
        out += "}";
      }
      break;
    case SLUICE_KIND_BOOL:
      out += v.i ? "true" : "false";
      break;
    case SLUICE_KIND_TENSOR:
      append_tensor(out, Tensor::borrow(v.tensor));
      break;
    case SLUICE_KIND_ANY:
      out += "null";
      break;
  }
}
}  // namespace

std::string record_to_json(const Record& r) {
  std::string out = "{";
  size_t n = r.size();
  for (size_t i = 0; i < n; ++i) {
    sluice_value_view v;
    Field f = r.field_at(i, &v);
    if (i) out += ", ";
    append_quoted(out, f.name());
    out += ": ";
    append_value(out, v);
  }
  out += "}";
  return out;
}

}  // namespace sluice
