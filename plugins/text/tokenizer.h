// Tokenizers behind text.tokenize and text.detokenize: text to ids and back, exactly as the
// reference implementation of each model does it. Loaded by name or path and shared across nodes
// and threads (immutable).
#pragma once

#include "text/byte_bpe.h"
#include "text/special_tokens.h"
#include "text/wordpiece.h"

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
  const std::vector<SpecialToken>& special_tokens() const { return rules_.specials; }
  // The special tokens named in `names`, or all of them for the one name "all". Fails naming
  // a text that is no special token of the model, and listing those that are.
  Expected<std::vector<const SpecialToken*>> allowed_specials(
      const std::vector<std::string>& names) const;
  // Whether the reference tokenizer matches special-token text by default (Hugging Face does
  // for BERT; tiktoken's encode_ordinary does not).
  bool matches_specials_by_default() const { return rules_.matched_by_default; }

  // What the model puts around a sequence when special tokens are added (BERT: [CLS] ... [SEP]).
  const std::vector<int32_t>& special_prefix() const { return rules_.prefix; }
  const std::vector<int32_t>& special_suffix() const { return rules_.suffix; }
  // Whether the reference tokenizer adds the special tokens by default.
  bool adds_special_tokens() const { return rules_.added_by_default; }
  // The id to pad with.
  int32_t pad_id() const { return rules_.pad_id; }

 protected:
  explicit Tokenizer(SpecialTokenRules rules) : rules_(std::move(rules)) {}

 private:
  SpecialTokenRules rules_;
};

// A byte-level BPE tokenizer (decodes exactly; special tokens decode to their text) and a
// WordPiece one (cannot decode), each with its special-token rules.
std::shared_ptr<const Tokenizer> make_bpe_tokenizer(ByteBpe bpe, SpecialTokenRules rules);
std::shared_ptr<const Tokenizer> make_wordpiece_tokenizer(WordPiece wp, SpecialTokenRules rules);

// The tokenizer `spec` names: a built-in one (gpt2, cl100k_base, bert-base-uncased) or the path
// of a vocabulary file:
//   - a tiktoken rank file named r50k_base.tiktoken or cl100k_base.tiktoken (the name picks the
//     pre-tokenizer and the special tokens);
//   - GPT-2's encoder.json, with its vocab.bpe beside it;
//   - a WordPiece vocab.txt (uncased, BERT's special tokens);
//   - any other *.json: a Hugging Face tokenizer.json (text/hf_tokenizer.h says what is taken).
// Loaded once per process and spec. Fails naming the spec and what is accepted, or the file and
// line of what is wrong.
Expected<std::shared_ptr<const Tokenizer>> load_tokenizer(const std::string& spec);

}  // namespace sluice::text
