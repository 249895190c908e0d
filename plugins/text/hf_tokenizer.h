// Hugging Face tokenizer.json files: read into a model and its special-token rules, and written
// for a byte-level BPE model in merges mode (text.train_bpe), so that Hugging Face tokenizers'
// Tokenizer.from_file and load_hf_tokenizer read it back with the same ids.
//
// What is read (anything else fails naming the file, the key, what was expected and what was
// found; malformed JSON names the file, line and column):
//   - model BPE (merges mode, text/byte_bpe.h) with no normalizer and a ByteLevel pre-tokenizer
//     (add_prefix_space false, use_regex true: GPT-2's pattern), or a Sequence of a Split by
//     cl100k_base's pattern (Isolated) and a ByteLevel with use_regex false: cl100k_base's
//     pattern. `vocab` maps tokens spelled in GPT-2's byte alphabet (text/byte_alphabet.h) to
//     ids, every single byte a token; `merges` are "a b" strings or ["a", "b"] pairs. dropout,
//     continuing_subword_prefix, end_of_word_suffix and ignore_merges must be off.
//   - model WordPiece with a BertNormalizer (clean_text, handle_chinese_chars, strip_accents
//     (null: as lowercase) and lowercase as in the file) and a BertPreTokenizer; unk_token,
//     continuing_subword_prefix and max_input_chars_per_word as in the file; ids 0 to n - 1.
//   - added_tokens: special or not, each is a special token (text.tokenize's allowed_special),
//     matched in the text by default, as Hugging Face matches them; single_word, lstrip and
//     rstrip must be false, and normalized too under a normalizer.
//   - post_processor: null, ByteLevel (adds nothing), TemplateProcessing (its `single`
//     template), BertProcessing, RobertaProcessing, or a Sequence of them; the tokens they put
//     around a sequence are added by default.
//   - padding: its pad_id is the pad id; without it, [PAD] when the vocabulary has it, else the
//     first added token, else 0. truncation and decoder are not read.
// Pure functions; thread-safe.
#pragma once

#include "text/byte_bpe.h"
#include "text/special_tokens.h"
#include "text/wordpiece.h"

#include <sluice/status.hpp>

#include <optional>
#include <string>

namespace sluice::text {

struct HfTokenizerFile {
  std::optional<ByteBpe> bpe;  // exactly one of bpe and wordpiece
  std::optional<WordPiece> wordpiece;
  SpecialTokenRules rules;
};

Expected<HfTokenizerFile> read_hf_tokenizer(const std::string& path);

// `bpe` (merges mode; specials as special added tokens) as the tokenizer.json that Hugging
// Face's BpeTrainer gives for it: no normalizer or post-processor, the pre-tokenizer and decoder
// of its pattern, vocab by id, merges as [a, b] pairs. Compact JSON, one line.
std::string hf_tokenizer_json(const ByteBpe& bpe);

}  // namespace sluice::text
