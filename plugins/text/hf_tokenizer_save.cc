// hf_tokenizer_json: a merges-mode byte-level BPE laid out as Hugging Face tokenizers saves the
// tokenizer its BpeTrainer trained (the same keys in the same order).
#include "text/byte_alphabet.h"
#include "text/hf_patterns.h"
#include "text/hf_tokenizer.h"

#include <boost/json.hpp>

#include <algorithm>

namespace sluice::text {
namespace {

namespace json = boost::json;

json::object byte_level(bool use_regex, bool add_prefix_space) {
  return {{"type", "ByteLevel"},
          {"add_prefix_space", add_prefix_space},
          {"trim_offsets", true},
          {"use_regex", use_regex}};
}

json::value pre_tokenizer(PretokenPattern pattern) {
  if (pattern == PretokenPattern::kGpt2) return byte_level(true, false);
  json::object split{{"type", "Split"},
                     {"pattern", {{"Regex", kCl100kRegex}}},
                     {"behavior", "Isolated"},
                     {"invert", false}};
  return {{"type", "Sequence"}, {"pretokenizers", {split, byte_level(false, false)}}};
}

}  // namespace

std::string hf_tokenizer_json(const ByteBpe& bpe) {
  json::array added;
  for (const SpecialToken& s : bpe.specials()) {
    added.push_back({{"id", s.id},
                     {"content", s.text},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  json::object vocab;
  vocab.reserve(static_cast<size_t>(bpe.vocabulary_size()));
  std::string_view bytes;
  for (int32_t id = 0; id < bpe.vocabulary_size(); ++id) {
    const auto special = std::find_if(bpe.specials().begin(), bpe.specials().end(),
                                      [&](const SpecialToken& s) { return s.id == id; });
    if (special != bpe.specials().end()) {
      vocab[special->text] = id;
    } else if (bpe.ranks().token(id, &bytes)) {
      vocab[to_byte_alphabet(bytes)] = id;
    }
  }
  json::array merges;
  merges.reserve(bpe.merges().size());
  std::string_view left, right;
  for (const auto& [a, b] : bpe.merges()) {
    bpe.ranks().token(a, &left);
    bpe.ranks().token(b, &right);
    merges.push_back(
        json::array{json::string(to_byte_alphabet(left)), json::string(to_byte_alphabet(right))});
  }
  const json::object model{{"type", "BPE"},
                           {"dropout", nullptr},
                           {"unk_token", nullptr},
                           {"continuing_subword_prefix", nullptr},
                           {"end_of_word_suffix", nullptr},
                           {"fuse_unk", false},
                           {"byte_fallback", false},
                           {"ignore_merges", false},
                           {"vocab", std::move(vocab)},
                           {"merges", std::move(merges)}};
  const json::object file{{"version", "1.0"},
                          {"truncation", nullptr},
                          {"padding", nullptr},
                          {"added_tokens", std::move(added)},
                          {"normalizer", nullptr},
                          {"pre_tokenizer", pre_tokenizer(bpe.pattern())},
                          {"post_processor", nullptr},
                          {"decoder", byte_level(true, true)},
                          {"model", model}};
  return json::serialize(file);
}

}  // namespace sluice::text
