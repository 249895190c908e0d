// Tokenizers behind text.tokenize: text to ids, exactly as the reference implementation of each
// model does it. Loaded by name or path and shared across nodes and threads (immutable).
#pragma once

#include <sluice/params.hpp>
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

  // Appends the ids of `text`, without special tokens (special-token text is encoded as
  // ordinary text). WordPiece needs valid UTF-8; byte-level BPE takes any bytes. Thread-safe.
  virtual void encode(std::string_view text, std::vector<int32_t>& ids) const = 0;
  // Appends the text of `ids` (special tokens as their text). BAD_RECORD naming the first id
  // that is no token; UNSUPPORTED for a tokenizer that cannot invert its encoding exactly.
  virtual Status decode(const std::vector<int32_t>& ids, std::string& text) const = 0;

  // What the model puts around a sequence when special tokens are added (BERT: [CLS] ... [SEP]).
  const std::vector<int32_t>& special_prefix() const { return prefix_; }
  const std::vector<int32_t>& special_suffix() const { return suffix_; }
  // Whether the reference tokenizer adds the special tokens by default.
  bool adds_special_tokens() const { return adds_special_tokens_; }
  // The id to pad with.
  int32_t pad_id() const { return pad_id_; }

 protected:
  std::vector<int32_t> prefix_, suffix_;
  bool adds_special_tokens_ = false;
  int32_t pad_id_ = 0;
};

// The tokenizer `spec` names: a built-in one (gpt2, cl100k_base, bert-base-uncased) or the path of
// a vocabulary file: a tiktoken rank file named r50k_base.tiktoken or cl100k_base.tiktoken (the
// name picks the pre-tokenizer), or a WordPiece vocab.txt (uncased). Loaded once per process and
// spec. Fails naming the spec and what is accepted, or the file and line of what is wrong.
Expected<std::shared_ptr<const Tokenizer>> load_tokenizer(const std::string& spec);

// The tokenizer an op's `tokenizer` param names; errors start "param 'tokenizer': ".
Expected<std::shared_ptr<const Tokenizer>> tokenizer_param(const Params& params);

}  // namespace sluice::text
