// sluice C++ SDK: fields, tensors, records and emitters over the C ABI.
//
// host() is the engine's function table, set once by the plugin entry point (SLUICE_PLUGIN)
// before any other SDK call. Tensor is a reference-counted handle (copying it adds a
// reference). Record is a non-owning view of a host record; OwnedRecord owns a new one until it is
// emitted. All of these are safe to use from several threads as long as one record is used by one
// thread at a time.
#ifndef SLUICE_RECORD_HPP_
#define SLUICE_RECORD_HPP_

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

namespace detail {
inline const sluice_host*& host_slot() {
  static const sluice_host* host = nullptr;
  return host;
}
}  // namespace detail

// The engine's function table. Valid after the plugin entry point ran.
inline const sluice_host& host() { return *detail::host_slot(); }

// Converts a C status (taking ownership) into a Status.
inline Status from_c(sluice_status s) {
  if (s == nullptr) return Status();
  Status out(host().status_code(s), host().status_message(s));
  host().status_free(s);
  return out;
}

// Converts a Status into a C status owned by the caller (NULL for OK).
inline sluice_status to_c(const Status& s) {
  return s.ok() ? nullptr : host().status_new(s.code(), s.message().c_str());
}

using Kind = sluice_kind;
using DType = sluice_dtype;

inline const char* kind_name(sluice_kind k) {
  switch (k) {
    case SLUICE_KIND_TENSOR: return "tensor";
    case SLUICE_KIND_STRING: return "string";
    case SLUICE_KIND_BYTES: return "bytes";
    case SLUICE_KIND_INT: return "int";
    case SLUICE_KIND_FLOAT: return "float";
    case SLUICE_KIND_BOOL: return "bool";
    default: return "any";
  }
}

inline const char* dtype_name(sluice_dtype d) {
  switch (d) {
    case SLUICE_DTYPE_BOOL: return "bool";
    case SLUICE_DTYPE_UINT8: return "uint8";
    case SLUICE_DTYPE_INT8: return "int8";
    case SLUICE_DTYPE_UINT16: return "uint16";
    case SLUICE_DTYPE_INT16: return "int16";
    case SLUICE_DTYPE_INT32: return "int32";
    case SLUICE_DTYPE_INT64: return "int64";
    case SLUICE_DTYPE_FLOAT16: return "float16";
    case SLUICE_DTYPE_BFLOAT16: return "bfloat16";
    case SLUICE_DTYPE_FLOAT32: return "float32";
    case SLUICE_DTYPE_FLOAT64: return "float64";
    default: return "any";
  }
}

inline size_t dtype_size(sluice_dtype d) {
  switch (d) {
    case SLUICE_DTYPE_BOOL: case SLUICE_DTYPE_UINT8: case SLUICE_DTYPE_INT8: return 1;
    case SLUICE_DTYPE_UINT16: case SLUICE_DTYPE_INT16: case SLUICE_DTYPE_FLOAT16:
    case SLUICE_DTYPE_BFLOAT16: return 2;
    case SLUICE_DTYPE_INT32: case SLUICE_DTYPE_FLOAT32: return 4;
    case SLUICE_DTYPE_INT64: case SLUICE_DTYPE_FLOAT64: return 8;
    default: return 0;
  }
}

// The dtype of a C++ element type: dtype_of<float>() == SLUICE_DTYPE_FLOAT32.
template <class T> constexpr sluice_dtype dtype_of();
template <> constexpr sluice_dtype dtype_of<bool>() { return SLUICE_DTYPE_BOOL; }
template <> constexpr sluice_dtype dtype_of<uint8_t>() { return SLUICE_DTYPE_UINT8; }
template <> constexpr sluice_dtype dtype_of<int8_t>() { return SLUICE_DTYPE_INT8; }
template <> constexpr sluice_dtype dtype_of<uint16_t>() { return SLUICE_DTYPE_UINT16; }
template <> constexpr sluice_dtype dtype_of<int16_t>() { return SLUICE_DTYPE_INT16; }
template <> constexpr sluice_dtype dtype_of<int32_t>() { return SLUICE_DTYPE_INT32; }
template <> constexpr sluice_dtype dtype_of<int64_t>() { return SLUICE_DTYPE_INT64; }
template <> constexpr sluice_dtype dtype_of<float>() { return SLUICE_DTYPE_FLOAT32; }
template <> constexpr sluice_dtype dtype_of<double>() { return SLUICE_DTYPE_FLOAT64; }

// An interned field name. Cheap to copy and compare.
class Field {
 public:
  Field() = default;
  explicit Field(sluice_field id) : id_(id) {}
  static Field named(std::string_view name) {
    return Field(host().field_intern(name.data(), name.size()));
  }
  sluice_field id() const { return id_; }
  const char* name() const { return host().field_name(id_); }
  bool operator==(const Field& o) const { return id_ == o.id_; }
  bool operator!=(const Field& o) const { return id_ != o.id_; }

 private:
  sluice_field id_ = 0;
};

