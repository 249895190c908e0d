// Graphviz DOT rendering of a pipeline: one cluster per stage, one box per node labelled with its
// id and op, edges upstream -> downstream, resources as ellipses with dashed edges to the nodes
// whose params name them. Needs a validated pipeline (upstream indices filled).
#pragma once

#include "engine/config/pipeline.h"

#include <string>

namespace sluice {

std::string to_dot(const Pipeline& p);

}  // namespace sluice
