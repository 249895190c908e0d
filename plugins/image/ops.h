// The ops of the image plugin, each added to the plugin by its own file's add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::image {

void add_decode(PluginBuilder& plugin);
void add_resize(PluginBuilder& plugin);
void add_center_crop(PluginBuilder& plugin);
void add_random_resized_crop(PluginBuilder& plugin);
void add_random_crop(PluginBuilder& plugin);
void add_flip(PluginBuilder& plugin);
void add_rotate(PluginBuilder& plugin);
void add_affine(PluginBuilder& plugin);
void add_color_jitter(PluginBuilder& plugin);
void add_grayscale(PluginBuilder& plugin);
void add_gaussian_blur(PluginBuilder& plugin);
void add_normalize(PluginBuilder& plugin);
void add_encode(PluginBuilder& plugin);
void add_grid_cells(PluginBuilder& plugin);

}  // namespace sluice::image
