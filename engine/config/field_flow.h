// The load-time data-flow check of one stage. Internal to engine/config.
#pragma once

#include "engine/config/diagnostics.h"
#include "engine/config/pipeline.h"

#include <vector>

namespace sluice {

// Walks a linked stage from its sources down, keeping the fields (and kinds) available after each
// node, and reports every required input port whose field no upstream node writes, and every
// field whose kind differs from its port's (when both are known). A node's output fields come from
// its op's infer_fields, called with a load-time node context, else are its input fields plus its
// output ports under their bound names. `checked[i]` says node i's op and params resolved without
// errors; after any other node, and after a failed infer_fields, the fields are unknown and reads
// below it are not reported. Nodes in or below a cycle are skipped.
void check_field_flow(const StageDecl& stage, const std::vector<bool>& checked, Diagnostics& diags);

}  // namespace sluice
