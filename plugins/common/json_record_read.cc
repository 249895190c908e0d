#include "json_record.h"

#include "base64.h"
#include "float16.h"
#include "json_format.h"
#include "json_parse.h"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <variant>
#include <vector>

namespace sluice {
namespace {

namespace json = boost::json;
using json_format::append_element_float;

const char* json_kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a fractional number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

// `v` as JSON text for a message, shortened; doubles in their shortest form.
std::string json_text(const json::value& v) {
  std::string text;
  if (v.is_double()) {
    append_element_float(text, v.get_double());
  } else {
    text = json::serialize(v);
  }
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

// A number, or one of the strings written for non-finite floats; `what` names the target type.
Expected<double> float_value(const json::value& v, const char* what) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return Status::BadRecord(std::string("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\" "
                                       "for ") +
                           what + ", found " + json_text(v));
}

// One element of a tensor's data, converted for its dtype; errors say why (no field prefix).
class ElementReader {
 public:
  explicit ElementReader(sluice_dtype dtype) : dtype_(dtype) {}

  Status read(const json::value& v, void* dst) const {
    switch (dtype_) {
      case SLUICE_DTYPE_BOOL:
        return read_bool(v, static_cast<uint8_t*>(dst));
      case SLUICE_DTYPE_UINT8:
        return read_int<uint8_t>(v, dst);
      case SLUICE_DTYPE_INT8:
        return read_int<int8_t>(v, dst);
      case SLUICE_DTYPE_UINT16:
        return read_int<uint16_t>(v, dst);
      case SLUICE_DTYPE_INT16:
        return read_int<int16_t>(v, dst);
      case SLUICE_DTYPE_INT32:
        return read_int<int32_t>(v, dst);
      case SLUICE_DTYPE_INT64:
        return read_int<int64_t>(v, dst);
      case SLUICE_DTYPE_FLOAT16:
        return read_narrow(v, dst, float_to_float16, float16_to_float);
      case SLUICE_DTYPE_BFLOAT16:
        return read_narrow(v, dst, float_to_bfloat16, bfloat16_to_float);
      case SLUICE_DTYPE_FLOAT32:
        return read_float32(v, static_cast<float*>(dst));
      case SLUICE_DTYPE_FLOAT64: {
        Expected<double> d = float_value(v, dtype_name(dtype_));
        if (!d.ok()) return d.status();
        *static_cast<double*>(dst) = *d;
        return Status();
      }
      case SLUICE_DTYPE_ANY:
        break;
    }
    return Status::Internal("tensor: expected a concrete dtype, found any");
  }

 private:
  Status read_bool(const json::value& v, uint8_t* dst) const {
    if (v.is_bool()) {
      *dst = v.get_bool() ? 1 : 0;
    } else if (v.is_int64() && (v.get_int64() == 0 || v.get_int64() == 1)) {
      *dst = static_cast<uint8_t>(v.get_int64());
    } else {
      return Status::BadRecord(std::string("expected true, false, 0 or 1, found ") + json_text(v));
    }
    return Status();
  }

  template <class T>
  Status read_int(const json::value& v, void* dst) const {
    bool in_range = false;
    if (v.is_int64()) {
      int64_t i = v.get_int64();
      in_range =
          i >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
          (std::is_same_v<T, int64_t> || i <= static_cast<int64_t>(std::numeric_limits<T>::max()));
      if (in_range) *static_cast<T*>(dst) = static_cast<T>(i);
    } else if (!v.is_uint64()) {
      return Status::BadRecord(std::string("expected an integer for ") + dtype_name(dtype_) +
                               ", found " + json_text(v));
    }
    if (in_range) return Status();
    return Status::BadRecord(json_text(v) + " is out of the " + dtype_name(dtype_) + " range");
  }

  Status out_of_range(double d) const {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
    return Status::BadRecord(std::string(buf, end) + " is out of the " + dtype_name(dtype_) +
                             " range");
  }

  Status read_float32(const json::value& v, float* dst) const {
    Expected<double> d = float_value(v, dtype_name(dtype_));
    if (!d.ok()) return d.status();
    auto f = static_cast<float>(*d);
    if (std::isinf(f) && std::isfinite(*d)) return out_of_range(*d);
    *dst = f;
    return Status();
  }

