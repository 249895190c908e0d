// text.tokenize: text to token ids with a model's tokenizer (text/tokenizer.h).
#include "text/ops.h"
#include "text/text_field.h"
#include "text/tokenizer_resource.h"

#include <optional>
#include <vector>

namespace sluice::text {
namespace {

class Tokenize : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.tokenize")
        .doc(
            "Tokenizes `text` with a model's tokenizer, giving exactly the ids of the reference "
            "implementation (gpt2 and cl100k_base: tiktoken; bert-base-uncased, tokenizer.json "
            "files and text.train_bpe's tokenizers: Hugging Face tokenizers). `allowed_special` "
            "says which special tokens are recognised in the text: by default none for gpt2 and "
            "cl100k_base (tiktoken's encode_ordinary: <|endoftext|> is plain text) and all for "
            "the others (as Hugging Face does: \"[MASK]\" is id 103). `ids` is a 1-D int32 "
            "tensor and `length` the number of ids before padding. With `max_length`, "
            "`truncation` cuts the text's ids so that they and the special tokens fit, and "
            "`padding` fills `ids` to max_length with the model's pad id (<|endoftext|> for "
            "gpt2 and cl100k_base), so batches stack. Text that is not UTF-8 is rejected.")
        .input("text", SLUICE_KIND_STRING, "UTF-8 text")
        .output("ids", SLUICE_KIND_TENSOR, "Token ids, shape (length,) or (max_length,)",
                SLUICE_DTYPE_INT32)
        .output("length", SLUICE_KIND_INT, "Ids before padding")
        .param(tokenizer_spec_param(
            "A built-in tokenizer (gpt2, cl100k_base, bert-base-uncased) or the path of a "
            "tiktoken rank file (r50k_base.tiktoken, cl100k_base.tiktoken), of GPT-2's "
            "encoder.json, of a WordPiece vocab.txt or of a Hugging Face tokenizer.json (BPE "
            "with a ByteLevel pre-tokenizer, or WordPiece)"))
        .param(tokenizer_resource_param())
        .param(ParamSpec::Any("allowed_special",
                              "Special tokens whose text becomes their id: 'all', 'none' or a "
                              "list of their texts; default: as the reference tokenizer")
                   .optional())
        .param(ParamSpec::Bool("add_special_tokens",
                               "Add the model's special tokens ([CLS] and [SEP] for BERT); "
                               "default: as the reference tokenizer does")
                   .optional())
        .param(
            ParamSpec::Int("max_length", "Most ids per record, special tokens included, up to 2^24")
                .range(1, 1 << 24)
                .optional())
        .param(
            ParamSpec::Bool("truncation", "Cut longer sequences to max_length; false: reject them")
                .default_value(true))
        .param(ParamSpec::Bool("padding", "Pad `ids` to max_length").default_value(false));
  }

  // At load: the tokenizer loads (it is cached for open) and the other params suit it; with a
  // tokenizer resource, which may be built later, that is checked at open.
  static Status check(const Params& params) {
    if (params.get<bool>("padding") && !params.has("max_length")) {
      return Status::Invalid("param 'padding': expected max_length with it, found none");
    }
    Expected<std::shared_ptr<const Tokenizer>> t = tokenizer_at_load(params);
    if (!t.ok()) return t.status();
    return *t == nullptr ? Status() : check_for(**t, params);
  }

  Status open(Context& ctx, const Params& params) override {
    text_ = ctx.port("text");
    ids_ = ctx.port("ids");
    length_ = ctx.port("length");
    Expected<std::shared_ptr<const Tokenizer>> t = tokenizer_at_open(ctx, params);
    if (!t.ok()) return t.status();
    tokenizer_ = *t;
    SLUICE_RETURN_IF_ERROR(check_for(*tokenizer_, params));
    Expected<std::vector<const SpecialToken*>> allowed = allowed_specials(*tokenizer_, params);
    if (!allowed.ok()) return allowed.status();
    allowed_ = std::move(*allowed);
    special_ = adds_special_tokens(*tokenizer_, params);
    specials_ = special_count(*tokenizer_, special_);
    max_length_ = params.get_optional<int64_t>("max_length");
    truncation_ = params.get<bool>("truncation");
    padding_ = params.get<bool>("padding");
    return {};
  }

