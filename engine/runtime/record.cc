#include "engine/runtime/record.h"

#include <algorithm>

namespace sluice {

sluice_kind kind_of(const Value& v) {
  struct Visitor {
    sluice_kind operator()(const TensorRef&) const { return SLUICE_KIND_TENSOR; }
    sluice_kind operator()(const std::string&) const { return SLUICE_KIND_STRING; }
    sluice_kind operator()(const Bytes&) const { return SLUICE_KIND_BYTES; }
    sluice_kind operator()(int64_t) const { return SLUICE_KIND_INT; }
    sluice_kind operator()(double) const { return SLUICE_KIND_FLOAT; }
    sluice_kind operator()(bool) const { return SLUICE_KIND_BOOL; }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace sluice

const sluice::Value* sluice_record_s::find(sluice_field f) const {
  for (const auto& [field, value] : fields) {
    if (field == f) return &value;
  }
  return nullptr;
}

sluice::Value* sluice_record_s::find(sluice_field f) {
  return const_cast<sluice::Value*>(std::as_const(*this).find(f));
}

void sluice_record_s::set(sluice_field f, sluice::Value v) {
  if (sluice::Value* existing = find(f)) {
    *existing = std::move(v);
  } else {
    fields.emplace_back(f, std::move(v));
  }
}

void sluice_record_s::remove(sluice_field f) {
  auto it = std::find_if(fields.begin(), fields.end(), [f](const auto& e) { return e.first == f; });
  if (it != fields.end()) fields.erase(it);
}
