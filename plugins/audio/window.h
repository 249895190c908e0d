// Analysis windows as torch.hann_window / torch.hamming_window with periodic=True (the
// torchaudio transforms' default). Pure.
#pragma once

#include <vector>

namespace sluice::audio {

enum class WindowKind { kHann, kHamming };

// out: (length,). hann: 0.5 - 0.5 cos(2 pi n / length); hamming: 0.54 - 0.46 cos(2 pi n / length).
std::vector<float> make_window(WindowKind kind, int length);

}  // namespace sluice::audio
