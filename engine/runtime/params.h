// Engine side of sluice_param: an immutable tree of param values, built from YAML after the
// loader has checked it against the schema and applied defaults. Map keys keep YAML order.
#pragma once

#include <sluice/plugin.h>

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct sluice_param_s {
  sluice_param_kind kind = SLUICE_PARAM_NULL;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<sluice_param_s> list;                        // LIST
  std::vector<std::pair<std::string, sluice_param_s>> map;  // MAP

  // Defined out of line, where the type is complete: clang with libstdc++ rejects the implicit
  // one (it instantiates map's destructor while sluice_param_s is still incomplete).
  sluice_param_s();

  const sluice_param_s* get(const std::string& key) const;
};

namespace sluice {

using ParamTree = sluice_param_s;

// Converts a YAML node: null/~ -> NULL; true/false -> BOOL; integers -> INT; other numbers ->
// FLOAT; other scalars -> STRING (quoted scalars always STRING); sequences -> LIST; maps -> MAP.
ParamTree param_from_yaml(const YAML::Node& node);
YAML::Node param_to_yaml(const ParamTree& p);

}  // namespace sluice
