// The pipeline model: what a pipeline file says, with source locations, after `${name}`
// substitution and `--set` overrides. validate_pipeline() then resolves ops and params.
//
// File format (version 1):
//   sluice: 1                       # format version (required)
//   name: sms-spam                  # required; [A-Za-z0-9_.-]+
//   seed: 7                         # optional run seed (default 0); --seed overrides
//   on_error: fail                  # default for nodes: fail | skip
//   params: {data: "x.tsv"}         # values for ${data}; --set data=y overrides
//   resources: {vocab: {type: text.vocabulary, min_count: 2}}   # other keys are params
//   stages:
//     - name: build-vocab           # unique; [A-Za-z0-9_.-]+
//       nodes:
//         - id: read                # unique in the pipeline; [A-Za-z0-9_-]+
//           op: io.read_csv
//           params: {...}
//           from: other_node        # upstream node; default: the previous node in the list,
//                                   # none for a source op
//           inputs: {text: body}    # input port -> field (default: the port's own name)
//           outputs: {ids: body_ids}
//           on_error: skip
// Resource names follow the node id rule and are unique.
//
// `${name}` in any string value (not in keys) is replaced by a pipeline param, then a built-in
// (SLUICE_SHARE: <executable dir>/../share/sluice when it exists, else the source tree's share/),
// then an environment variable. A string that is exactly `${name}` takes the param's YAML value
// and type; anywhere else the param must be a scalar and the result is a string. Built-ins and
// environment variables are strings. A pipeline param may refer to the params declared before it.
// `$${` is a literal `${`.
//
// `--set KEY=VALUE` (VALUE read as YAML) sets params.KEY, which must be declared in the file;
// `--set NODE.PARAM=VALUE` sets (or adds) param PARAM of node NODE. A KEY that is a declared
// param takes precedence over the NODE.PARAM reading.
#pragma once

#include "engine/config/diagnostics.h"
#include "engine/plugin/registry.h"
#include "engine/runtime/params.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

enum class OnError { kFail, kSkip };

struct ParamDecl {
  YAML::Node value;  // as written, after substitution
  SourceLoc loc;     // of the value
  SourceLoc key_loc;
};

struct NodeDecl {
  std::string id;
  SourceLoc loc;
  std::string op;
  SourceLoc op_loc;
  std::vector<std::pair<std::string, ParamDecl>> params;  // file order
  std::string from;                                       // explicit upstream id, or ""
  SourceLoc from_loc;
  std::vector<std::pair<std::string, std::string>> input_bindings;   // port -> field
  std::vector<std::pair<std::string, std::string>> output_bindings;  // port -> field
  std::map<std::string, SourceLoc> binding_locs;        // "in.port" / "out.port" -> port key
  std::map<std::string, SourceLoc> binding_field_locs;  // "in.port" / "out.port" -> field value
  OnError on_error = OnError::kFail;

  // Filled by validate_pipeline():
  const OpInfo* op_info = nullptr;
  ParamTree resolved;  // every param, defaults applied
  int upstream = -1;   // index in the stage's nodes, -1 for none
};

struct StageDecl {
  std::string name;
  SourceLoc loc;
  std::vector<NodeDecl> nodes;
};

struct ResourceDecl {
  std::string name;
  SourceLoc loc;
  std::string type;
  SourceLoc type_loc;
  std::vector<std::pair<std::string, ParamDecl>> params;
  // Filled by validate_pipeline():
  const ResourceTypeInfo* type_info = nullptr;
  ParamTree resolved;
};

struct Pipeline {
  std::string file;  // as given
  int version = 0;
  std::string name;
  uint64_t seed = 0;
  OnError on_error = OnError::kFail;
  std::vector<std::pair<std::string, YAML::Node>> params;  // after --set
  std::vector<ResourceDecl> resources;
  std::vector<StageDecl> stages;
};

// KEY=VALUE overrides, in command-line order.
using Overrides = std::vector<std::pair<std::string, std::string>>;

// Parses and substitutes; reports every structural problem (YAML syntax, unknown keys, missing
// required keys, bad types, duplicate ids, unknown ${name}, bad --set) to `diags`. Returns the
// model when it could be built, even with errors reported.
std::optional<Pipeline> load_pipeline_file(const std::string& path, const Overrides& overrides,
                                           Diagnostics& diags);
std::optional<Pipeline> load_pipeline_text(const std::string& text, const std::string& file_name,
                                           const Overrides& overrides, Diagnostics& diags);

// Resolves ops, resource types and params against the registry and checks everything: unknown
// op, param, port or resource (with did-you-mean), wrong param type, range or choice, missing
// required param, op-specific checks, a field read that no upstream node writes, `from` naming an
// unknown node, cycles. Fills the op_info/type_info, resolved and upstream members.
void validate_pipeline(Pipeline& p, const Registry& registry, Diagnostics& diags);

// Declared resources by name -> type, for checking RESOURCE params. An empty type (a resource whose
// type is unknown, already reported) matches any expected type.
using ResourceTypes = std::map<std::string, std::string>;

// Checks `given` against a param schema and returns it (a MAP, schema order) with defaults
// applied; an int given for a float becomes a float. `what` names the owner in messages
// ("node 'read' (io.read_csv)"); a missing required param is reported at `owner_loc`, other
// problems at the param's key or value. With `resources`, a RESOURCE param must name one of them
// of the expected type; without, any string is accepted.
ParamTree resolve_params(const sluice_param_def* const* defs, size_t count,
                         const std::vector<std::pair<std::string, ParamDecl>>& given,
                         const std::string& what, SourceLoc owner_loc, Diagnostics& diags,
                         const ResourceTypes* resources = nullptr);

// The pipeline with every default and override applied, as YAML text (pipeline.resolved.yaml):
// every param, every port binding, each node's on_error and upstream (`from`) written out, and
// `${` escaped, so loading the text again gives the same resolved pipeline. Needs a validated
// pipeline.
std::string resolved_yaml(const Pipeline& p);

// Text YAML value for a --set/apply VALUE string ("224" -> int node, "[0.5,0.5]" -> sequence).
// Text that is not valid YAML, and the empty text, give a string node holding the text as is.
// The node carries no source marks.
YAML::Node parse_override_value(const std::string& text);

}  // namespace sluice
