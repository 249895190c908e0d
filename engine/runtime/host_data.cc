#include "engine/runtime/emitter.h"
#include "engine/runtime/host.h"
#include "engine/runtime/host_parts.h"
#include "engine/runtime/record.h"
#include "engine/runtime/tensor.h"

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

namespace sluice::host_parts {
namespace {

// ---- Tensors

std::string device_text(sluice_device_type type, int32_t index) {
  switch (type) {
    case SLUICE_DEVICE_CPU:
      return "cpu";
    case SLUICE_DEVICE_CUDA:
      return "cuda:" + std::to_string(index);
  }
  return "device type " + std::to_string(static_cast<int>(type));
}

Expected<std::vector<int64_t>> shape_arg(int32_t ndim, const int64_t* shape) {
  if (ndim < 0 || ndim > SLUICE_MAX_DIMS) {
    return Status::Invalid("tensor: expected 0 to " + std::to_string(SLUICE_MAX_DIMS) +
                           " dimensions, found " + std::to_string(ndim));
  }
  if (ndim > 0 && shape == nullptr) {
    return Status::Invalid("tensor: expected a shape of " + std::to_string(ndim) +
                           " dimensions, found NULL");
  }
  return std::vector<int64_t>(shape, shape + ndim);
}

// NOLINTNEXTLINE(bugprone-exception-escape): only allocation failure, which terminates
sluice_status tensor_new(sluice_dtype dtype, int32_t ndim, const int64_t* shape,
                         sluice_device_type device_type, int32_t device_index,
                         sluice_tensor** out) noexcept {
  if (out == nullptr) return error(SLUICE_INVALID_ARGUMENT, "tensor_new: no output pointer given");
  *out = nullptr;
  if (device_type != SLUICE_DEVICE_CPU) {
    return error(SLUICE_UNSUPPORTED, "tensor_new: expected device cpu, found " +
                                         device_text(device_type, device_index) +
                                         ": the engine allocates CPU memory only; allocate on "
                                         "the device and adopt it with tensor_wrap");
  }
  Expected<std::vector<int64_t>> dims = shape_arg(ndim, shape);
  if (!dims.ok()) return make_c_status(dims.status());
  Expected<sluice_tensor*> t = sluice::tensor_new(dtype, *dims);
  if (!t.ok()) return make_c_status(t.status());
  *out = *t;
  return nullptr;
}

// NOLINTNEXTLINE(bugprone-exception-escape): only allocation failure, which terminates
sluice_status tensor_wrap(sluice_dtype dtype, int32_t ndim, const int64_t* shape,
                          sluice_device_type device_type, int32_t device_index, void* data,
                          sluice_deleter deleter, void* deleter_ctx, sluice_tensor** out) noexcept {
  if (out == nullptr) return error(SLUICE_INVALID_ARGUMENT, "tensor_wrap: no output pointer given");
  *out = nullptr;
  Expected<std::vector<int64_t>> dims = shape_arg(ndim, shape);
  if (!dims.ok()) return make_c_status(dims.status());
  Expected<sluice_tensor*> t =
      sluice::tensor_wrap(dtype, *dims, device_type, device_index, data, deleter, deleter_ctx);
  if (!t.ok()) return make_c_status(t.status());
  *out = *t;
  return nullptr;
}

void tensor_retain(const sluice_tensor* t) noexcept { sluice::tensor_retain(t); }
void tensor_release(const sluice_tensor* t) noexcept { sluice::tensor_release(t); }

void tensor_info(const sluice_tensor* t, sluice_tensor_info* info) noexcept {
  if (t == nullptr || info == nullptr) return;
  sluice_tensor_info full{};
  full.dtype = t->dtype;
  full.ndim = t->ndim;
  std::copy(t->shape, t->shape + SLUICE_MAX_DIMS, full.shape);
  full.data = t->data;
  full.nbytes = t->nbytes;
  full.device_type = t->device_type;
  full.device_index = t->device_index;
  fill_prefix(info, full);
}

int tensor_is_unique(const sluice_tensor* t) noexcept {
  return t && t->refs.load(std::memory_order_acquire) == 1 ? 1 : 0;
}

// ---- Records

// The record to write `f` into, or NULL (logged) when the call is a plugin's misuse.
sluice_record_s* writable(sluice_record* r, sluice_field f, const char* call) {
  if (r == nullptr) {
    spdlog::warn("{}: expected a record, found NULL; nothing set", call);
    return nullptr;
  }
  if (!known_field(f)) {
    spdlog::warn("{}: expected an interned field id, found {}; nothing set", call, f);
    return nullptr;
  }
  return r;
}

// NOLINTBEGIN(bugprone-unhandled-exception-at-new): allocation failure terminates
sluice_record* record_new() noexcept { return new sluice_record_s; }
sluice_record* record_clone(const sluice_record* r) noexcept {
  return r ? new sluice_record_s(*r) : nullptr;
}
// NOLINTEND(bugprone-unhandled-exception-at-new)
void record_free(sluice_record* r) noexcept { delete r; }

sluice_value_view view_of(const Value& v) {
  sluice_value_view out{};
  out.kind = kind_of(v);
  switch (out.kind) {
    case SLUICE_KIND_TENSOR:
      out.tensor = std::get<TensorRef>(v).get();
      break;
    case SLUICE_KIND_STRING:
      out.data = std::get<std::string>(v).data();
      out.size = std::get<std::string>(v).size();
      break;
    case SLUICE_KIND_BYTES:
      out.data = std::get<Bytes>(v).data.data();
      out.size = std::get<Bytes>(v).data.size();
      break;
    case SLUICE_KIND_INT:
      out.i = std::get<int64_t>(v);
      break;
    case SLUICE_KIND_FLOAT:
      out.f = std::get<double>(v);
      break;
    case SLUICE_KIND_BOOL:
      out.i = std::get<bool>(v) ? 1 : 0;
      break;
    case SLUICE_KIND_ANY:
      break;
  }
  return out;
}

int record_get(const sluice_record* r, sluice_field f, sluice_value_view* out) noexcept {
  const Value* v = r ? r->find(f) : nullptr;
  if (v == nullptr) return 0;
  if (out) fill_prefix(out, view_of(*v));
  return 1;
}

size_t record_size(const sluice_record* r) noexcept { return r ? r->fields.size() : 0; }

int record_at(const sluice_record* r, size_t i, sluice_field* field,
              sluice_value_view* out) noexcept {
  if (r == nullptr || i >= r->fields.size()) return 0;
  if (field) *field = r->fields[i].first;
  if (out) fill_prefix(out, view_of(r->fields[i].second));
  return 1;
}

void record_set_string(sluice_record* r, sluice_field f, const char* data, size_t size) noexcept {
  if (data == nullptr && size != 0) {
    spdlog::warn("record_set_string: expected {} bytes of text, found NULL; nothing set", size);
  } else if (sluice_record_s* rec = writable(r, f, "record_set_string")) {
    rec->set(f, size ? std::string(data, size) : std::string());
  }
}

void record_set_bytes(sluice_record* r, sluice_field f, const void* data, size_t size) noexcept {
  if (data == nullptr && size != 0) {
    spdlog::warn("record_set_bytes: expected {} bytes, found NULL; nothing set", size);
  } else if (sluice_record_s* rec = writable(r, f, "record_set_bytes")) {
    rec->set(f, Bytes{size ? std::string(static_cast<const char*>(data), size) : std::string()});
  }
}

void record_set_int(sluice_record* r, sluice_field f, int64_t value) noexcept {
  if (sluice_record_s* rec = writable(r, f, "record_set_int")) rec->set(f, value);
}
void record_set_float(sluice_record* r, sluice_field f, double value) noexcept {
  if (sluice_record_s* rec = writable(r, f, "record_set_float")) rec->set(f, value);
}
void record_set_bool(sluice_record* r, sluice_field f, int value) noexcept {
  if (sluice_record_s* rec = writable(r, f, "record_set_bool")) rec->set(f, value != 0);
}

void record_set_tensor(sluice_record* r, sluice_field f, const sluice_tensor* t) noexcept {
  if (t == nullptr) {
    spdlog::warn("record_set_tensor: expected a tensor, found NULL; nothing set");
  } else if (sluice_record_s* rec = writable(r, f, "record_set_tensor")) {
    rec->set(f, TensorRef::share(t));
  }
}

void record_remove(sluice_record* r, sluice_field f) noexcept {
  if (r) r->remove(f);
}
uint64_t record_seed(const sluice_record* r) noexcept { return r ? r->seed : 0; }
int64_t record_position(const sluice_record* r) noexcept { return r ? r->position : 0; }
void record_set_position(sluice_record* r, int64_t position) noexcept {
  if (r) r->position = position;
}

sluice_status emit(sluice_emitter* emitter, sluice_record* r) noexcept {
  if (r == nullptr) return error(SLUICE_INVALID_ARGUMENT, "emit: expected a record, found NULL");
  if (emitter == nullptr) {
    delete r;
    return error(SLUICE_INVALID_ARGUMENT, "emit: expected an emitter, found NULL");
  }
  try {
    return emitter->accept(r);
  } catch (const std::exception& e) {
    return error(SLUICE_INTERNAL, std::string("emit: the emitter threw: ") + e.what());
  } catch (...) {
    return error(SLUICE_INTERNAL, "emit: the emitter threw an exception of unknown type");
  }
}

}  // namespace

void fill_data(sluice_host& t) {
  t.tensor_new = &tensor_new;
  t.tensor_wrap = &tensor_wrap;
  t.tensor_retain = &tensor_retain;
  t.tensor_release = &tensor_release;
  t.tensor_info = &tensor_info;
  t.tensor_is_unique = &tensor_is_unique;
  t.record_new = &record_new;
  t.record_clone = &record_clone;
  t.record_free = &record_free;
  t.record_get = &record_get;
  t.record_size = &record_size;
  t.record_at = &record_at;
  t.record_set_string = &record_set_string;
  t.record_set_bytes = &record_set_bytes;
  t.record_set_int = &record_set_int;
  t.record_set_float = &record_set_float;
  t.record_set_bool = &record_set_bool;
  t.record_set_tensor = &record_set_tensor;
  t.record_remove = &record_remove;
  t.record_seed = &record_seed;
  t.record_position = &record_position;
  t.record_set_position = &record_set_position;
  t.emit = &emit;
}

}  // namespace sluice::host_parts
