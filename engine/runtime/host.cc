#include "engine/runtime/host.h"

#include "engine/runtime/emitter.h"
#include "engine/runtime/field_set.h"
#include "engine/runtime/fields.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/params.h"
#include "engine/runtime/record.h"
#include "engine/runtime/resources.h"
#include "engine/runtime/tensor.h"

#include <sluice/record.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace sluice {

Status take_status(sluice_status s) {
  if (s == nullptr) return Status();
  Status out(s->code, std::move(s->message));
  delete s;
  return out;
}

sluice_status make_c_status(const Status& s) {
  return s.ok() ? nullptr : new sluice_status_s{s.code(), s.message()};
}

namespace {

// Every function here is called from C: none throws (allocation failure terminates), and each
// tolerates NULL and out-of-range arguments.
namespace c_api {

// Copies as much of `full` as the caller's struct (of `out->struct_size` bytes) holds.
template <class T>
void fill_prefix(T* out, T full) {
  full.struct_size = out->struct_size;
  std::memcpy(out, &full, std::min(out->struct_size, sizeof(T)));
}

sluice_status error(sluice_code code, std::string message) {
  return make_c_status(Status(code, std::move(message)));
}

bool known_field(sluice_field f) { return *field_name(f) != '\0'; }

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

// ---- Status

sluice_status status_new(sluice_code code, const char* message) noexcept {
  if (code == SLUICE_OK) return nullptr;
  std::string text = message ? message : "";
  int value = static_cast<int>(code);
  if (value < SLUICE_INVALID_ARGUMENT || value > SLUICE_INTERNAL) {
    text = "status with unknown code " + std::to_string(value) + ": " + text;
    code = SLUICE_INTERNAL;
  }
  return new sluice_status_s{code, std::move(text)};
}
sluice_code status_code(sluice_status s) noexcept { return s ? s->code : SLUICE_OK; }
const char* status_message(sluice_status s) noexcept { return s ? s->message.c_str() : ""; }
void status_free(sluice_status s) noexcept { delete s; }

// ---- Fields

sluice_field field_intern(const char* name, size_t length) noexcept {
  return name ? intern_field(std::string_view(name, length)) : 0;
}
const char* host_field_name(sluice_field f) noexcept { return field_name(f); }

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

sluice_status tensor_wrap(sluice_dtype dtype, int32_t ndim, const int64_t* shape,
                          sluice_device_type device_type, int32_t device_index, void* data,
                          sluice_deleter deleter, void* deleter_ctx,
                          sluice_tensor** out) noexcept {
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

sluice_record* record_new() noexcept { return new sluice_record_s; }
sluice_record* record_clone(const sluice_record* r) noexcept {
  return r ? new sluice_record_s(*r) : nullptr;
}
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

// ---- Params

sluice_param_kind param_kind(const sluice_param* p) noexcept {
  return p ? p->kind : SLUICE_PARAM_NULL;
}
int param_bool(const sluice_param* p) noexcept {
  return p && p->kind == SLUICE_PARAM_BOOL && p->b ? 1 : 0;
}
int64_t param_int(const sluice_param* p) noexcept {
  return p && p->kind == SLUICE_PARAM_INT ? p->i : 0;
}
double param_float(const sluice_param* p) noexcept {
  if (p && p->kind == SLUICE_PARAM_FLOAT) return p->f;
  if (p && p->kind == SLUICE_PARAM_INT) return static_cast<double>(p->i);
  return 0;
}
const char* param_string(const sluice_param* p) noexcept {
  return p && p->kind == SLUICE_PARAM_STRING ? p->s.c_str() : nullptr;
}
size_t param_size(const sluice_param* p) noexcept {
  if (p && p->kind == SLUICE_PARAM_LIST) return p->list.size();
  if (p && p->kind == SLUICE_PARAM_MAP) return p->map.size();
  return 0;
}
const sluice_param* param_at(const sluice_param* p, size_t i) noexcept {
  if (p && p->kind == SLUICE_PARAM_LIST && i < p->list.size()) return &p->list[i];
  if (p && p->kind == SLUICE_PARAM_MAP && i < p->map.size()) return &p->map[i].second;
  return nullptr;
}
const char* param_key_at(const sluice_param* p, size_t i) noexcept {
  return p && p->kind == SLUICE_PARAM_MAP && i < p->map.size() ? p->map[i].first.c_str()
                                                                : nullptr;
}
const sluice_param* param_get(const sluice_param* p, const char* key) noexcept {
  return p && key ? p->get(key) : nullptr;
}

// ---- Node context

const char* node_id(const sluice_node_context* c) noexcept { return c ? c->node_id.c_str() : ""; }
sluice_field node_port_field(const sluice_node_context* c, const char* port) noexcept {
  return c ? c->port_field(port) : 0;
}
uint64_t node_seed(const sluice_node_context* c) noexcept { return c ? c->seed : 0; }
int32_t node_threads(const sluice_node_context* c) noexcept { return c ? c->threads : 1; }
const char* node_run_dir(const sluice_node_context* c) noexcept {
  return c ? c->run_dir.c_str() : "";
}
const char* node_output_path(sluice_node_context* c, const char* path) noexcept {
  return c ? c->output_path(path) : nullptr;
}

sluice_status node_resource(const sluice_node_context* c, const char* name, const char* type,
                            void** out) noexcept {
  if (out == nullptr) return error(SLUICE_INVALID_ARGUMENT, "node_resource: no output pointer given");
  *out = nullptr;
  if (c == nullptr || name == nullptr) {
    return error(SLUICE_INVALID_ARGUMENT,
                 "node_resource: expected a node context and a resource name, found NULL");
  }
  if (c->resources == nullptr) {
    return error(SLUICE_NOT_FOUND, std::string("resource '") + name +
                                       "' is not available at load time: resources exist only "
                                       "while the pipeline runs");
  }
  return make_c_status(c->resources->find(name, type ? type : "", out));
}

void node_metric(sluice_node_context* c, const char* name, double value) noexcept {
  if (c && c->metrics && name) c->metrics->set(c->node_id + "." + name, value);
}

void node_log(const sluice_node_context* c, sluice_log_level level, const char* message) noexcept {
  spdlog::level::level_enum spd = spdlog::level::warn;
  switch (level) {
    case SLUICE_LOG_DEBUG:
      spd = spdlog::level::debug;
      break;
    case SLUICE_LOG_INFO:
      spd = spdlog::level::info;
      break;
    case SLUICE_LOG_WARN:
      spd = spdlog::level::warn;
      break;
    case SLUICE_LOG_ERROR:
      spd = spdlog::level::err;
      break;
  }
  spdlog::log(spd, "[{}] {}", c ? c->node_id : std::string("?"), message ? message : "");
}

int node_cancelled(const sluice_node_context* c) noexcept {
  return c && c->cancelled && c->cancelled->load(std::memory_order_relaxed) ? 1 : 0;
}

// ---- Field sets

size_t field_set_size(const sluice_field_set* s) noexcept { return s ? s->fields.size() : 0; }
int field_set_at(const sluice_field_set* s, size_t i, sluice_field* field,
                 sluice_kind* kind) noexcept {
  if (s == nullptr || i >= s->fields.size()) return 0;
  if (field) *field = s->fields[i].first;
  if (kind) *kind = s->fields[i].second;
  return 1;
}
int field_set_find(const sluice_field_set* s, sluice_field field, sluice_kind* kind) noexcept {
  const sluice_kind* k = s ? s->find(field) : nullptr;
  if (k == nullptr) return 0;
  if (kind) *kind = *k;
  return 1;
}
void field_set_put(sluice_field_set* s, sluice_field field, sluice_kind kind) noexcept {
  int k = static_cast<int>(kind);
  if (s == nullptr || !known_field(field) || k < SLUICE_KIND_ANY || k > SLUICE_KIND_BOOL) {
    spdlog::warn("field_set_put: expected a field set, an interned field and a kind, found "
                 "set {}, field {}, kind {}; nothing set",
                 static_cast<const void*>(s), field, k);
    return;
  }
  s->put(field, kind);
}
void field_set_remove(sluice_field_set* s, sluice_field field) noexcept {
  if (s) s->remove(field);
}
// Clearing drops the unlisted fields of an open set too, so the set is closed after.
void field_set_clear(sluice_field_set* s) noexcept {
  if (s == nullptr) return;
  s->fields.clear();
  s->open = false;
}
void field_set_set_open(sluice_field_set* s, int open) noexcept {
  if (s) s->open = open != 0;
}
int field_set_is_open(const sluice_field_set* s) noexcept { return s && s->open ? 1 : 0; }

}  // namespace c_api

sluice_host make_table() {
  using namespace c_api;
  return sluice_host{
      .struct_size = sizeof(sluice_host),
      .abi_major = SLUICE_ABI_MAJOR,
      .abi_minor = SLUICE_ABI_MINOR,
      .status_new = status_new,
      .status_code = status_code,
      .status_message = status_message,
      .status_free = status_free,
      .field_intern = field_intern,
      .field_name = host_field_name,
      .tensor_new = c_api::tensor_new,
      .tensor_wrap = c_api::tensor_wrap,
      .tensor_retain = c_api::tensor_retain,
      .tensor_release = c_api::tensor_release,
      .tensor_info = tensor_info,
      .tensor_is_unique = tensor_is_unique,
      .record_new = record_new,
      .record_clone = record_clone,
      .record_free = record_free,
      .record_get = record_get,
      .record_size = record_size,
      .record_at = record_at,
      .record_set_string = record_set_string,
      .record_set_bytes = record_set_bytes,
      .record_set_int = record_set_int,
      .record_set_float = record_set_float,
      .record_set_bool = record_set_bool,
      .record_set_tensor = record_set_tensor,
      .record_remove = record_remove,
      .record_seed = record_seed,
      .record_position = record_position,
      .record_set_position = record_set_position,
      .emit = emit,
      .param_kind = param_kind,
      .param_bool = param_bool,
      .param_int = param_int,
      .param_float = param_float,
      .param_string = param_string,
      .param_size = param_size,
      .param_at = param_at,
      .param_key_at = param_key_at,
      .param_get = param_get,
      .node_id = node_id,
      .node_port_field = node_port_field,
      .node_seed = node_seed,
      .node_threads = node_threads,
      .node_run_dir = node_run_dir,
      .node_output_path = node_output_path,
      .node_resource = node_resource,
      .node_metric = node_metric,
      .node_log = node_log,
      .node_cancelled = node_cancelled,
      .field_set_size = field_set_size,
      .field_set_at = field_set_at,
      .field_set_find = field_set_find,
      .field_set_put = field_set_put,
      .field_set_remove = field_set_remove,
      .field_set_clear = field_set_clear,
      .field_set_set_open = field_set_set_open,
      .field_set_is_open = field_set_is_open,
  };
}

}  // namespace

const sluice_host* engine_host() {
  static const sluice_host* const table = [] {
    static const sluice_host t = make_table();
    detail::host_slot() = &t;
    return &t;
  }();
  return table;
}

}  // namespace sluice
