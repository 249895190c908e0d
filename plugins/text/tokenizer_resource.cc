#include "text/tokenizer_resource.h"

#include "text/ops.h"

namespace sluice::text {

ResourceSchema TokenizerResource::schema() {
  return ResourceSchema(kType)
      .doc("A tokenizer shared by the nodes of a pipeline: loaded from `tokenizer` (a built-in "
           "name or a vocabulary path, as text.tokenize's `tokenizer` param takes), or, without "
           "it, built by text.train_bpe and used by text.tokenize and text.detokenize (param "
           "`resource`) in later stages.")
      .param(ParamSpec::String("tokenizer",
                               "A built-in tokenizer or a vocabulary path; unset: built by "
                               "text.train_bpe")
                 .optional());
}

Status TokenizerResource::check(const Params& params) {
  if (auto spec = params.get_optional<std::string>("tokenizer")) {
    Expected<std::shared_ptr<const Tokenizer>> t = load_tokenizer(*spec);
    if (!t.ok()) return Status::Invalid("param 'tokenizer': " + t.status().message());
  }
  return {};
}

Status TokenizerResource::open(const Params& params) {
  spec_ = params.get_optional<std::string>("tokenizer").value_or("");
  if (spec_.empty()) return {};
  Expected<std::shared_ptr<const Tokenizer>> t = load_tokenizer(spec_);
  if (!t.ok()) return Status::Invalid("param 'tokenizer': " + t.status().message());
  tokenizer_ = *t;
  return {};
}

std::shared_ptr<const Tokenizer> TokenizerResource::get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokenizer_;
}

Status TokenizerResource::set(std::shared_ptr<const Tokenizer> tokenizer) {
  if (!spec_.empty()) {
    return Status::Invalid("expected a tokenizer resource to build, found one loaded from '" +
                           spec_ + "'");
  }
  std::lock_guard<std::mutex> lock(mu_);
  tokenizer_ = std::move(tokenizer);
  return {};
}

ParamSpec tokenizer_spec_param(const std::string& doc) {
  return ParamSpec::String("tokenizer", doc).optional();
}

ParamSpec tokenizer_resource_param() {
  return ParamSpec::Resource("resource", TokenizerResource::kType,
                             "A text.tokenizer resource to use instead of `tokenizer`")
      .optional();
}

Expected<std::shared_ptr<const Tokenizer>> tokenizer_at_load(const Params& params) {
  const auto spec = params.get_optional<std::string>("tokenizer");
  const bool resource = params.has("resource");
  if (spec.has_value() == resource) {
    return Status::Invalid(std::string("param 'tokenizer': expected either a tokenizer or a ") +
                           "tokenizer resource (param 'resource'), found " +
                           (resource ? "both" : "neither"));
  }
  if (resource) return std::shared_ptr<const Tokenizer>();
  Expected<std::shared_ptr<const Tokenizer>> t = load_tokenizer(*spec);
  if (!t.ok()) return Status::Invalid("param 'tokenizer': " + t.status().message());
  return t;
}

Expected<std::shared_ptr<const Tokenizer>> tokenizer_at_open(const Context& ctx,
                                                             const Params& params) {
  Expected<std::shared_ptr<const Tokenizer>> t = tokenizer_at_load(params);
  if (!t.ok() || *t != nullptr) return t;
  const auto name = params.get<std::string>("resource");
  Expected<TokenizerResource*> resource = ctx.resource<TokenizerResource>(name);
  if (!resource.ok()) return resource.status();
  std::shared_ptr<const Tokenizer> built = (*resource)->get();
  if (built == nullptr) {
    return Status::Invalid("tokenizer resource '" + name + "': expected a tokenizer built by " +
                           "text.train_bpe in an earlier stage, found none yet");
  }
  return built;
}

void add_tokenizer_resource(PluginBuilder& plugin) { plugin.resource<TokenizerResource>(); }

}  // namespace sluice::text
