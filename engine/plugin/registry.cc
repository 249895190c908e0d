#include "engine/plugin/registry.h"

#include "engine/plugin/descriptor_check.h"
#include "engine/plugin/library.h"
#include "engine/runtime/host.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace sluice {
namespace {

std::string canonical_or_given(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

std::string describe(const PluginInfo& p) {
  return p.path + " (plugin " + p.name + " " + p.version + ")";
}

template <class Map>
std::vector<std::string> names_of(const Map& m) {
  std::vector<std::string> out;
  out.reserve(m.size());
  for (const auto& [name, info] : m) out.push_back(name);
  return out;
}

// One message per line of a failed load (load_file puts each conflict on its own line).
void append_problems(const Status& s, std::vector<std::string>& messages) {
  if (s.ok()) return;
  std::istringstream lines(s.message());
  for (std::string line; std::getline(lines, line);) messages.push_back(line);
}

// The plugin name a registered name starts with ("audio" for "audio.decode"), or "" when the
// prefix could not be a plugin name (so it never becomes part of a path).
std::string plugin_prefix(const std::string& name) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return "";
  std::string prefix = name.substr(0, dot);
  return is_lower_snake(prefix) ? prefix : "";
}

}  // namespace

struct Registry::Library {
  std::unique_ptr<SharedLibrary> lib;
  std::string canonical;
};

Registry::Registry() = default;

Registry::~Registry() {
  ops_.clear();
  resource_types_.clear();
  layer_types_.clear();
  plugins_.clear();
  while (!libraries_.empty()) libraries_.pop_back();
}

std::string Registry::builtin_plugin_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path prefix = exe.parent_path().parent_path();
  fs::path build_tree = prefix / "lib" / "sluice" / "plugins";
  fs::path install_tree = prefix / SLUICE_INSTALL_PLUGIN_SUBDIR;
  if (!fs::is_directory(build_tree, ec) && fs::is_directory(install_tree, ec)) {
    return install_tree.lexically_normal().string();
  }
  return build_tree.lexically_normal().string();
}

std::vector<std::string> Registry::search_path(const std::vector<std::string>& extra) {
  std::vector<std::string> dirs;
  std::set<std::string> seen;
  auto add = [&](const std::string& dir) {
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return;
    if (seen.insert(canonical_or_given(dir)).second) dirs.push_back(dir);
  };
  add(builtin_plugin_dir());
  if (const char* env = std::getenv("SLUICE_PLUGIN_PATH")) {
    std::istringstream in(env);
    for (std::string dir; std::getline(in, dir, ':');) add(dir);
  }
  for (const auto& dir : extra) add(dir);
  return dirs;
}

void Registry::remember_dirs(const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end()) dirs_.push_back(dir);
  }
}

std::vector<std::string> Registry::load_dirs(const std::vector<std::string>& dirs) {
  std::lock_guard<std::mutex> lock(mu_);
  remember_dirs(dirs);
  return load_dirs_locked(dirs);
}

std::vector<std::string> Registry::load_dirs_locked(const std::vector<std::string>& dirs) {
  std::vector<std::string> messages;
  try {
    for (const auto& dir : dirs) {
      std::error_code ec;
      std::vector<std::string> files;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->path().extension() == ".so" && it->is_regular_file(type_ec)) {
          files.push_back(it->path().string());
        }
      }
      if (ec) {
        messages.push_back(dir + ": cannot list the plugin directory: " + ec.message());
        continue;
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) append_problems(load_file_locked(file), messages);
      scanned_dirs_.insert(dir);
    }
  } catch (const std::exception& e) {
    messages.push_back(std::string("loading plugins failed: ") + e.what());
  }
  return messages;
}

void Registry::load_named_locked(const std::string& name, const std::vector<std::string>& dirs,
                                 std::vector<std::string>& messages) {
  const std::string prefix = plugin_prefix(name);
  if (prefix.empty()) return;
  try {
    for (const auto& dir : dirs) {
      fs::path file = fs::path(dir) / (prefix + ".so");
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) continue;
      append_problems(load_file_locked(file.string()), messages);
      return;
    }
  } catch (const std::exception& e) {
    messages.push_back(std::string("loading plugins failed: ") + e.what());
  }
}

std::vector<std::string> Registry::load_for(const std::vector<std::string>& dirs,
                                            const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> lock(mu_);
  remember_dirs(dirs);
  std::vector<std::string> messages;
  std::set<std::string> prefixes;
  for (const auto& name : names) {
    if (prefixes.insert(plugin_prefix(name)).second) load_named_locked(name, dirs, messages);
  }
  bool all_known = std::all_of(names.begin(), names.end(), [&](const std::string& n) {
    return find_op(n) != nullptr || find_resource_type(n) != nullptr || layer_types_.count(n) != 0;
  });
  if (all_known) return messages;
  std::vector<std::string> rest = load_dirs_locked(dirs);
  messages.insert(messages.end(), rest.begin(), rest.end());
  return messages;
}

