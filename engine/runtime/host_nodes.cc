#include "engine/runtime/field_set.h"
#include "engine/runtime/host.h"
#include "engine/runtime/host_parts.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/params.h"
#include "engine/runtime/resources.h"

#include <spdlog/spdlog.h>

#include <string>

namespace sluice::host_parts {
namespace {

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
  return p && p->kind == SLUICE_PARAM_MAP && i < p->map.size() ? p->map[i].first.c_str() : nullptr;
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
  if (out == nullptr)
    return error(SLUICE_INVALID_ARGUMENT, "node_resource: no output pointer given");
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

int node_resuming(const sluice_node_context* c) noexcept { return c && c->resuming ? 1 : 0; }

void node_reject_position(sluice_node_context* c, int64_t position) noexcept {
  if (c) c->reject_position = position;
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
    spdlog::warn(
        "field_set_put: expected a field set, an interned field and a kind, found "
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

}  // namespace

void fill_nodes(sluice_host& t) {
  t.param_kind = &param_kind;
  t.param_bool = &param_bool;
  t.param_int = &param_int;
  t.param_float = &param_float;
  t.param_string = &param_string;
  t.param_size = &param_size;
  t.param_at = &param_at;
  t.param_key_at = &param_key_at;
  t.param_get = &param_get;
  t.node_id = &node_id;
  t.node_port_field = &node_port_field;
  t.node_seed = &node_seed;
  t.node_threads = &node_threads;
  t.node_run_dir = &node_run_dir;
  t.node_output_path = &node_output_path;
  t.node_resource = &node_resource;
  t.node_metric = &node_metric;
  t.node_log = &node_log;
  t.node_cancelled = &node_cancelled;
  t.field_set_size = &field_set_size;
  t.field_set_at = &field_set_at;
  t.field_set_find = &field_set_find;
  t.field_set_put = &field_set_put;
  t.field_set_remove = &field_set_remove;
  t.field_set_clear = &field_set_clear;
  t.field_set_set_open = &field_set_set_open;
  t.field_set_is_open = &field_set_is_open;
  t.node_reject_position = &node_reject_position;
  t.node_resuming = &node_resuming;
}

}  // namespace sluice::host_parts
