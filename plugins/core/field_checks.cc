#include "core/field_checks.h"

namespace sluice::core {

Expected<sluice_kind> upstream_kind(const FieldSet& fields, const std::string& name,
                                    const char* param) {
  Field f = Field::named(name);
  std::string listed;
  for (size_t i = 0; i < fields.size(); ++i) {
    sluice_kind kind = SLUICE_KIND_ANY;
    Field g = fields.at(i, &kind);
    if (g == f) return kind;
    listed += std::string(listed.empty() ? "" : ", ") + g.name();
  }
  if (fields.is_open()) return SLUICE_KIND_ANY;
  return Status::Invalid(std::string("param '") + param + "': expected a field written upstream (" +
                         (listed.empty() ? "none is" : listed + " are") + "), found '" + name +
                         "'");
}

}  // namespace sluice::core
