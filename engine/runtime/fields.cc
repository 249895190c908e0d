#include "engine/runtime/fields.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace sluice {
namespace {

class FieldTable {
 public:
  sluice_field intern(std::string_view name) {
    {
      std::shared_lock lock(mu_);
      if (auto it = ids_.find(name); it != ids_.end()) return it->second;
    }
    std::unique_lock lock(mu_);
    if (auto it = ids_.find(name); it != ids_.end()) return it->second;
    const std::string& stored = names_.emplace_back(name);
    auto id = static_cast<sluice_field>(names_.size());
    ids_.emplace(stored, id);
    count_.store(id, std::memory_order_release);
    return id;
  }

  // Lock-free: ids are handed out densely and never taken back.
  bool known(sluice_field id) const {
    return id != 0 && id <= count_.load(std::memory_order_acquire);
  }

  const char* name(sluice_field id) const {
    std::shared_lock lock(mu_);
    if (id == 0 || id > names_.size()) return "";
    return names_[id - 1].c_str();
  }

 private:
  mutable std::shared_mutex mu_;
  std::deque<std::string> names_;  // id - 1 -> name; elements never move
  std::unordered_map<std::string_view, sluice_field> ids_;
  std::atomic<sluice_field> count_{0};  // ids 1..count_ are interned
};

// Never destroyed: names must outlive every static destructor that might still print one.
FieldTable& table() {
  static auto* t = new FieldTable;
  return *t;
}

}  // namespace

sluice_field intern_field(std::string_view name) {
  if (name.empty()) return 0;
  return table().intern(name);
}

const char* field_name(sluice_field id) { return table().name(id); }

bool is_interned_field(sluice_field id) { return table().known(id); }

}  // namespace sluice
