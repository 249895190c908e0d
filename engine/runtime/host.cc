#include "engine/runtime/host.h"

#include "engine/runtime/fields.h"
#include "engine/runtime/host_parts.h"

#include <sluice/record.hpp>

#include <string>

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

namespace host_parts {

sluice_status error(sluice_code code, std::string message) {
  return make_c_status(Status(code, std::move(message)));
}

bool known_field(sluice_field f) { return is_interned_field(f); }

}  // namespace host_parts

namespace {

// ---- Status

sluice_status status_new(sluice_code code, const char* message) noexcept {
  if (code == SLUICE_OK) return nullptr;
  std::string text = message ? message : "";
  int value = static_cast<int>(code);
  if (value < SLUICE_INVALID_ARGUMENT || value > SLUICE_INTERNAL) {
    text = "status with unknown code " + std::to_string(value) + ": " + text;
    code = SLUICE_INTERNAL;
  }
  // NOLINTNEXTLINE(bugprone-unhandled-exception-at-new): allocation failure terminates
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

sluice_host make_table() {
  sluice_host t{};
  t.struct_size = sizeof(sluice_host);
  t.abi_major = SLUICE_ABI_MAJOR;
  t.abi_minor = SLUICE_ABI_MINOR;
  t.status_new = &status_new;
  t.status_code = &status_code;
  t.status_message = &status_message;
  t.status_free = &status_free;
  t.field_intern = &field_intern;
  t.field_name = &host_field_name;
  host_parts::fill_data(t);
  host_parts::fill_nodes(t);
  host_parts::fill_layers(t);
  return t;
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