  // Called from several threads at once: reads members only (the tokenizer is immutable).
  Status process(Record& record, Emitter& out) override {
    Expected<std::string_view> text = utf8_field(record, text_);
    if (!text.ok()) return text.status();
    std::vector<int32_t> ids;
    if (special_) ids = tokenizer_->special_prefix();
    tokenizer_->encode(*text, allowed_, ids);
    if (max_length_) {
      const size_t room = static_cast<size_t>(*max_length_) - specials_;
      const size_t content = ids.size() - (special_ ? tokenizer_->special_prefix().size() : 0);
      if (content > room) {
        if (!truncation_) {
          return Status::BadRecord("field '" + std::string(text_.name()) + "': expected at most " +
                                   std::to_string(*max_length_) + " ids (max_length), found " +
                                   std::to_string(content + specials_));
        }
        ids.resize(ids.size() - (content - room));
      }
    }
    if (special_) {
      const auto& suffix = tokenizer_->special_suffix();
      ids.insert(ids.end(), suffix.begin(), suffix.end());
    }
    const auto length = static_cast<int64_t>(ids.size());
    if (padding_) ids.resize(static_cast<size_t>(*max_length_), tokenizer_->pad_id());
    Expected<Tensor> t =
        Tensor::from_values({static_cast<int64_t>(ids.size())}, ids.data(), ids.size());
    if (!t.ok()) return t.status();
    record.set_tensor(ids_, *t);
    record.set_int(length_, length);
    return out.emit(record);
  }

 private:
  // The params that depend on the tokenizer suit `t`.
  static Status check_for(const Tokenizer& t, const Params& params) {
    SLUICE_RETURN_IF_ERROR(allowed_specials(t, params).status());
    const auto max_length = params.get_optional<int64_t>("max_length");
    const size_t specials = special_count(t, adds_special_tokens(t, params));
    if (max_length && static_cast<size_t>(*max_length) < specials) {
      return Status::Invalid("param 'max_length': expected room for the " +
                             std::to_string(specials) + " special tokens, found " +
                             std::to_string(*max_length));
    }
    return {};
  }

  // The special tokens `allowed_special` names; without it, those the reference matches.
  static Expected<std::vector<const SpecialToken*>> allowed_specials(const Tokenizer& t,
                                                                     const Params& params) {
    const Param p = params.raw("allowed_special");
    std::vector<std::string> names;
    if (p.is_null()) {
      if (t.matches_specials_by_default()) names = {"all"};
    } else if (p.kind() == SLUICE_PARAM_STRING && p.as<std::string>() != "none") {
      names = {p.as<std::string>()};
    } else if (p.kind() == SLUICE_PARAM_LIST) {
      for (size_t i = 0; i < p.size(); ++i) {
        if (p.at(i).kind() != SLUICE_PARAM_STRING) {
          return Status::Invalid("param 'allowed_special': expected a list of special-token "
                                 "texts, found a list with a non-string at index " +
                                 std::to_string(i));
        }
        names.push_back(p.at(i).as<std::string>());
      }
    } else if (p.kind() != SLUICE_PARAM_STRING) {
      return Status::Invalid(
          "param 'allowed_special': expected 'all', 'none' or a list of special-token texts, "
          "found a value of another type");
    }
    Expected<std::vector<const SpecialToken*>> allowed = t.allowed_specials(names);
    if (!allowed.ok()) return Status::Invalid("param 'allowed_special': " + allowed.status().message());
    return allowed;
  }
  static bool adds_special_tokens(const Tokenizer& t, const Params& params) {
    return params.get_optional<bool>("add_special_tokens").value_or(t.adds_special_tokens());
  }
  static size_t special_count(const Tokenizer& t, bool special) {
    return special ? t.special_prefix().size() + t.special_suffix().size() : 0;
  }

  Field text_, ids_, length_;
  std::shared_ptr<const Tokenizer> tokenizer_;
  std::vector<const SpecialToken*> allowed_;  // into *tokenizer_
  bool special_ = false;
  size_t specials_ = 0;
  std::optional<int64_t> max_length_;
  bool truncation_ = true;
  bool padding_ = false;
};

}  // namespace

void add_tokenize(PluginBuilder& plugin) { plugin.op<Tokenize>(); }

}  // namespace sluice::text
