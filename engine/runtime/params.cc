#include "engine/runtime/params.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace sluice {
namespace {

constexpr const char* kStrTag = "tag:yaml.org,2002:str";

bool is_digits(std::string_view s, bool (*digit)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!digit(c)) return false;
  }
  return true;
}
bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string_view strip_sign(std::string_view s) {
  return !s.empty() && (s[0] == '+' || s[0] == '-') ? s.substr(1) : s;
}

// YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float_literal(std::string_view s) {
  s = strip_sign(s);
  size_t i = 0;
  while (i < s.size() && is_dec(s[i])) ++i;
  size_t int_digits = i;
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_dec(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::string_view exp = strip_sign(s.substr(i + 1));
    return is_digits(exp, is_dec);
  }
  return i == s.size();
}

std::optional<double> special_float(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  std::string_view body = strip_sign(s);
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    return negative ? -HUGE_VAL : HUGE_VAL;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::nan("");
  return std::nullopt;
}

ParamTree make_string(std::string s) {
  ParamTree p;
  p.kind = SLUICE_PARAM_STRING;
  p.s = std::move(s);
  return p;
}

// A plain (unquoted, non-null) scalar, resolved per the YAML 1.2 core schema.
ParamTree plain_scalar(const std::string& text) {
  ParamTree p;
  std::string_view s = text;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    p.kind = SLUICE_PARAM_BOOL;
    p.b = s[0] == 't' || s[0] == 'T';
    return p;
  }
  std::string_view digits = strip_sign(s);
  bool negative = !s.empty() && s[0] == '-';
  int base = 0;
  if (is_digits(digits, is_dec)) {
    base = 10;
  } else if (s.size() > 2 && s.substr(0, 2) == "0x" && is_digits(s.substr(2), is_hex)) {
    base = 16, digits = s.substr(2);
  } else if (s.size() > 2 && s.substr(0, 2) == "0o" && is_digits(s.substr(2), is_oct)) {
    base = 8, digits = s.substr(2);
  }
  if (base != 0) {
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (ec == std::errc() && end == digits.data() + digits.size() && magnitude <= limit) {
      p.kind = SLUICE_PARAM_INT;
      p.i = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
      return p;
    }
    if (base != 10) return make_string(text);  // out of range: keep the text
  }
  if (std::optional<double> special = special_float(s)) {
    p.kind = SLUICE_PARAM_FLOAT;
    p.f = *special;
    return p;
  }
  if (is_float_literal(s)) {
    std::string_view body = s[0] == '+' ? s.substr(1) : s;
    double value = 0;
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (ec == std::errc() && end == body.data() + body.size()) {
      p.kind = SLUICE_PARAM_FLOAT;
      p.f = value;
      return p;
    }
  }
  // Anything else, including numbers beyond the range of a double, stays text.
  return make_string(text);
}

std::string float_text(double f) {
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f < 0 ? "-.inf" : ".inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), f);
  std::string out(buf, end);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

}  // namespace

ParamTree param_from_yaml(const YAML::Node& node) {
  ParamTree p;
  if (!node.IsDefined() || node.IsNull()) return p;
  if (node.IsScalar()) {
    if (node.Tag() == "!" || node.Tag() == kStrTag) return make_string(node.Scalar());
    return plain_scalar(node.Scalar());
  }
  if (node.IsSequence()) {
    p.kind = SLUICE_PARAM_LIST;
    p.list.reserve(node.size());
    for (const auto& e : node) p.list.push_back(param_from_yaml(e));
    return p;
  }
  p.kind = SLUICE_PARAM_MAP;
  for (const auto& kv : node) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
    p.map.emplace_back(std::move(key), param_from_yaml(kv.second));
  }
  return p;
}

YAML::Node param_to_yaml(const ParamTree& p) {
  switch (p.kind) {
    case SLUICE_PARAM_BOOL:
      return YAML::Node(p.b);
    case SLUICE_PARAM_INT:
      return YAML::Node(p.i);
    case SLUICE_PARAM_FLOAT:
      return YAML::Node(float_text(p.f));
    case SLUICE_PARAM_STRING: {
      YAML::Node n(p.s);
      // A string that would read back as another kind is tagged !!str so it stays a string.
      if (plain_scalar(p.s).kind != SLUICE_PARAM_STRING) n.SetTag(kStrTag);
      return n;
    }
    case SLUICE_PARAM_LIST: {
      YAML::Node n(YAML::NodeType::Sequence);
      for (const auto& e : p.list) n.push_back(param_to_yaml(e));
      return n;
    }
    case SLUICE_PARAM_MAP: {
      YAML::Node n(YAML::NodeType::Map);
      for (const auto& [key, value] : p.map) n[key] = param_to_yaml(value);
      return n;
    }
    case SLUICE_PARAM_NULL:
      break;
  }
  return YAML::Node(YAML::NodeType::Null);
}

}  // namespace sluice

sluice_param_s::sluice_param_s() = default;

const sluice_param_s* sluice_param_s::get(const std::string& key) const {
  if (kind != SLUICE_PARAM_MAP) return nullptr;
  for (const auto& [k, v] : map) {
    if (k == key) return &v;
  }
  return nullptr;
}
