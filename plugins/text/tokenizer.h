// Tokenizers behind text.tokenize and text.detokenize: text to ids and back, exactly as the
// reference implementation of each model does it. Loaded by name or path and shared across nodes
// and threads (immutable).
#pragma once

#include "text/special_tokens.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Appends the ids of `text`, special-token text encoded as ordinary text. WordPiece needs
  // valid UTF-8; byte-level BPE takes any bytes. Thread-safe.
  virtual void encode(std::string_view text, std::vector<int32_t>& ids) const = 0;
  // Appends the text of `ids` (special tokens as their text). BAD_RECORD naming the first id
  // that is no token; UNSUPPORTED for a tokenizer that cannot invert its encoding exactly.
  virtual Status decode(const std::vector<int32_t>& ids, std::string& text) const = 0;

  // The same as encode(text, ids), except that each occurrence of the text of a token of
  // `allowed` (from allowed_specials()) is that token's id.
  void encode(std::string_view text, const std::vector<const SpecialToken*>& allowed,
              std::vector<int32_t>& ids) const;

  // The model's special tokens.
  const std::vector<SpecialToken>& special_tokens() const { return specials_; }
  // The special tokens named in `names`, or all of them for the one name "all". Fails naming
  // a text that is no special token of the model, and listing those that are.
  Expected<std::vector<const SpecialToken*>> allowed_specials(
      const std::vector<std::string>& names) const;
  // Whether the reference tokenizer matches special-token text by default (Hugging Face does
  // for BERT; tiktoken's encode_ordinary does not).
  bool matches_specials_by_default() const { return matches_specials_; }

  // What the model puts around a sequence when special tokens are added (BERT: [CLS] ... [SEP]).
  const std::vector<int32_t>& special_prefix() const { return prefix_; }
  const std::vector<int32_t>& special_suffix() const { return suffix_; }
  // Whether the reference tokenizer adds the special tokens by default.
  bool adds_special_tokens() const { return adds_special_tokens_; }
  // The id to pad with.
  int32_t pad_id() const { return pad_id_; }

 protected:
  std::vector<SpecialToken> specials_;
  bool matches_specials_ = false;
  std::vector<int32_t> prefix_, suffix_;
  bool adds_special_tokens_ = false;
  int32_t pad_id_ = 0;
};

// The tokenizer `spec` names: a built-in one (gpt2, cl100k_base, bert-base-uncased) or the path
// of a vocabulary file:
//   - a tiktoken rank file named r50k_base.tiktoken or cl100k_base.tiktoken (the name picks the
//     pre-tokenizer and the special tokens);
//   - GPT-2's encoder.json, with its vocab.bpe beside it;
//   - a WordPiece vocab.txt (uncased, BERT's special tokens).
// Loaded once per process and spec. Fails naming the spec and what is accepted, or the file and
// line of what is wrong.
Expected<std::shared_ptr<const Tokenizer>> load_tokenizer(const std::string& spec);

}  // namespace sluice::text
