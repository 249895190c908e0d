// WordPiece (BERT): words from the BERT basic tokenizer (text/bert_basic.h) cut into the longest
// vocabulary pieces, greedily from the left, continuation pieces prefixed "##" (or
// `continuation_prefix`); a word longer than `max_word_chars` characters, or one that cannot be
// cut entirely into pieces, becomes the unknown token. The rules and defaults are those of Hugging
// Face tokenizers' WordPiece model, so that ids match bert-base-uncased's.
//
// Immutable once loaded; encode() is thread-safe.
#pragma once

#include "text/bert_basic.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::text {

struct WordPieceOptions {
  BertNormalizeOptions normalize;  // the default: uncased models (lowercase, strip accents)
  std::string unk_token = "[UNK]";
  // "" for any of these three: the model has none (its id is -1).
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string pad_token = "[PAD]";
  std::string continuation_prefix = "##";
  int max_word_chars = 100;
};

class WordPiece {
 public:
  // Loads a vocab.txt (one token per line; a token's id is its 0-based line). Fails naming the
  // file and line for an empty or repeated token, and when a token of `options` (unk, cls, sep,
  // pad; unless "") is not in the vocabulary.
  static Expected<WordPiece> load_vocab_txt(const std::string& path, WordPieceOptions options);
  // The same from tokens given in id order; `source` names them in errors.
  static Expected<WordPiece> from_tokens(std::vector<std::string> tokens, WordPieceOptions options,
                                         const std::string& source);

  // The ids of valid UTF-8 `text`, appended to `ids`; with `special_tokens`, between [CLS] and
  // [SEP] (those of the options the model has: a tokenizer.json's WordPiece has none, its
  // post-processor adds them).
  void encode(std::string_view text, bool special_tokens, std::vector<int32_t>& ids) const;
  // The token of `id`; "" when out of range.
  std::string_view token(int32_t id) const;
  // The id of `token`, -1 when absent.
  int32_t id(std::string_view token) const;
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  int32_t pad_id() const { return pad_id_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void encode_word(std::string_view word, std::vector<int32_t>& ids) const;

  WordPieceOptions options_;
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> continuation_ids_;
  int32_t unk_id_ = -1, cls_id_ = -1, sep_id_ = -1, pad_id_ = -1;
};

}  // namespace sluice::text
