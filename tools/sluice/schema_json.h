// Op, resource and layer type schemas as JSON (inspect --json, plugins --json) and as text for
// people.
// Everything comes from the plugin's schema data; nothing is run.
#pragma once

#include "engine/plugin/registry.h"

#include <boost/json.hpp>

#include <string>

namespace sluice::cli {

boost::json::object op_to_json(const OpInfo& op);
boost::json::object resource_type_to_json(const ResourceTypeInfo& r);
std::string op_to_text(const OpInfo& op);
std::string resource_type_to_text(const ResourceTypeInfo& r);
// A layer type's args are listed as "args", as an op's params are.
boost::json::object layer_type_to_json(const LayerTypeInfo& l);
std::string layer_type_to_text(const LayerTypeInfo& l);

}  // namespace sluice::cli
