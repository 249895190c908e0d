// The text.tokenizer resource, and how ops find their tokenizer. A pipeline's tokenizer is either
// named by an op's `tokenizer` param (a built-in name or a vocabulary path, loaded once per
// process) or held by a text.tokenizer resource: loaded from its own `tokenizer` param, or built
// by text.train_bpe in an earlier stage and used by text.tokenize/detokenize in later ones.
// Thread-safe: the tokenizer is swapped whole under a lock; readers keep the one they took.
#pragma once

#include "text/tokenizer.h"

#include <sluice/sdk.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace sluice::text {

class TokenizerResource : public Resource {
 public:
  static constexpr const char* kType = "text.tokenizer";
  static ResourceSchema schema();
  static Status check(const Params& params);
  Status open(const Params& params) override;

  // The tokenizer; null until built or loaded.
  std::shared_ptr<const Tokenizer> get() const;
  // Replaces the tokenizer (text.train_bpe). INVALID_ARGUMENT when it was loaded from a file.
  Status set(std::shared_ptr<const Tokenizer> tokenizer);

 private:
  std::string spec_;  // what it was loaded from; "" when built
  mutable std::mutex mu_;
  std::shared_ptr<const Tokenizer> tokenizer_;
};

// The params of an op that tokenizes: `tokenizer` (a spec) and `resource` (a text.tokenizer),
// exactly one of them given.
ParamSpec tokenizer_spec_param(const std::string& doc);
ParamSpec tokenizer_resource_param();

// At load (an op's check): the tokenizer `tokenizer` names; null when the op names a `resource`,
// whose tokenizer may not exist yet. Fails unless exactly one of the two is given, or when the
// spec does not load; errors start "param 'tokenizer': ".
Expected<std::shared_ptr<const Tokenizer>> tokenizer_at_load(const Params& params);

// At open: the tokenizer of the spec or of the resource. Fails when the resource holds none yet
// (nothing built it in an earlier stage).
Expected<std::shared_ptr<const Tokenizer>> tokenizer_at_open(const Context& ctx,
                                                             const Params& params);

}  // namespace sluice::text
