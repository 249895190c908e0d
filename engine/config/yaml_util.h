// Reading parsed YAML with source locations: the helpers the pipeline loader and checks share.
// Internal to engine/config.
#pragma once

#include "engine/config/diagnostics.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sluice {

// 1-based location of a yaml-cpp mark; {0, 0} for a node made in memory (no mark).
SourceLoc loc_of(const YAML::Mark& mark);
// The node's location, or `fallback` when it has none.
SourceLoc loc_or(const YAML::Node& node, SourceLoc fallback);

struct MapEntry {
  std::string key;
  YAML::Node value;
  SourceLoc key_loc;
  SourceLoc value_loc;  // the key's location when the value is empty
};

// The entries of `map` (which must be a map), in file order. A non-string key or a repeated key is
// reported (`where` names the map in messages: "node 'read'") and its entry left out.
std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& where,
                                  Diagnostics& diags);

// How a found value reads in messages: "a map", "a list", "null", "'text'".
std::string describe(const YAML::Node& node);

// "a, b, c".
std::string join(const std::vector<std::string>& words);

}  // namespace sluice
