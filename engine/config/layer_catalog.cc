#include "engine/config/layer_catalog.h"

#include "engine/config/pipeline.h"

#include <utility>
#include <vector>

namespace sluice {

LayerCatalog::LayerCatalog(Registry& registry) : registry_(registry) {
  install_layer_provider(this);
}

LayerCatalog::~LayerCatalog() { remove_layer_provider(this); }

Expected<const sluice_layer_def*> LayerCatalog::find_layer(const std::string& type) {
  Expected<const LayerTypeInfo*> info = registry_.find_layer(type);
  if (!info.ok()) return info.status();
  return (*info)->def;
}

Expected<ParamTree> LayerCatalog::layer_args(const sluice_layer_def& def, const ParamTree& args) {
  const std::string what = "layer type '" + std::string(def.type) + "'";
  if (args.kind != SLUICE_PARAM_MAP) {
    return Status::Invalid(what + ": expected its args as a map, found another value");
  }
  std::vector<std::pair<std::string, ParamDecl>> given;
  for (const auto& [key, value] : args.map) {
    if (key == "type") continue;
    given.emplace_back(key, ParamDecl{param_to_yaml(value), SourceLoc{}, SourceLoc{}});
  }
  Diagnostics diags("<layer args>");
  ParamTree resolved = resolve_params(def.args, def.arg_count, given, what, SourceLoc{}, diags);
  if (!diags.has_errors()) return resolved;
  std::string errors;
  for (const Diagnostic& d : diags.items()) {
    if (d.severity != Diagnostic::Severity::kError) continue;
    errors += (errors.empty() ? "" : "; ") + d.message;
  }
  return Status::Invalid(errors);
}

}  // namespace sluice
