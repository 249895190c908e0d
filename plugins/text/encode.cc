// text.encode: words to a tensor of vocabulary ids.
#include "text/ops.h"
#include "text/vocabulary_resource.h"
#include "text/words.h"

#include <optional>
#include <vector>

namespace sluice::text {
namespace {

class Encode : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.encode")
        .doc(
            "Maps the words of `words` (space-separated, as text.split_words writes them) to "
            "their ids in a vocabulary built in an earlier stage or loaded from a file: `ids` "
            "is a 1-D int32 tensor, words not in the vocabulary get the id of `unk_token`, and "
            "`length` is the number of words kept. With `max_length`, longer lists are cut to "
            "their first max_length words (or rejected, with `truncate: false`) and, with "
            "`pad`, shorter ones are filled with the id of `pad_token`, so every `ids` has "
            "shape (max_length,) and batches stack without padding.")
        .input("words", SLUICE_KIND_STRING, "Words separated by spaces")
        .output("ids", SLUICE_KIND_TENSOR, "Token ids, shape (length,) or (max_length,)",
                SLUICE_DTYPE_INT32)
        .output("length", SLUICE_KIND_INT, "Words encoded, before padding")
        .param(ParamSpec::Resource("vocabulary", Vocabulary::kType, "The vocabulary"))
        .param(ParamSpec::Int("max_length", "Most ids per record, up to 2^24; unset: no limit")
                   .range(1, 1 << 24)
                   .optional())
        .param(ParamSpec::Bool("pad", "Pad `ids` to max_length with the id of pad_token")
                   .default_value(true))
        .param(ParamSpec::Bool("truncate",
                               "Cut lists longer than max_length; false: reject the record")
                   .default_value(true))
        .param(ParamSpec::String("pad_token", "Padding token").default_value("<pad>"))
        .param(ParamSpec::String("unk_token", "Token for words not in the vocabulary")
                   .default_value("<unk>"));
  }

  Status open(Context& ctx, const Params& params) override {
    words_ = ctx.port("words");
    ids_ = ctx.port("ids");
    length_ = ctx.port("length");
    const auto name = params.get<std::string>("vocabulary");
    Expected<Vocabulary*> vocab = ctx.resource<Vocabulary>(name);
    if (!vocab.ok()) return vocab.status();
    table_ = (*vocab)->table();
    if (!table_) {
      return Status::Invalid("vocabulary '" + name + "': expected it built by " +
                             "text.vocabulary_update in an earlier stage or loaded from `path`, " +
                             "found it empty");
    }
    auto id_of = [&](const char* param) -> Expected<int32_t> {
      const auto token = params.get<std::string>(param);
      std::optional<int32_t> id = table_->id(token);
      if (!id) {
        return Status::Invalid(std::string("param '") + param + "': expected a token of " +
                               "vocabulary '" + name + "', found '" + token + "', which it lacks");
      }
      return *id;
    };
    Expected<int32_t> unk = id_of("unk_token");
    if (!unk.ok()) return unk.status();
    unk_id_ = *unk;
    max_length_ = params.get_optional<int64_t>("max_length");
    truncate_ = params.get<bool>("truncate");
    if (max_length_ && params.get<bool>("pad")) {
      Expected<int32_t> pad = id_of("pad_token");
      if (!pad.ok()) return pad.status();
      pad_id_ = *pad;
    }
    return {};
  }

  // Called from several threads at once: reads members only (the table is immutable).
  Status process(Record& record, Emitter& out) override {
    Expected<std::string_view> words = record.get_string(words_);
    if (!words.ok()) return words.status();
    std::vector<int32_t> ids;
    for_each_word(*words, [&](std::string_view w) { ids.push_back(table_->id(w).value_or(unk_id_)); });
    if (max_length_ && static_cast<int64_t>(ids.size()) > *max_length_) {
      if (!truncate_) {
        return Status::BadRecord(std::string("field '") + words_.name() + "': expected at most " +
                                 std::to_string(*max_length_) + " words (max_length), found " +
                                 std::to_string(ids.size()));
      }
      ids.resize(static_cast<size_t>(*max_length_));
    }
    const auto length = static_cast<int64_t>(ids.size());
    if (pad_id_) ids.resize(static_cast<size_t>(*max_length_), *pad_id_);
    Expected<Tensor> t = Tensor::from_values({static_cast<int64_t>(ids.size())}, ids.data(), ids.size());
    if (!t.ok()) return t.status();
    record.set_tensor(ids_, *t);
    record.set_int(length_, length);
    return out.emit(record);
  }

 private:
  Field words_, ids_, length_;
  std::shared_ptr<const VocabularyTable> table_;
  int32_t unk_id_ = 0;
  std::optional<int32_t> pad_id_;
  std::optional<int64_t> max_length_;
  bool truncate_ = true;
};

}  // namespace

void add_encode(PluginBuilder& plugin) { plugin.op<Encode>(); }

}  // namespace sluice::text
