#include "audio/ops.h"

SLUICE_PLUGIN("audio", "0.1.0",
              "Audio: decoding and encoding (libsndfile), resampling (libsoxr), waveform edits and "
              "augmentations, and spectrogram, mel, log-mel and MFCC features matching "
              "torchaudio.") {
  sluice::audio::add_decode(plugin);
  sluice::audio::add_encode(plugin);
  sluice::audio::add_resample(plugin);
  sluice::audio::add_edits(plugin);
  sluice::audio::add_features(plugin);
  sluice::audio::add_spec_augment(plugin);
}
