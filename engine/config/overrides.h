// `--set KEY=VALUE` overrides, sorted by what they set (the rules are in pipeline.h). Internal to
// engine/config.
#pragma once

#include "engine/config/diagnostics.h"
#include "engine/config/pipeline.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

namespace sluice {

struct NodeOverride {
  std::string node;
  std::string param;
  std::string origin;  // "--set NODE.PARAM", for messages
  YAML::Node value;
  bool applied = false;
};

struct SortedOverrides {
  std::vector<std::pair<std::string, YAML::Node>> params;  // declared pipeline params
  std::vector<NodeOverride> nodes;
};

// A KEY in `declared` sets that pipeline param; another KEY with a dot sets NODE.PARAM; any other
// KEY is reported with the declared params. Command-line order is kept, so the last of two
// overrides of one key wins.
SortedOverrides sort_overrides(const Overrides& overrides, const std::vector<std::string>& declared,
                               Diagnostics& diags);

// Reports each node override that no node took, with the closest of `node_ids`.
void report_unapplied(const std::vector<NodeOverride>& overrides,
                      const std::vector<std::string>& node_ids, Diagnostics& diags);

}  // namespace sluice
