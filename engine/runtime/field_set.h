// Engine side of sluice_field_set: field names with kinds, in insertion order; used to check a
// pipeline's data flow at load.
#pragma once

#include <sluice/plugin.h>

#include <utility>
#include <vector>

struct sluice_field_set_s {
  std::vector<std::pair<sluice_field, sluice_kind>> fields;
  bool open = false;  // may hold unlisted fields (see sluice_host::field_set_set_open)

  const sluice_kind* find(sluice_field f) const;
  void put(sluice_field f, sluice_kind k);  // replaces or appends
  void remove(sluice_field f);
};
