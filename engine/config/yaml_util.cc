#include "engine/config/yaml_util.h"

#include <map>

namespace sluice {

SourceLoc loc_of(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

SourceLoc loc_or(const YAML::Node& node, SourceLoc fallback) {
  SourceLoc loc = loc_of(node.Mark());
  return loc.line > 0 ? loc : fallback;
}

std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& where,
                                  Diagnostics& diags) {
  std::vector<MapEntry> entries;
  std::map<std::string, SourceLoc> seen;
  for (const auto& kv : map) {
    SourceLoc key_loc = loc_of(kv.first.Mark());
    if (!kv.first.IsScalar()) {
      diags.error(key_loc, where + ": expected a name as key, found " + describe(kv.first));
      continue;
    }
    const std::string& key = kv.first.Scalar();
    if (auto [first, added] = seen.emplace(key, key_loc); !added) {
      diags.error(key_loc, where + ": duplicate key '" + key + "' (first at " +
                               std::to_string(first->second.line) + ":" +
                               std::to_string(first->second.col) + "); expected each key once");
      continue;
    }
    // yaml-cpp marks an empty value at the token after it, so it takes its key's location.
    SourceLoc value_loc = kv.second.IsNull() ? key_loc : loc_or(kv.second, key_loc);
    entries.push_back(MapEntry{key, kv.second, key_loc, value_loc});
  }
  return entries;
}

std::string describe(const YAML::Node& node) {
  constexpr size_t kMaxShown = 60;
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      return "'" + (s.size() > kMaxShown ? s.substr(0, kMaxShown) + "..." : s) + "'";
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "null";
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace sluice
