// The ops of the core plugin, each added to the plugin by its own file's add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::core {

void add_shuffle(PluginBuilder& plugin);
void add_split(PluginBuilder& plugin);
void add_filter(PluginBuilder& plugin);
void add_select(PluginBuilder& plugin);
void add_rename(PluginBuilder& plugin);
void add_drop(PluginBuilder& plugin);
void add_map_values(PluginBuilder& plugin);
void add_batch(PluginBuilder& plugin);
void add_unbatch(PluginBuilder& plugin);
void add_take(PluginBuilder& plugin);
void add_skip(PluginBuilder& plugin);
void add_repeat(PluginBuilder& plugin);

}  // namespace sluice::core
