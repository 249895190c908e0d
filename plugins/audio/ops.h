// The ops of the audio plugin, each added to the plugin by its own file's add_* function.
#pragma once

#include <sluice/sdk.hpp>

namespace sluice::audio {

void add_decode(PluginBuilder& plugin);
void add_encode(PluginBuilder& plugin);
void add_resample(PluginBuilder& plugin);
void add_edits(PluginBuilder& plugin);     // trim_silence, pad_or_crop, gain, add_noise, ...
void add_features(PluginBuilder& plugin);  // spectrogram, mel_spectrogram, log_mel, mfcc
void add_spec_augment(PluginBuilder& plugin);

}  // namespace sluice::audio
