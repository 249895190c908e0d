// Linking a stage's nodes to their upstream nodes. Internal to engine/config.
#pragma once

#include "engine/config/diagnostics.h"
#include "engine/config/pipeline.h"

#include <map>
#include <string>

namespace sluice {

// Sets each node's `upstream` from its `from`, else to the previous node unless its op is a
// source (see pipeline.h). Reports a `from` naming no node of the stage (`stage_of` maps every
// node id of the pipeline to its stage's name, to say where a node of another stage is), a source
// with a `from`, a non-source without an upstream node, and each cycle, naming its nodes.
// Nodes whose op is unknown (op_info null) are linked without the source checks.
void link_stage(StageDecl& stage, const std::map<std::string, std::string>& stage_of,
                Diagnostics& diags);

}  // namespace sluice