// Reference-counted handle to a host tensor. An empty Tensor holds nothing.
class Tensor {
 public:
  Tensor() = default;
  ~Tensor() { reset(); }
  Tensor(const Tensor& o) : t_(o.t_), info_(o.info_) {
    if (t_) host().tensor_retain(t_);
  }
  Tensor(Tensor&& o) noexcept : t_(o.t_), info_(o.info_) { o.t_ = nullptr; }
  Tensor& operator=(Tensor o) noexcept {
    std::swap(t_, o.t_);
    std::swap(info_, o.info_);
    return *this;
  }

  // Adds a reference to a borrowed C tensor.
  static Tensor borrow(const sluice_tensor* t) {
    host().tensor_retain(t);
    return Tensor(t);
  }
  // A new zero-filled CPU tensor.
  static Expected<Tensor> zeros(sluice_dtype dtype, const std::vector<int64_t>& shape) {
    sluice_tensor* t = nullptr;
    Status s = from_c(host().tensor_new(dtype, static_cast<int32_t>(shape.size()), shape.data(),
                                        SLUICE_DEVICE_CPU, 0, &t));
    if (!s.ok()) return s;
    return Tensor(t);
  }
  // A CPU tensor holding a copy of `values`, shaped `shape` (element count must match).
  template <class T>
  static Expected<Tensor> from_values(const std::vector<int64_t>& shape, const T* values,
                                      size_t count) {
    Expected<Tensor> t = zeros(dtype_of<T>(), shape);
    if (!t.ok()) return t;
    if (static_cast<size_t>(t->numel()) != count) {
      return Status::Invalid("tensor shape holds " + std::to_string(t->numel()) +
                             " elements, found " + std::to_string(count) + " values");
    }
    if (count) std::memcpy(t->data(), values, count * sizeof(T));
    return t;
  }
  // Adopts `data`; `deleter(data, ctx)` runs when the last reference goes.
  static Expected<Tensor> wrap(sluice_dtype dtype, const std::vector<int64_t>& shape, void* data,
                               sluice_deleter deleter, void* deleter_ctx,
                               sluice_device_type device = SLUICE_DEVICE_CPU, int32_t index = 0) {
    sluice_tensor* t = nullptr;
    Status s = from_c(host().tensor_wrap(dtype, static_cast<int32_t>(shape.size()), shape.data(),
                                         device, index, data, deleter, deleter_ctx, &t));
    if (!s.ok()) return s;
    return Tensor(t);
  }

  bool empty() const { return t_ == nullptr; }
  const sluice_tensor* raw() const { return t_; }
  sluice_dtype dtype() const { return info_.dtype; }
  int ndim() const { return info_.ndim; }
  int64_t dim(int i) const { return info_.shape[i]; }
  std::vector<int64_t> shape() const { return {info_.shape, info_.shape + info_.ndim}; }
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < info_.ndim; ++i) n *= info_.shape[i];
    return n;
  }
  size_t nbytes() const { return info_.nbytes; }
  bool on_cpu() const { return info_.device_type == SLUICE_DEVICE_CPU; }
  const sluice_tensor_info& info() const { return info_; }
  void* data() const { return info_.data; }
  // Typed element pointer; throws Error when T is not the tensor's dtype.
  template <class T>
  T* data_as() const {
    if (dtype_of<T>() != info_.dtype) {
      throw Error(Status::Invalid(std::string("expected a ") + dtype_name(dtype_of<T>()) +
                                  " tensor, found " + dtype_name(info_.dtype)));
    }
    return static_cast<T*>(info_.data);
  }
  // True when this handle is the only reference (safe to write in place).
  bool unique() const { return t_ && host().tensor_is_unique(t_); }

 private:
  explicit Tensor(const sluice_tensor* t) : t_(t) {
    info_.struct_size = sizeof(info_);
    host().tensor_info(t_, &info_);
  }
  void reset() {
    if (t_) host().tensor_release(t_);
    t_ = nullptr;
  }
  const sluice_tensor* t_ = nullptr;
  sluice_tensor_info info_{};
};

// Non-owning view of a host record.
class Record {
 public:
  explicit Record(sluice_record* r) : r_(r) {}
  sluice_record* raw() const { return r_; }

  bool has(Field f) const { return view(f).kind != SLUICE_KIND_ANY; }
  // The kind of field `f`, or SLUICE_KIND_ANY when absent.
  sluice_kind kind(Field f) const { return view(f).kind; }

