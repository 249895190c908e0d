// resolve_params(): given params checked against a param schema, with defaults applied.
#include "engine/config/pipeline.h"
#include "engine/config/yaml_util.h"

#include <sluice/schema.hpp>

#include <algorithm>
#include <cmath>

namespace sluice {
namespace {

std::string range_text(const sluice_param_def& d) {
  if (d.has_min && d.has_max) {
    return " in [" + shortest_number_text(d.min) + ", " + shortest_number_text(d.max) + "]";
  }
  if (d.has_min) return " >= " + shortest_number_text(d.min);
  if (d.has_max) return " <= " + shortest_number_text(d.max);
  return "";
}

std::vector<std::string> choices_of(const sluice_param_def& d) {
  std::vector<std::string> out;
  for (const char* const* c = d.choices; c != nullptr && *c != nullptr; ++c) out.emplace_back(*c);
  return out;
}

std::string choices_text(const sluice_param_def& d) {
  std::string out;
  for (const std::string& c : choices_of(d)) out += (out.empty() ? "'" : ", '") + c + "'";
  return out;
}

// What a value of `type` (with `element` for lists and maps) must be, as in "expected ...":
// singular ("an int >= 1") or plural ("ints >= 1").
std::string expected_text(const sluice_param_def& d, sluice_param_type type,
                          sluice_param_type element, bool plural) {
  switch (type) {
    case SLUICE_PTYPE_BOOL:
      return plural ? "bools" : "a bool";
    case SLUICE_PTYPE_INT:
      return (plural ? "ints" : "an int") + range_text(d);
    case SLUICE_PTYPE_FLOAT:
      return (plural ? "floats" : "a float") + range_text(d);
    case SLUICE_PTYPE_STRING:
      if (!choices_of(d).empty()) {
        return (plural ? "strings, each one of " : "one of ") + choices_text(d);
      }
      return plural ? "strings" : "a string";
    case SLUICE_PTYPE_RESOURCE: {
      std::string text = plural ? "names of resources" : "the name of a resource";
      if (d.resource_type != nullptr && *d.resource_type != '\0') {
        text += std::string(" of type '") + d.resource_type + "'";
      }
      return text;
    }
    case SLUICE_PTYPE_LIST:
      return plural ? "lists" : "a list of " + expected_text(d, element, SLUICE_PTYPE_ANY, true);
    case SLUICE_PTYPE_MAP:
      return plural ? "maps"
                    : "a map of names to " + expected_text(d, element, SLUICE_PTYPE_ANY, true);
    case SLUICE_PTYPE_ANY:
      break;
  }
  return plural ? "values" : "any value";
}

std::string found_text(const ParamTree& v) {
  constexpr size_t kMaxShown = 60;
  switch (v.kind) {
    case SLUICE_PARAM_BOOL:
      return v.b ? "true" : "false";
    case SLUICE_PARAM_INT:
      return std::to_string(v.i);
    case SLUICE_PARAM_FLOAT:
      return shortest_number_text(v.f);
    case SLUICE_PARAM_STRING:
      return "'" + (v.s.size() > kMaxShown ? v.s.substr(0, kMaxShown) + "..." : v.s) + "'";
    case SLUICE_PARAM_LIST:
      return "a list";
    case SLUICE_PARAM_MAP:
      return "a map";
    case SLUICE_PARAM_NULL:
      break;
  }
  return "null";
}

// Ints where the schema wants floats become floats, so ops and resolved files see one kind.
void promote_floats(ParamTree& v, sluice_param_type type, sluice_param_type element) {
  if (type == SLUICE_PTYPE_FLOAT && v.kind == SLUICE_PARAM_INT) {
    v.kind = SLUICE_PARAM_FLOAT;
    v.f = static_cast<double>(v.i);
  } else if (type == SLUICE_PTYPE_LIST && v.kind == SLUICE_PARAM_LIST) {
    for (ParamTree& item : v.list) promote_floats(item, element, SLUICE_PTYPE_ANY);
  } else if (type == SLUICE_PTYPE_MAP && v.kind == SLUICE_PARAM_MAP) {
    for (auto& [key, item] : v.map) promote_floats(item, element, SLUICE_PTYPE_ANY);
  }
}

ParamTree default_of(const sluice_param_def& d) {
  ParamTree v;
  try {
    v = param_from_yaml(YAML::Load(d.default_value));
  } catch (const YAML::Exception&) {
    // The registry refuses plugins whose defaults are not YAML; null is all that is left.
  }
  promote_floats(v, d.type, d.element);
  return v;
}

// Checks one given param, its list elements and map values against a param schema.
class ParamChecker {
 public:
  ParamChecker(const sluice_param_def& def, const std::string& what, const ResourceTypes* resources,
               Diagnostics& diags)
      : def_(def), what_(what), resources_(resources), diags_(diags) {}

  // `value` was read from `node`, which is at `loc`.
  bool check(const YAML::Node& node, const ParamTree& value, SourceLoc loc) {
    return check(node, value, def_.type, def_.element, loc, def_.name);
  }

