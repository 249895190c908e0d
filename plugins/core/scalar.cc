#include "core/scalar.h"

#include <charconv>
#include <cmath>

namespace sluice::core {
namespace {

template <class T>
int order(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

Expected<Scalar> scalar_from(const Param& p, const std::string& what) {
  switch (p.kind()) {
    case SLUICE_PARAM_INT: return Scalar(p.as<int64_t>());
    case SLUICE_PARAM_FLOAT: return Scalar(p.as<double>());
    case SLUICE_PARAM_BOOL: return Scalar(p.as<bool>());
    case SLUICE_PARAM_STRING: return Scalar(p.as<std::string>());
    case SLUICE_PARAM_NULL: return Status::Invalid(what + ": expected a value, found none");
    default: return Status::Invalid(what + ": expected an int, float, bool or string, found a " +
                                    (p.kind() == SLUICE_PARAM_LIST ? "list" : "map"));
  }
}

std::string scalar_text(const Scalar& s) {
  if (const auto* i = std::get_if<int64_t>(&s)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&s)) return *b ? "true" : "false";
  if (const auto* str = std::get_if<std::string>(&s)) return "\"" + *str + "\"";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), std::get<double>(s));
  return std::string(buf, end);
}

sluice_kind scalar_kind(const Scalar& s) {
  switch (s.index()) {
    case 0: return SLUICE_KIND_INT;
    case 1: return SLUICE_KIND_FLOAT;
    case 2: return SLUICE_KIND_BOOL;
    default: return SLUICE_KIND_STRING;
  }
}

void set_scalar(Record& r, Field f, const Scalar& s) {
  if (const auto* i = std::get_if<int64_t>(&s)) return r.set_int(f, *i);
  if (const auto* d = std::get_if<double>(&s)) return r.set_float(f, *d);
  if (const auto* b = std::get_if<bool>(&s)) return r.set_bool(f, *b);
  r.set_string(f, std::get<std::string>(s));
}

Expected<int> compare(Field f, const sluice_value_view& v, const Scalar& s) {
  const bool number_field = v.kind == SLUICE_KIND_INT || v.kind == SLUICE_KIND_FLOAT;
  if (number_field && std::holds_alternative<int64_t>(s) && v.kind == SLUICE_KIND_INT) {
    return order(v.i, std::get<int64_t>(s));
  }
  if (number_field && (std::holds_alternative<int64_t>(s) || std::holds_alternative<double>(s))) {
    const double a = v.kind == SLUICE_KIND_INT ? static_cast<double>(v.i) : v.f;
    const double b = std::holds_alternative<int64_t>(s)
                         ? static_cast<double>(std::get<int64_t>(s))
                         : std::get<double>(s);
    if (std::isnan(a)) {
      return Status::BadRecord(std::string("field '") + f.name() +
                               "': expected a number to compare with " + scalar_text(s) +
                               ", found NaN");
    }
    return order(a, b);
  }
  if (v.kind == SLUICE_KIND_BOOL && std::holds_alternative<bool>(s)) {
    return order(v.i != 0, std::get<bool>(s));
  }
  if (v.kind == SLUICE_KIND_STRING && std::holds_alternative<std::string>(s)) {
    return order(std::string_view(v.data, v.size), std::string_view(std::get<std::string>(s)));
  }
  const char* expected = std::holds_alternative<std::string>(s) ? "a string"
                         : std::holds_alternative<bool>(s)      ? "a bool"
                                                                : "an int or float";
  return Status::BadRecord(std::string("field '") + f.name() + "': expected " + expected +
                           " to compare with " + scalar_text(s) + ", found " +
                           (v.kind == SLUICE_KIND_ANY ? "no such field" : kind_name(v.kind)));
}

}  // namespace sluice::core