  Status read_narrow(const json::value& v, void* dst, uint16_t (*narrow)(float),
                     float (*widen)(uint16_t)) const {
    Expected<double> d = float_value(v, dtype_name(dtype_));
    if (!d.ok()) return d.status();
    uint16_t bits = narrow(double_to_float_round_odd(*d));
    if (std::isinf(widen(bits)) && std::isfinite(*d)) return out_of_range(*d);
    *static_cast<uint16_t*>(dst) = bits;
    return Status();
  }

  sluice_dtype dtype_;
};

std::optional<sluice_dtype> dtype_named(std::string_view name) {
  for (int d = SLUICE_DTYPE_BOOL; d <= SLUICE_DTYPE_FLOAT64; ++d) {
    if (name == dtype_name(static_cast<sluice_dtype>(d))) return static_cast<sluice_dtype>(d);
  }
  return std::nullopt;
}

// The number of elements of `shape`; nullopt when it does not fit in 64 bits.
std::optional<uint64_t> element_count(const std::vector<int64_t>& shape) {
  uint64_t n = 1;
  bool overflow = false;
  for (int64_t d : shape) {
    if (d == 0) return 0;
    overflow = overflow || __builtin_mul_overflow(n, static_cast<uint64_t>(d), &n);
  }
  if (overflow) return std::nullopt;
  return n;
}

struct ByteString {
  std::string data;
};
using Pending = std::variant<std::string, ByteString, int64_t, double, bool, Tensor>;

class FieldReader {
 public:
  explicit FieldReader(std::string_view name) : name_(name) {}

  Expected<Pending> read(const json::value& v) const {
    switch (v.kind()) {
      case json::kind::string:
        return Pending(std::string(v.get_string()));
      case json::kind::int64:
        return Pending(v.get_int64());
      case json::kind::uint64:
        return fail(std::to_string(v.get_uint64()) + " is out of the int64 range");
      case json::kind::double_:
        return Pending(v.get_double());
      case json::kind::bool_:
        return Pending(v.get_bool());
      case json::kind::object:
        return object(v.get_object());
      case json::kind::null:
      case json::kind::array:
        break;
    }
    return fail(std::string("expected a string, number, boolean, tensor object or bytes object, "
                            "found ") +
                json_kind(v));
  }

 private:
  Status fail(const std::string& what) const {
    return Status::BadRecord("field '" + std::string(name_) + "': " + what);
  }

  static std::string keys_of(const json::object& o) {
    std::string keys;
    for (const auto& kv : o) {
      if (!keys.empty()) keys += ", ";
      keys += kv.key();
    }
    return keys.empty() ? "no keys" : "keys " + keys;
  }

  Expected<Pending> object(const json::object& o) const {
    if (o.size() == 1 && o.contains("base64")) return bytes(o.at("base64"));
    if (o.size() == 1 && o.contains("float")) return special_float(o.at("float"));
    if (o.contains("dtype")) return tensor(o);
    return fail(
        "expected a tensor {dtype, shape, data}, bytes {base64} or float {float}, found "
        "an object with " +
        keys_of(o));
  }

  Expected<Pending> bytes(const json::value& v) const {
    if (!v.is_string()) {
      return fail(std::string("base64: expected a string, found ") + json_kind(v));
    }
    Expected<std::string> decoded = base64_decode(v.get_string());
    if (!decoded.ok()) return fail(decoded.status().message());
    return Pending(ByteString{std::move(*decoded)});
  }

  Expected<Pending> special_float(const json::value& v) const {
    Expected<double> d = float_value(v, "float");
    if (!d.ok()) return fail("float: " + d.status().message());
    return Pending(*d);
  }

