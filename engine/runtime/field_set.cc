#include "engine/runtime/field_set.h"

#include <algorithm>

const sluice_kind* sluice_field_set_s::find(sluice_field f) const {
  for (const auto& [field, kind] : fields) {
    if (field == f) return &kind;
  }
  return nullptr;
}

void sluice_field_set_s::put(sluice_field f, sluice_kind k) {
  for (auto& [field, kind] : fields) {
    if (field == f) {
      kind = k;
      return;
    }
  }
  fields.emplace_back(f, k);
}

void sluice_field_set_s::remove(sluice_field f) {
  auto it = std::find_if(fields.begin(), fields.end(), [f](const auto& e) { return e.first == f; });
  if (it != fields.end()) fields.erase(it);
}
