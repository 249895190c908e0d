#include "engine/config/substitute.h"

#include "engine/config/yaml_util.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace sluice {
namespace {

constexpr const char* kShareBuiltin = "SLUICE_SHARE";
constexpr const char* kNonSpecificTag = "!";  // what yaml-cpp gives a quoted scalar: a string

YAML::Node string_node(const std::string& text) {
  YAML::Node n(text);
  n.SetTag(kNonSpecificTag);
  return n;
}

std::string message(const std::string& where, const std::string& text) {
  return where.empty() ? text : where + ": " + text;
}

}  // namespace

Substituter::Substituter(const std::vector<std::pair<std::string, YAML::Node>>& params,
                         Diagnostics& diags)
    : params_(params), diags_(diags) {}

YAML::Node Substituter::value(const YAML::Node& raw, SourceLoc loc, const std::string& where) {
  SourceLoc here = loc_or(raw, loc);
  switch (raw.Type()) {
    case YAML::NodeType::Scalar:
      return scalar(raw, here, where);
    case YAML::NodeType::Sequence: {
      std::vector<YAML::Node> items;
      bool changed = false;
      for (const YAML::Node& item : raw) {
        items.push_back(value(item, here, where));
        changed = changed || !items.back().is(item);
      }
      if (!changed) return raw;
      YAML::Node out(YAML::NodeType::Sequence);
      for (const YAML::Node& item : items) out.push_back(item);
      return out;
    }
    case YAML::NodeType::Map: {
      std::vector<std::pair<YAML::Node, YAML::Node>> entries;
      bool changed = false;
      for (const auto& kv : raw) {
        entries.emplace_back(kv.first, value(kv.second, here, where));
        changed = changed || !entries.back().second.is(kv.second);
      }
      if (!changed) return raw;
      YAML::Node out(YAML::NodeType::Map);
      for (const auto& [key, item] : entries) out.force_insert(key, item);
      return out;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return raw;
}

YAML::Node Substituter::scalar(const YAML::Node& raw, SourceLoc loc, const std::string& where) {
  const std::string& s = raw.Scalar();
  if (s.find("${") == std::string::npos) return raw;
  // A whole-string reference keeps a param's YAML type.
  if (s.size() > 3 && s.compare(0, 2, "${") == 0 && s.find('}') == s.size() - 1) {
    std::string name = s.substr(2, s.size() - 3);
    if (const YAML::Node* param = find_param(name)) return *param;
    if (std::optional<std::string> text = outside_value(name)) return string_node(*text);
    unknown(name, loc, where);
    return raw;
  }
  std::string out;
  bool ok = true;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
    } else if (s.compare(i, 2, "${") == 0) {
      size_t end = s.find('}', i + 2);
      if (end == std::string::npos) {
        diags_.error(loc, message(where, fmt::format("unterminated reference in '{}': expected "
                                                     "'}}' after '${{', found the end of the "
                                                     "string (write '$${{' for a literal '${{')",
                                                     s)));
        return raw;
      }
      std::optional<std::string> text = text_of(s.substr(i + 2, end - i - 2), s, loc, where);
      ok = ok && text.has_value();
      if (text) out += *text;
      i = end + 1;
    } else {
      out += s[i++];
    }
  }
  return ok ? string_node(out) : raw;
}

std::optional<std::string> Substituter::text_of(const std::string& name, const std::string& in,
                                                SourceLoc loc, const std::string& where) {
  if (const YAML::Node* param = find_param(name)) {
    if (param->IsScalar() || param->IsNull()) return param->Scalar();
    diags_.error(loc, message(where, fmt::format("'${{{0}}}' inside '{1}': expected a scalar "
                                                 "param there, found {2} (only a whole-string "
                                                 "'${{{0}}}' can take a list or map)",
                                                 name, in, describe(*param))));
    return std::nullopt;
  }
  if (std::optional<std::string> text = outside_value(name)) return text;
  unknown(name, loc, where);
  return std::nullopt;
}

const YAML::Node* Substituter::find_param(const std::string& name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::optional<std::string> Substituter::outside_value(const std::string& name) {
  if (name == kShareBuiltin) return share_dir();
  if (name.empty()) return std::nullopt;
  if (const char* env = std::getenv(name.c_str())) return std::string(env);
  return std::nullopt;
}

void Substituter::unknown(const std::string& name, SourceLoc loc, const std::string& where) {
  std::vector<std::string> declared;
  for (const auto& [key, value] : params_) declared.push_back(key);
  std::vector<std::string> known = declared;
  known.emplace_back(kShareBuiltin);
  diags_.error(loc, message(where, fmt::format("unknown name '${{{}}}'{}: expected a pipeline "
                                               "param ({}), the built-in {} or an environment "
                                               "variable",
                                               name, did_you_mean(name, known),
                                               declared.empty() ? "none declared"
                                                                : "declared: " + join(declared),
                                               kShareBuiltin)));
}

std::string escape_references(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) out += '$';
    out += text[i];
  }
  return out;
}

std::string share_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / SLUICE_INSTALL_SHARE_SUBDIR;
    if (fs::is_directory(installed, ec)) return installed.lexically_normal().string();
  }
  return SLUICE_SOURCE_SHARE_DIR;
}

}  // namespace sluice
