// libFuzzer target: any bytes as text for both byte-level BPE pre-tokenizers (pretokenize.h). The
// pieces must be non-empty, in order, and concatenate to the input; piece_end agrees with them.
#include "text/pretokenize.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using sluice::text::PretokenPattern;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (PretokenPattern pattern : {PretokenPattern::kGpt2, PretokenPattern::kCl100k}) {
    size_t at = 0;
    for (std::string_view piece : sluice::text::pretokenize(pattern, text)) {
      if (piece.empty() || piece.data() != text.data() + at) std::abort();
      if (sluice::text::piece_end(pattern, text, at) != at + piece.size()) std::abort();
      at += piece.size();
    }
    if (at != text.size()) std::abort();
  }
  return 0;
}
