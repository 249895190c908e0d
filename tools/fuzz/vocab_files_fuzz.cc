// libFuzzer target: any bytes as a vocabulary file of the kinds load_tokenizer reads besides
// tokenizer.json (text/tiktoken_ranks.h, text/wordpiece.h): the first byte picks a tiktoken rank
// file, GPT-2's encoder.json and vocab.bpe (the rest cut in two at its first NUL byte), or a
// WordPiece vocab.txt. A loader must refuse what it cannot read with a status and never crash; a
// byte-level BPE model built from ranks it reads encodes a sample text to ids that decode to the
// text again, and a WordPiece vocabulary encodes it to ids within the vocabulary.
#include "fuzz_file.h"
#include "text/byte_bpe.h"
#include "text/tiktoken_ranks.h"
#include "text/wordpiece.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

const std::string kSample =
    "Hello, world! It's 2026: naïve café, 日本語 🙂\n\t  x<|endoftext|>y [CLS] don't 12345";

// The model of `ranks` with GPT-2's pattern, if it is one (every byte a token), round-trips.
void check_ranks(sluice::Expected<sluice::text::RankTable> ranks) {
  if (!ranks.ok()) return;
  sluice::Expected<sluice::text::ByteBpe> bpe = sluice::text::ByteBpe::gpt2(std::move(*ranks));
  if (!bpe.ok()) return;
  sluice::Expected<std::string> text = bpe->decode(bpe->encode(kSample));
  if (!text.ok() || *text != kSample) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      check_ranks(sluice::text::load_tiktoken_ranks(write_fuzz_file(".tiktoken", rest)));
      break;
    case 1: {
      const size_t cut = std::min(rest.find('\0'), rest.size());
      const std::string encoder = write_fuzz_file("-encoder.json", rest.substr(0, cut));
      const std::string merges =
          write_fuzz_file("-vocab.bpe", rest.substr(std::min(cut + 1, rest.size())));
      check_ranks(sluice::text::load_gpt2_ranks(encoder, merges));
      break;
    }
    default: {
      sluice::Expected<sluice::text::WordPiece> wp =
          sluice::text::WordPiece::load_vocab_txt(write_fuzz_file("-vocab.txt", rest), {});
      if (!wp.ok()) return 0;
      for (bool special_tokens : {false, true}) {
        std::vector<int32_t> ids;
        wp->encode(kSample, special_tokens, ids);
        for (int32_t id : ids) {
          if (id < 0 || id >= wp->size()) std::abort();
        }
      }
    }
  }
  return 0;
}
