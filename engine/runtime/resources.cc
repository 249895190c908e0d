#include "engine/runtime/resources.h"

#include "engine/runtime/host.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace sluice {

ResourceTable::~ResourceTable() {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    try {
      it->def->destroy(it->instance);
    } catch (...) {
      spdlog::error("resource '{}' ({}): destroy threw an exception across the C ABI", it->name,
                    it->def->type);
    }
  }
}

Status ResourceTable::create(const std::string& name, const sluice_resource_def* def,
                             const sluice_param* params) {
  if (def == nullptr || def->type == nullptr || def->create == nullptr || def->destroy == nullptr) {
    return Status::Invalid("resource '" + name +
                           "': expected a resource type with a name and create and destroy "
                           "callbacks");
  }
  std::string what = "resource '" + name + "' (" + def->type + ")";
  auto same_name = [&](const Entry& e) { return e.name == name; };
  if (std::any_of(entries_.begin(), entries_.end(), same_name)) {
    return Status::Invalid(what + " is already created in this run");
  }
  void* instance = nullptr;
  Status s;
  try {
    s = take_status(def->create(engine_host(), params, &instance));
  } catch (...) {
    s = Status::Internal("create threw an exception across the C ABI");
  }
  if (!s.ok()) return Status(s.code(), what + ": " + s.message());
  if (instance == nullptr) {
    return Status::Internal(what + ": create returned OK, expected an instance, found NULL");
  }
  entries_.push_back(Entry{name, def, instance});
  return Status();
}

Status ResourceTable::find(const std::string& name, const std::string& type, void** out) const {
  if (out == nullptr) return Status::Invalid("resource '" + name + "': no output pointer given");
  *out = nullptr;
  for (const Entry& e : entries_) {
    if (e.name != name) continue;
    if (!type.empty() && type != e.def->type) {
      return Status::Invalid(
          fmt::format("resource '{}' is of type {}, expected {}", name, e.def->type, type));
    }
    *out = e.instance;
    return Status();
  }
  if (entries_.empty()) {
    return Status::NotFound("resource '" + name + "' is not declared; no resources are declared");
  }
  std::string declared;
  for (const Entry& e : entries_) {
    if (!declared.empty()) declared += ", ";
    declared += e.name;
  }
  return Status::NotFound("resource '" + name +
                          "' is not declared; declared resources: " + declared);
}

}  // namespace sluice
