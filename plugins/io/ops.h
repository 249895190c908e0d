// The ops of the io plugin, each added to the plugin by its own file's add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::io {

// Sources emit at most this many records per produce() call: few enough that the executor can
// cut a short stream into small packets (see packet_records in engine/exec/node_step.h).
inline constexpr int kRecordsPerProduce = 8;

void add_read_lines(PluginBuilder& plugin);
void add_read_csv(PluginBuilder& plugin);
void add_read_jsonl(PluginBuilder& plugin);
void add_list_files(PluginBuilder& plugin);
void add_write_jsonl(PluginBuilder& plugin);
void add_write_csv(PluginBuilder& plugin);
void add_write_npy(PluginBuilder& plugin);
void add_write_safetensors(PluginBuilder& plugin);

}  // namespace sluice::io
