// text.train_bpe: learns byte-level BPE merges from the stream (text/bpe_trainer.h) and, at its
// end, writes the tokenizer.json and fills a text.tokenizer resource.
#include "text/bpe_trainer.h"
#include "text/files.h"
#include "text/hf_tokenizer.h"
#include "text/ops.h"
#include "text/tokenizer_resource.h"

#include <optional>

namespace sluice::text {
namespace {

BpeTrainerOptions options_of(const Params& params) {
  return {params.get<int64_t>("vocab_size"), params.get<int64_t>("min_frequency"),
          params.get<std::vector<std::string>>("special_tokens")};
}

PretokenPattern pattern_of(const Params& params) {
  return params.get<std::string>("pattern") == "cl100k" ? PretokenPattern::kCl100k
                                                        : PretokenPattern::kGpt2;
}

class TrainBpe : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.train_bpe")
        .doc(
            "Learns a byte-level BPE tokenizer from `text` over the whole stream, passing "
            "records on unchanged, with exactly the merges of Hugging Face tokenizers' "
            "BpeTrainer (ByteLevel pre-tokenizer without prefix space, the 256 bytes as initial "
            "alphabet) on the same texts and settings: ids 0 to n - 1 are `special_tokens`, "
            "then the 256 bytes, then the merges, most frequent pair first, until `vocab_size` "
            "tokens or a best pair seen fewer than `min_frequency` times. At the end it writes "
            "the tokenizer to `path` in the run directory as a Hugging Face tokenizer.json "
            "(tokenizers.Tokenizer.from_file and text.tokenize's `tokenizer` read it) and puts "
            "it in the text.tokenizer `resource` for text.tokenize and text.detokenize in later "
            "stages; as Hugging Face's, it matches special-token text by default. Metrics: "
            "`pieces` (pre-tokenized pieces counted), `distinct` (different pieces), `merges`, "
            "`vocab_size`.")
        .stateful()
        .input("text", SLUICE_KIND_STRING, "Text (any bytes)")
        .param(ParamSpec::Resource("resource", TokenizerResource::kType,
                                   "The text.tokenizer resource to fill")
                   .optional())
        .param(ParamSpec::String("path", "tokenizer.json to write, relative to the run directory")
                   .optional())
        .param(ParamSpec::Int("vocab_size",
                              "Tokens in all: the special tokens, the 256 bytes and the merges")
                   .default_value(1000)
                   .min(256))
        .param(ParamSpec::Int("min_frequency", "Fewest times a pair must be seen to merge")
                   .default_value(2)
                   .min(0))
        .param(ParamSpec::List("special_tokens", SLUICE_PTYPE_STRING,
                               "Special tokens, ids 0, 1, ... in this order")
                   .default_value(std::vector<std::string>{"<|endoftext|>"}))
        .param(ParamSpec::String("pattern", "Pre-tokenizer: GPT-2's or cl100k_base's regex")
                   .default_value(std::string("gpt2"))
                   .choices({"gpt2", "cl100k"}));
  }

  static Status check(const Params& params) {
    if (!params.has("resource") && !params.has("path")) {
      return Status::Invalid(
          "param 'resource': expected a tokenizer resource to fill or a "
          "`path` to write, found neither");
    }
    return check_bpe_trainer_options(options_of(params));
  }

  Status open(Context& ctx, const Params& params) override {
    ctx_ = &ctx;
    text_ = ctx.port("text");
    options_ = options_of(params);
    trainer_.emplace(pattern_of(params));
    if (auto name = params.get_optional<std::string>("resource")) {
      Expected<TokenizerResource*> resource = ctx.resource<TokenizerResource>(*name);
      if (!resource.ok()) return resource.status();
      resource_ = *resource;
      resource_name_ = *name;
    }
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    Expected<std::string_view> text = record.get_string(text_);
    if (!text.ok()) return text.status();
    trainer_->add(*text);
    return out.emit(record);
  }

  Status close(Emitter&) override {
    Expected<ByteBpe> bpe = trainer_->train(options_);
    if (!bpe.ok()) return bpe.status();
    ctx_->metric("pieces", static_cast<double>(trainer_->pieces()));
    ctx_->metric("distinct", static_cast<double>(trainer_->distinct_pieces()));
    ctx_->metric("merges", static_cast<double>(bpe->merges().size()));
    ctx_->metric("vocab_size", static_cast<double>(bpe->vocabulary_size()));
    if (!path_.empty()) {
      SLUICE_RETURN_IF_ERROR(write_whole_file(path_, hf_tokenizer_json(*bpe), "tokenizer"));
    }
    if (resource_ == nullptr) return {};
    SpecialTokenRules rules;
    rules.specials = bpe->specials();
    rules.matched_by_default = true;
    if (!rules.specials.empty()) rules.pad_id = rules.specials.front().id;
    Status set = resource_->set(make_bpe_tokenizer(std::move(*bpe), std::move(rules)));
    if (!set.ok())
      return Status::Invalid("tokenizer resource '" + resource_name_ + "': " + set.message());
    return {};
  }

 private:
  const Context* ctx_ = nullptr;
  Field text_;
  BpeTrainerOptions options_;
  std::optional<BpeTrainer> trainer_;
  TokenizerResource* resource_ = nullptr;
  std::string resource_name_;
  std::string path_;
};

}  // namespace

void add_train_bpe(PluginBuilder& plugin) { plugin.op<TrainBpe>(); }

}  // namespace sluice::text