Status Registry::load_file(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  return load_file_locked(path);
}

Status Registry::load_file_locked(const std::string& path) {
  const sluice_host* host = engine_host();
  std::string canonical = canonical_or_given(path);
  for (const auto& l : libraries_) {
    if (l->canonical == canonical) return Status();
  }
  Expected<std::unique_ptr<SharedLibrary>> lib = SharedLibrary::open(path);
  if (!lib.ok()) return lib.status();
  void* symbol = (*lib)->symbol(SLUICE_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return Status::NotFound(path + ": no symbol '" SLUICE_PLUGIN_ENTRY_SYMBOL
                                   "': not a sluice plugin");
  }
  const sluice_plugin* desc = nullptr;
  try {
    desc = reinterpret_cast<sluice_plugin_entry_fn>(symbol)(host);
  } catch (...) {
    return Status::Internal(path + ": " SLUICE_PLUGIN_ENTRY_SYMBOL
                                   " threw an exception across the C ABI");
  }
  SLUICE_RETURN_IF_ERROR(check_descriptor(desc, path));

  auto info = std::make_unique<PluginInfo>(PluginInfo{
      desc->name, desc->version ? desc->version : "", desc->doc ? desc->doc : "", path, desc});
  std::vector<std::string> conflicts;
  size_t registered = 0;
  auto add = [&](auto& map, const char* what, const char* name, auto entry) {
    auto [it, inserted] = map.try_emplace(name, entry);
    if (inserted) {
      ++registered;
      return;
    }
    conflicts.push_back(describe(*info) + ": " + what + " '" + name +
                        "' is already registered by " + describe(*it->second.plugin) +
                        "; keeping that one");
  };
  for (size_t i = 0; i < desc->op_count; ++i) {
    add(ops_, "op", desc->ops[i]->name, OpInfo{desc->ops[i], info.get()});
  }
  for (size_t i = 0; i < desc->resource_count; ++i) {
    const sluice_resource_def* r = desc->resources[i];
    add(resource_types_, "resource type", r->type, ResourceTypeInfo{r, info.get()});
  }
  if (SLUICE_HAS_MEMBER(sluice_plugin, desc, layers)) {
    for (size_t i = 0; i < desc->layer_count; ++i) {
      const sluice_layer_def* l = desc->layers[i];
      add(layer_types_, "layer type", l->type, LayerTypeInfo{l, info.get()});
    }
  }
  if (registered > 0 || conflicts.empty()) {
    libraries_.push_back(std::make_unique<Library>(Library{std::move(*lib), canonical}));
    plugins_.push_back(std::move(info));
  }
  if (conflicts.empty()) return Status();
  std::string message;
  for (const auto& c : conflicts) {
    if (!message.empty()) message += '\n';
    message += c;
  }
  return Status::Invalid(message);
}

const OpInfo* Registry::find_op(const std::string& name) const {
  auto it = ops_.find(name);
  return it == ops_.end() ? nullptr : &it->second;
}

const ResourceTypeInfo* Registry::find_resource_type(const std::string& type) const {
  auto it = resource_types_.find(type);
  return it == resource_types_.end() ? nullptr : &it->second;
}

const LayerTypeInfo* Registry::find_loaded_layer(const std::string& type) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = layer_types_.find(type);
  return it == layer_types_.end() ? nullptr : &it->second;
}

Expected<const LayerTypeInfo*> Registry::find_layer(const std::string& type) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = [&]() -> const LayerTypeInfo* {
    auto it = layer_types_.find(type);
    return it == layer_types_.end() ? nullptr : &it->second;
  };
  if (const LayerTypeInfo* info = found()) return info;
  std::vector<std::string> problems;
  load_named_locked(type, dirs_, problems);
  if (const LayerTypeInfo* info = found()) return info;
  std::vector<std::string> unscanned;
  for (const auto& dir : dirs_) {
    if (scanned_dirs_.count(dir) == 0) unscanned.push_back(dir);
  }
  std::vector<std::string> rest = load_dirs_locked(unscanned);
  problems.insert(problems.end(), rest.begin(), rest.end());
  if (const LayerTypeInfo* info = found()) return info;

  auto join = [](const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
    return out;
  };
  std::string message =
      "layer type '" + type + "': no plugin provides it (" +
      (dirs_.empty() ? std::string("no plugin directory to search")
                     : "searched " + join(dirs_, ", ")) +
      "); " +
      (layer_types_.empty() ? std::string("no loaded plugin provides layer types")
                            : "known plugin layer types: " + join(names_of(layer_types_), ", "));
  if (!problems.empty()) message += "; loading plugins reported: " + join(problems, "; ");
  return Status::NotFound(message);
}

std::vector<std::string> Registry::op_names() const { return names_of(ops_); }

std::vector<std::string> Registry::resource_type_names() const { return names_of(resource_types_); }

std::vector<std::string> Registry::layer_type_names() const {
  std::lock_guard<std::mutex> lock(mu_);
  return names_of(layer_types_);
}

}  // namespace sluice