 private:
  bool check(const YAML::Node& node, const ParamTree& value, sluice_param_type type,
             sluice_param_type element, SourceLoc loc, const std::string& path) {
    auto fail = [&](const std::string& detail = "") {
      diags_.error(loc, "param '" + path + "' of " + what_ + ": expected " +
                            expected_text(def_, type, element, false) + ", found " +
                            found_text(value) + detail);
      return false;
    };
    switch (type) {
      case SLUICE_PTYPE_BOOL:
        return value.kind == SLUICE_PARAM_BOOL || fail();
      case SLUICE_PTYPE_INT:
        return (value.kind == SLUICE_PARAM_INT && in_range(static_cast<double>(value.i))) || fail();
      case SLUICE_PTYPE_FLOAT:
        return (value.kind == SLUICE_PARAM_INT && in_range(static_cast<double>(value.i))) ||
               (value.kind == SLUICE_PARAM_FLOAT && in_range(value.f)) || fail();
      case SLUICE_PTYPE_STRING: {
        if (value.kind != SLUICE_PARAM_STRING) return fail();
        std::vector<std::string> choices = choices_of(def_);
        if (choices.empty() ||
            std::find(choices.begin(), choices.end(), value.s) != choices.end()) {
          return true;
        }
        return fail(did_you_mean(value.s, choices));
      }
      case SLUICE_PTYPE_RESOURCE:
        if (value.kind != SLUICE_PARAM_STRING) return fail();
        return resources_ == nullptr || check_resource(value.s, fail);
      case SLUICE_PTYPE_LIST: {
        if (value.kind != SLUICE_PARAM_LIST || !node.IsSequence()) return fail();
        bool ok = true;
        size_t i = 0;
        for (const YAML::Node& item : node) {
          if (i == value.list.size()) break;
          ok = check(item, value.list[i], element, SLUICE_PTYPE_ANY, loc_or(item, loc),
                     path + "[" + std::to_string(i) + "]") &&
               ok;
          ++i;
        }
        return ok;
      }
      case SLUICE_PTYPE_MAP: {
        if (value.kind != SLUICE_PARAM_MAP || !node.IsMap()) return fail();
        bool ok = true;
        size_t i = 0;
        for (const auto& kv : node) {
          if (i == value.map.size()) break;
          const auto& [key, item] = value.map[i];
          ok = check(kv.second, item, element, SLUICE_PTYPE_ANY, loc_or(kv.second, loc),
                     path + "." + key) &&
               ok;
          ++i;
        }
        return ok;
      }
      case SLUICE_PTYPE_ANY:
        break;
    }
    return true;
  }

  bool in_range(double v) const {
    if ((def_.has_min || def_.has_max) && std::isnan(v)) return false;
    return !(def_.has_min && v < def_.min) && !(def_.has_max && v > def_.max);
  }

  template <class Fail>
  bool check_resource(const std::string& name, Fail& fail) const {
    auto it = resources_->find(name);
    if (it == resources_->end()) {
      std::vector<std::string> declared;
      for (const auto& [n, type] : *resources_) declared.push_back(n);
      std::string hint = did_you_mean(name, declared);
      if (hint.empty()) {
        hint = declared.empty() ? "; the pipeline declares no resources"
                                : "; declared resources: " + join(declared);
      }
      return fail(", which is not declared" + hint);
    }
    const std::string expected = def_.resource_type != nullptr ? def_.resource_type : "";
    if (it->second.empty() || expected.empty() || it->second == expected) return true;
    return fail(", a resource of type '" + it->second + "'");
  }

  const sluice_param_def& def_;
  const std::string& what_;
  const ResourceTypes* resources_;
  Diagnostics& diags_;
};

}  // namespace

ParamTree resolve_params(const sluice_param_def* const* defs, size_t count,
                         const std::vector<std::pair<std::string, ParamDecl>>& given,
                         const std::string& what, SourceLoc owner_loc, Diagnostics& diags,
                         const ResourceTypes* resources) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.emplace_back(defs[i]->name);
  for (const auto& [name, decl] : given) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string hint = did_you_mean(name, names);
    if (hint.empty()) {
      hint = names.empty() ? "; it takes no params" : "; expected one of: " + join(names);
    }
    diags.error(decl.key_loc, what + " has no param '" + name + "'" + hint);
  }

  ParamTree out;
  out.kind = SLUICE_PARAM_MAP;
  for (size_t i = 0; i < count; ++i) {
    const sluice_param_def& def = *defs[i];
    auto it = std::find_if(given.begin(), given.end(),
                           [&](const auto& g) { return g.first == def.name; });
    if (it == given.end()) {
      if (def.default_value != nullptr) {
        out.map.emplace_back(def.name, default_of(def));
      } else {
        diags.error(owner_loc, what + ": missing required param '" + std::string(def.name) +
                                   "': expected " +
                                   expected_text(def, def.type, def.element, false));
      }
      continue;
    }
    const ParamDecl& decl = it->second;
    ParamTree value = param_from_yaml(decl.value);
    // null stands for "unset" where that is the default.
    bool unset_allowed = value.kind == SLUICE_PARAM_NULL && def.default_value != nullptr &&
                         default_of(def).kind == SLUICE_PARAM_NULL;
    if (unset_allowed ||
        ParamChecker(def, what, resources, diags).check(decl.value, value, decl.loc)) {
      promote_floats(value, def.type, def.element);
      out.map.emplace_back(def.name, std::move(value));
    }
  }
  return out;
}

}  // namespace sluice
