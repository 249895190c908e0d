// The host's layer entry points (ABI 1.2: find_layer, layer_args, param_free) and the installed
// LayerProvider they ask (layer_provider.h).
#include "engine/runtime/host.h"
#include "engine/runtime/host_parts.h"
#include "engine/runtime/layer_provider.h"
#include "engine/runtime/params.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace sluice {
namespace {

struct Providers {
  std::shared_mutex mu;
  std::vector<LayerProvider*> stack;  // the last one answers
};

Providers& providers() {
  static Providers p;
  return p;
}

// Runs `f` on the current provider under the shared lock; NOT_FOUND naming `what` without one.
template <class F>
sluice_status ask(const char* what, F&& f) noexcept {
  try {
    Providers& p = providers();
    std::shared_lock<std::shared_mutex> lock(p.mu);
    if (p.stack.empty()) {
      return make_c_status(Status::NotFound(std::string(what) +
                                            ": no plugin registry serves layer lookups in this "
                                            "process (the engine keeps a LayerCatalog while it "
                                            "validates and runs pipelines)"));
    }
    return make_c_status(f(*p.stack.back()));
  } catch (const std::exception& e) {
    return host_parts::error(SLUICE_INTERNAL, std::string(what) + ": " + e.what());
  }
}

sluice_status find_layer(const char* type, const sluice_layer_def** out) noexcept {
  if (type == nullptr || out == nullptr) {
    return host_parts::error(SLUICE_INVALID_ARGUMENT,
                             "find_layer: expected a type name and an output pointer, found NULL");
  }
  *out = nullptr;
  const std::string what = "layer type '" + std::string(type) + "'";
  return ask(what.c_str(), [&](LayerProvider& provider) {
    Expected<const sluice_layer_def*> def = provider.find_layer(type);
    if (!def.ok()) return def.status();
    *out = *def;
    return Status();
  });
}

sluice_status layer_args(const sluice_layer_def* def, const sluice_param* args,
                         sluice_param** out) noexcept {
  if (def == nullptr || def->type == nullptr || args == nullptr || out == nullptr) {
    return host_parts::error(SLUICE_INVALID_ARGUMENT,
                             "layer_args: expected a layer definition, its args and an output "
                             "pointer, found NULL");
  }
  *out = nullptr;
  const std::string what = "layer type '" + std::string(def->type) + "'";
  return ask(what.c_str(), [&](LayerProvider& provider) {
    Expected<ParamTree> resolved = provider.layer_args(*def, *args);
    if (!resolved.ok()) return resolved.status();
    *out = new ParamTree(std::move(*resolved));
    return Status();
  });
}

void param_free(sluice_param* p) noexcept { delete p; }

}  // namespace

void install_layer_provider(LayerProvider* provider) {
  Providers& p = providers();
  std::unique_lock<std::shared_mutex> lock(p.mu);
  p.stack.push_back(provider);
}

void remove_layer_provider(LayerProvider* provider) {
  Providers& p = providers();
  std::unique_lock<std::shared_mutex> lock(p.mu);
  auto it = std::find(p.stack.rbegin(), p.stack.rend(), provider);
  if (it != p.stack.rend()) p.stack.erase(std::next(it).base());
}

namespace host_parts {

void fill_layers(sluice_host& t) {
  t.find_layer = &find_layer;
  t.layer_args = &layer_args;
  t.param_free = &param_free;
}

}  // namespace host_parts
}  // namespace sluice
