// libFuzzer target: any bytes as a Hugging Face tokenizer.json (text/hf_tokenizer.h).
// read_hf_tokenizer must refuse what it does not take with a status and never crash; the model of
// a file it reads encodes a sample text: a byte-level BPE model to ids that decode to the text
// again, a WordPiece one (with and without [CLS] ... [SEP]) to ids within its vocabulary.
#include "fuzz_file.h"
#include "text/hf_tokenizer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Text from several scripts, digits, white space, accents, and the special tokens of the seeds.
const std::string kSample =
    "Hello, world! It's 2026: naïve café, Ünïcödé, 日本語のテキスト, emoji 🙂\n\t  "
    "x<|endoftext|>"
    "y [CLS] [SEP] [UNK] [MASK] [PAD] don't   stop 12345 ##ing";

void check(const sluice::text::ByteBpe& bpe) {
  const std::vector<int32_t> ids = bpe.encode(kSample);
  sluice::Expected<std::string> text = bpe.decode(ids);
  if (!text.ok() || *text != kSample) std::abort();
}

void check(const sluice::text::WordPiece& wordpiece) {
  for (bool special_tokens : {false, true}) {
    std::vector<int32_t> ids;
    wordpiece.encode(kSample, special_tokens, ids);
    for (int32_t id : ids) {
      if (id < 0 || id >= wordpiece.size()) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = write_fuzz_file(
      "-tokenizer.json", std::string_view(reinterpret_cast<const char*>(data), size));
  sluice::Expected<sluice::text::HfTokenizerFile> file = sluice::text::read_hf_tokenizer(path);
  if (!file.ok()) return 0;
  if (file->bpe.has_value() == file->wordpiece.has_value()) std::abort();  // exactly one
  if (file->bpe) check(*file->bpe);
  if (file->wordpiece) check(*file->wordpiece);
  return 0;
}
