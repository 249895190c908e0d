#include "audio/window.h"

#include <cmath>

namespace sluice::audio {

std::vector<float> make_window(WindowKind kind, int length) {
  std::vector<float> w(static_cast<size_t>(length));
  const double a = kind == WindowKind::kHann ? 0.5 : 0.54;
  for (int n = 0; n < length; ++n) {
    w[n] = static_cast<float>(a - (1.0 - a) * std::cos(2.0 * M_PI * n / length));
  }
  if (length == 1) w[0] = 1.0f;
  return w;
}

}  // namespace sluice::audio
