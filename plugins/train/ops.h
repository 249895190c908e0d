// The train plugin's ops, each registered by its add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::train {

void add_fit(PluginBuilder& plugin);
void add_cross_validate(PluginBuilder& plugin);
void add_predict(PluginBuilder& plugin);
void add_evaluate(PluginBuilder& plugin);

}  // namespace sluice::train