  Expected<Pending> tensor(const json::object& o) const {
    for (const auto& kv : o) {
      if (kv.key() == "device") {
        return fail("a tensor on device " + json_text(kv.value()) +
                    " has no data in JSON; expected a CPU tensor with data");
      }
      if (kv.key() != "dtype" && kv.key() != "shape" && kv.key() != "data") {
        return fail("tensor: expected keys dtype, shape and data, found '" + std::string(kv.key()) +
                    "'");
      }
    }
    const json::value& dtype_v = o.at("dtype");
    std::optional<sluice_dtype> dtype;
    if (dtype_v.is_string()) dtype = dtype_named(dtype_v.get_string());
    if (!dtype) {
      return fail(
          "tensor dtype: expected one of bool, uint8, int8, uint16, int16, int32, int64, "
          "float16, bfloat16, float32, float64, found " +
          json_text(dtype_v));
    }
    const json::value* shape_v = o.if_contains("shape");
    const json::value* data_v = o.if_contains("data");
    if (shape_v == nullptr || data_v == nullptr) {
      return fail(std::string("tensor: expected keys dtype, shape and data, found no ") +
                  (shape_v ? "data" : "shape"));
    }
    Expected<std::vector<int64_t>> shape = read_shape(*shape_v);
    if (!shape.ok()) return shape.status();
    if (!data_v->is_array()) {
      return fail(std::string("tensor data: expected a flat array, found ") + json_kind(*data_v));
    }
    const json::array& data = data_v->get_array();
    // Counted before allocating, so a huge shape with little data allocates nothing.
    std::optional<uint64_t> numel = element_count(*shape);
    if (numel != data.size()) {
      return fail("tensor shape " + json_text(*shape_v) + " holds " +
                  (numel ? std::to_string(*numel) : "more than 2^64") + " elements, found " +
                  std::to_string(data.size()) + " values in data");
    }
    Expected<Tensor> t = Tensor::zeros(*dtype, *shape);
    if (!t.ok()) return fail(t.status().message());
    ElementReader reader(*dtype);
    auto* dst = static_cast<char*>(t->data());
    size_t elem = dtype_size(*dtype);
    for (size_t i = 0; i < data.size(); ++i) {
      Status s = reader.read(data[i], dst + i * elem);
      if (!s.ok()) return fail("tensor data[" + std::to_string(i) + "]: " + s.message());
    }
    return Pending(std::move(*t));
  }

  Expected<std::vector<int64_t>> read_shape(const json::value& v) const {
    const char* expected =
        "tensor shape: expected an array of at most 8 non-negative integers, "
        "found ";
    if (!v.is_array() || v.get_array().size() > SLUICE_MAX_DIMS) {
      return fail(expected + json_text(v));
    }
    std::vector<int64_t> shape;
    for (const auto& d : v.get_array()) {
      if (!d.is_int64() || d.get_int64() < 0) return fail(expected + json_text(v));
      shape.push_back(d.get_int64());
    }
    return shape;
  }

  std::string_view name_;
};

void set_field(Record& r, Field f, Pending& value) {
  struct Setter {
    Record& r;
    Field f;
    void operator()(const std::string& s) const { r.set_string(f, s); }
    void operator()(const ByteString& b) const { r.set_bytes(f, b.data); }
    void operator()(int64_t i) const { r.set_int(f, i); }
    void operator()(double d) const { r.set_float(f, d); }
    void operator()(bool b) const { r.set_bool(f, b); }
    void operator()(const Tensor& t) const { r.set_tensor(f, t); }
  };
  std::visit(Setter{r, f}, value);
}

Expected<json::object> parse_object(std::string_view line) {
  if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::BadRecord("expected a JSON object, found an empty line");
  }
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  size_t consumed = 0;
  json::value v = parse_json_exactly(line, options, ec, consumed);
  if (ec) {
    return Status::BadRecord("expected a JSON object, found invalid JSON at offset " +
                             std::to_string(consumed) + ": " + ec.message());
  }
  if (!v.is_object()) {
    return Status::BadRecord(std::string("expected a JSON object, found ") + json_kind(v));
  }
  return std::move(v.get_object());
}

}  // namespace

Status record_from_json(std::string_view line, Record& out) {
  try {
    Expected<json::object> object = parse_object(line);
    if (!object.ok()) return object.status();
    std::vector<std::pair<Field, Pending>> fields;
    for (const auto& kv : *object) {
      if (kv.key().empty()) {
        return Status::BadRecord("expected a non-empty field name, found \"\"");
      }
      // Field names are C strings in the ABI: one with a NUL would be cut short there (and
      // "a\u0000x" would become "a", perhaps another field's name).
      if (kv.key().find('\0') != json::string_view::npos) {
        return Status::BadRecord("expected a field name without NUL characters, found " +
                                 json::serialize(json::value(kv.key())));
      }
      Expected<Pending> value = FieldReader(kv.key()).read(kv.value());
      if (!value.ok()) return value.status();
      fields.emplace_back(Field::named(kv.key()), std::move(*value));
    }
    for (auto& [field, value] : fields) set_field(out, field, value);
    return Status();
  } catch (const std::bad_alloc&) {
    return Status::OutOfMemory("out of memory while reading a JSON record of " +
                               std::to_string(line.size()) + " bytes");
  }
}

}  // namespace sluice