  Expected<std::string_view> get_string(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind != SLUICE_KIND_STRING) return mismatch(f, "string", v.kind);
    return std::string_view(v.data, v.size);
  }
  Expected<std::string_view> get_bytes(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind != SLUICE_KIND_BYTES) return mismatch(f, "bytes", v.kind);
    return std::string_view(v.data, v.size);
  }
  Expected<int64_t> get_int(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind != SLUICE_KIND_INT && v.kind != SLUICE_KIND_BOOL) return mismatch(f, "int", v.kind);
    return v.i;
  }
  // Accepts INT and BOOL too.
  Expected<double> get_float(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind == SLUICE_KIND_FLOAT) return v.f;
    if (v.kind == SLUICE_KIND_INT || v.kind == SLUICE_KIND_BOOL) return static_cast<double>(v.i);
    return mismatch(f, "float", v.kind);
  }
  Expected<bool> get_bool(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind != SLUICE_KIND_BOOL) return mismatch(f, "bool", v.kind);
    return v.i != 0;
  }
  Expected<Tensor> get_tensor(Field f) const {
    sluice_value_view v = view(f);
    if (v.kind != SLUICE_KIND_TENSOR) return mismatch(f, "tensor", v.kind);
    return Tensor::borrow(v.tensor);
  }

  void set_string(Field f, std::string_view s) {
    host().record_set_string(r_, f.id(), s.data(), s.size());
  }
  void set_bytes(Field f, std::string_view b) {
    host().record_set_bytes(r_, f.id(), b.data(), b.size());
  }
  void set_int(Field f, int64_t v) { host().record_set_int(r_, f.id(), v); }
  void set_float(Field f, double v) { host().record_set_float(r_, f.id(), v); }
  void set_bool(Field f, bool v) { host().record_set_bool(r_, f.id(), v ? 1 : 0); }
  void set_tensor(Field f, const Tensor& t) { host().record_set_tensor(r_, f.id(), t.raw()); }
  // Sets `f` to a copy of a value viewed in another record (a tensor is shared, not copied);
  // a view of kind ANY (an absent field) changes nothing.
  void set_value(Field f, const sluice_value_view& v) {
    switch (v.kind) {
      case SLUICE_KIND_TENSOR: host().record_set_tensor(r_, f.id(), v.tensor); break;
      case SLUICE_KIND_STRING: host().record_set_string(r_, f.id(), v.data, v.size); break;
      case SLUICE_KIND_BYTES: host().record_set_bytes(r_, f.id(), v.data, v.size); break;
      case SLUICE_KIND_INT: host().record_set_int(r_, f.id(), v.i); break;
      case SLUICE_KIND_FLOAT: host().record_set_float(r_, f.id(), v.f); break;
      case SLUICE_KIND_BOOL: host().record_set_bool(r_, f.id(), static_cast<int>(v.i)); break;
      case SLUICE_KIND_ANY: break;
    }
  }
  void remove(Field f) { host().record_remove(r_, f.id()); }

  size_t size() const { return host().record_size(r_); }
  // The i-th field and its raw view (i < size()).
  Field field_at(size_t i, sluice_value_view* out) const {
    sluice_field id = 0;
    out->struct_size = sizeof(*out);
    host().record_at(r_, i, &id, out);
    return Field(id);
  }
  uint64_t seed() const { return host().record_seed(r_); }
  int64_t position() const { return host().record_position(r_); }
  void set_position(int64_t p) { host().record_set_position(r_, p); }

  // The raw view of field `f`; kind is SLUICE_KIND_ANY when absent.
  sluice_value_view view(Field f) const {
    sluice_value_view v{};
    v.struct_size = sizeof(v);
    if (!host().record_get(r_, f.id(), &v)) v.kind = SLUICE_KIND_ANY;
    return v;
  }

 private:
  static Status mismatch(Field f, const char* expected, sluice_kind found) {
    if (found == SLUICE_KIND_ANY) {
      return Status::BadRecord(std::string("field '") + f.name() + "': expected " + expected +
                               ", found no such field");
    }
    return Status::BadRecord(std::string("field '") + f.name() + "': expected " + expected +
                             ", found " + kind_name(found));
  }
  sluice_record* r_;
};

// A record the op made (sources, batching). Freed unless emitted.
class OwnedRecord : public Record {
 public:
  OwnedRecord() : Record(host().record_new()) {}
  explicit OwnedRecord(const Record& copy_of) : Record(host().record_clone(copy_of.raw())) {}
  OwnedRecord(const OwnedRecord&) = delete;
  OwnedRecord& operator=(const OwnedRecord&) = delete;
  OwnedRecord(OwnedRecord&& o) noexcept : Record(o.raw()), owned_(o.owned_) { o.owned_ = false; }
  ~OwnedRecord() {
    if (owned_) host().record_free(raw());
  }
  // Gives up ownership (the caller passes the record on to the host).
  sluice_record* release() {
    owned_ = false;
    return raw();
  }

 private:
  bool owned_ = true;
};

// Where an op sends records. emit() moves the record to the host.
class Emitter {
 public:
  explicit Emitter(sluice_emitter* e) : e_(e) {}
  // Passes on a record the op received in process() (ownership goes back to the host).
  Status emit(Record& r) {
    emitted_input_ = true;
    return from_c(host().emit(e_, r.raw()));
  }
  Status emit(OwnedRecord&& r) { return from_c(host().emit(e_, r.release())); }
  bool emitted_input() const { return emitted_input_; }

 private:
  sluice_emitter* e_;
  bool emitted_input_ = false;
};

}  // namespace sluice

#endif  // SLUICE_RECORD_HPP_
