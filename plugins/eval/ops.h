// The eval plugin's ops, each registered by its add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::eval {

void add_classification(PluginBuilder& plugin);
void add_regression(PluginBuilder& plugin);
void add_perplexity(PluginBuilder& plugin);

}  // namespace sluice::eval
