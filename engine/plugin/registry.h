// Plugin discovery and the registry of ops and resource types.
//
// Directories are searched in order: the built-in plugin directory, then SLUICE_PLUGIN_PATH
// (colon-separated), then each --plugin-path; never the current directory. Every `*.so` in them is
// loaded with dlopen(RTLD_NOW | RTLD_LOCAL); its `sluice_plugin_entry` is called with the engine
// host, and the descriptor is checked (ABI major, struct sizes, names, callbacks) before any op
// is registered. A refused library is reported, with the file and both ABI versions where they
// apply, and the others still load. The first plugin to register an op name wins; a later one is
// reported as a conflict. Libraries stay loaded until the registry is destroyed.
// A command that knows which ops and resource types it needs calls load_for(): a library named
// after its plugin (`audio.so` for plugin `audio`, whose names all start with "audio.") is then
// found without loading the others, so a pipeline pays only for the plugins it uses (OpenCV alone
// takes ~0.1 s to load); everything is loaded only when a name is still unknown after that.
// Layer types (ABI 1.2) are looked up by the models of the nn plugin while a pipeline is
// validated and run, so find_layer() loads on demand: `<prefix>.so`, then, if the type is still
// unknown, every library, from the directories load_dirs()/load_for() were given.
// Not thread-safe while loading; read-only lookups after that are. find_layer() may be called
// from several threads at once (its loads are serialised), but not while another thread loads
// or calls the other lookups: a running pipeline calls only find_layer.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace sluice {

struct PluginInfo {
  std::string name;
  std::string version;
  std::string doc;
  std::string path;
  const sluice_plugin* descriptor = nullptr;
};

struct OpInfo {
  const sluice_op_def* def = nullptr;
  const PluginInfo* plugin = nullptr;
};

struct ResourceTypeInfo {
  const sluice_resource_def* def = nullptr;
  const PluginInfo* plugin = nullptr;
};

struct LayerTypeInfo {
  const sluice_layer_def* def = nullptr;
  const PluginInfo* plugin = nullptr;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The directory the engine's own plugins are installed in (build: build/lib/sluice/plugins,
  // found relative to the running executable or libsluice).
  static std::string builtin_plugin_dir();
  // builtin dir, then SLUICE_PLUGIN_PATH, then `extra`; missing directories are skipped.
  static std::vector<std::string> search_path(const std::vector<std::string>& extra);

  // Loads every plugin library in `dirs`; returns one message per refused library or conflict
  // (empty when all loaded). Never throws.
  std::vector<std::string> load_dirs(const std::vector<std::string>& dirs);
  // Loads, for each plugin prefix of `names` (op names, resource types), the first `<prefix>.so`
  // found in `dirs`; then, if any of `names` is still unknown, every library, as load_dirs does.
  // Returns the messages load_dirs would. Never throws.
  std::vector<std::string> load_for(const std::vector<std::string>& dirs,
                                    const std::vector<std::string>& names);
  // Loads one library file; the error names the file and what was expected and found.
  Status load_file(const std::string& path);

  const std::vector<std::unique_ptr<PluginInfo>>& plugins() const { return plugins_; }
  // NULL when unknown.
  const OpInfo* find_op(const std::string& name) const;
  const ResourceTypeInfo* find_resource_type(const std::string& type) const;
  // A layer type of the plugins loaded so far; NULL when unknown.
  const LayerTypeInfo* find_loaded_layer(const std::string& type) const;
  // A layer type, loading its plugin when needed (see above); NOT_FOUND naming the type, the
  // directories searched and the known layer types when no plugin provides it.
  Expected<const LayerTypeInfo*> find_layer(const std::string& type);
  std::vector<std::string> op_names() const;             // sorted
  std::vector<std::string> resource_type_names() const;  // sorted
  std::vector<std::string> layer_type_names() const;     // sorted, of the plugins loaded so far

 private:
  struct Library;
  Status load_file_locked(const std::string& path);
  std::vector<std::string> load_dirs_locked(const std::vector<std::string>& dirs);
  // Loads the first `<prefix>.so` in `dirs` (prefix: the plugin name `name` starts with).
  void load_named_locked(const std::string& name, const std::vector<std::string>& dirs,
                         std::vector<std::string>& messages);
  void remember_dirs(const std::vector<std::string>& dirs);

  mutable std::mutex mu_;               // held by every load and by the layer lookups
  std::vector<std::string> dirs_;       // every directory given to load_dirs and load_for, in order
  std::set<std::string> scanned_dirs_;  // those whose every library was loaded
  std::vector<std::unique_ptr<Library>> libraries_;
  std::vector<std::unique_ptr<PluginInfo>> plugins_;
  std::map<std::string, OpInfo> ops_;
  std::map<std::string, ResourceTypeInfo> resource_types_;
  std::map<std::string, LayerTypeInfo> layer_types_;
};

}  // namespace sluice
