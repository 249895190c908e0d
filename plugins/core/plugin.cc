#include "core/ops.h"

SLUICE_PLUGIN("core", "0.1.0",
              "Stream plumbing: shuffle, split, filter, select, rename, drop, map values, batch, "
              "unbatch, take, skip, repeat.") {
  sluice::core::add_shuffle(plugin);
  sluice::core::add_split(plugin);
  sluice::core::add_filter(plugin);
  sluice::core::add_select(plugin);
  sluice::core::add_rename(plugin);
  sluice::core::add_drop(plugin);
  sluice::core::add_map_values(plugin);
  sluice::core::add_batch(plugin);
  sluice::core::add_unbatch(plugin);
  sluice::core::add_take(plugin);
  sluice::core::add_skip(plugin);
  sluice::core::add_repeat(plugin);
}
