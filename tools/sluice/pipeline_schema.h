// JSON Schema (draft 2020-12) of the pipeline file format for editors, generated from the op and
// resource schemas in a registry: op names are an enum, and each op's params are typed,
// documented and checked (a "${name}" string is accepted wherever a value is).
#pragma once

#include "engine/plugin/registry.h"

#include <boost/json.hpp>

namespace sluice::cli {

boost::json::object pipeline_json_schema(const Registry& registry);

}  // namespace sluice::cli
