// The pipeline's resources for one run: created from their declarations before the first stage,
// shared by the nodes of every stage, destroyed (in reverse order) when the table goes.
// Lookups are thread-safe once the table is built.
#pragma once

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <map>
#include <string>
#include <vector>

namespace sluice {

class ResourceTable {
 public:
  ResourceTable() = default;
  ResourceTable(const ResourceTable&) = delete;
  ResourceTable& operator=(const ResourceTable&) = delete;
  ~ResourceTable();

  // Creates resource `name` of `def` with `params`; the error names the resource.
  Status create(const std::string& name, const sluice_resource_def* def,
                const sluice_param* params);
  // The instance of `name`; fails when missing or of another type, saying which. An empty `type`
  // accepts any type.
  Status find(const std::string& name, const std::string& type, void** out) const;

 private:
  struct Entry {
    std::string name;
    const sluice_resource_def* def;
    void* instance;
  };
  std::vector<Entry> entries_;
};

}  // namespace sluice
