// The ops of the text plugin, each added to the plugin by its own file's add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::text {

void add_normalize(PluginBuilder& plugin);
void add_split_words(PluginBuilder& plugin);
void add_vocabulary(PluginBuilder& plugin);
void add_vocabulary_update(PluginBuilder& plugin);
void add_encode(PluginBuilder& plugin);
void add_tokenize(PluginBuilder& plugin);
void add_detokenize(PluginBuilder& plugin);
void add_tokenizer_resource(PluginBuilder& plugin);
void add_pack(PluginBuilder& plugin);
void add_train_bpe(PluginBuilder& plugin);
void add_generate(PluginBuilder& plugin);

}  // namespace sluice::text
