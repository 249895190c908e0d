// text.detokenize: token ids back to text, the exact inverse of text.tokenize for byte-level BPE.
#include "text/id_tensor.h"
#include "text/ops.h"
#include "text/tokenizer_resource.h"

#include <vector>

namespace sluice::text {
namespace {

class Detokenize : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.detokenize")
        .doc(
            "Turns the token ids of `ids` back into `text` (bytes exactly as they were "
            "tokenized, for the byte-level BPE tokenizers: gpt2, cl100k_base, BPE "
            "tokenizer.json files and text.train_bpe's; special tokens become their text). With "
            "`use_length`, only the first `length` ids are "
            "decoded, so the padding that text.tokenize added is left out. A record with an "
            "id that is no token is rejected, naming the id.")
        .input("ids", SLUICE_KIND_TENSOR, "Token ids, 1-D int32 or int64")
        .input("length", SLUICE_KIND_INT, "Ids to decode (with use_length)")
        .output("text", SLUICE_KIND_STRING, "The decoded text")
        .param(tokenizer_spec_param("gpt2, cl100k_base, or the path of a tiktoken rank file "
                                    "named r50k_base.tiktoken or cl100k_base.tiktoken, of "
                                    "GPT-2's encoder.json or of a BPE tokenizer.json"))
        .param(tokenizer_resource_param())
        .param(ParamSpec::Bool("use_length", "Decode only the first `length` ids")
                   .default_value(false));
  }

  // At load: the tokenizer loads and can decode exactly (a resource's tokenizer: at open).
  static Status check(const Params& params) {
    Expected<std::shared_ptr<const Tokenizer>> t = tokenizer_at_load(params);
    if (!t.ok()) return t.status();
    return *t == nullptr ? Status() : check_decodes(**t);
  }

  Status open(Context& ctx, const Params& params) override {
    ids_ = ctx.port("ids");
    length_ = ctx.port("length");
    text_ = ctx.port("text");
    use_length_ = params.get<bool>("use_length");
    Expected<std::shared_ptr<const Tokenizer>> t = tokenizer_at_open(ctx, params);
    if (!t.ok()) return t.status();
    tokenizer_ = *t;
    return check_decodes(*tokenizer_);
  }

  // Called from several threads at once: reads members only.
  Status process(Record& record, Emitter& out) override {
    Expected<Tensor> tensor = record.get_tensor(ids_);
    if (!tensor.ok()) return tensor.status();
    int64_t length = -1;
    if (use_length_) {
      Expected<int64_t> n = record.get_int(length_);
      if (!n.ok()) return n.status();
      length = *n;
    }
    Expected<std::vector<int32_t>> ids = ids_of(*tensor, ids_, length);
    if (!ids.ok()) return ids.status();
    std::string text;
    Status s = tokenizer_->decode(*ids, text);
    if (!s.ok())
      return Status::BadRecord("field '" + std::string(ids_.name()) + "': " + s.message());
    record.set_string(text_, text);
    return out.emit(record);
  }

 private:
  static Status check_decodes(const Tokenizer& t) {
    std::string probe;
    Status s = t.decode({}, probe);
    if (s.code() == SLUICE_UNSUPPORTED) return Status::Invalid("param 'tokenizer': " + s.message());
    return {};
  }

  Field ids_, length_, text_;
  bool use_length_ = false;
  std::shared_ptr<const Tokenizer> tokenizer_;
};

}  // namespace

void add_detokenize(PluginBuilder& plugin) { plugin.op<Detokenize>(); }

}  // namespace sluice::text
