// text.split_words: cuts a text field into words (see words.h for the representation).
#include "text/ops.h"
#include "text/text_field.h"
#include "text/words.h"

#include <optional>

namespace sluice::text {
namespace {

Expected<WordSplitter> splitter_of(const Params& params) {
  Expected<WordSplitter> s = WordSplitter::make(
      params.get_optional<std::string>("pattern").value_or(""), params.get<bool>("lowercase"));
  if (!s.ok()) return Status::Invalid("param 'pattern': " + s.status().message());
  return s;
}

class SplitWords : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("text.split_words")
        .doc("Cuts UTF-8 text into words and writes them to `words` as one string, the words "
             "separated by single spaces (\"Free entry!\" -> \"free entry\" with the pattern "
             "below and lowercase). Without `pattern` the words are the runs of non-white-space "
             "characters (Unicode White_Space); with it they are the matches of that ICU "
             "regular expression, e.g. \"[\\\\p{L}\\\\p{N}']+\" (letters, digits, "
             "apostrophes) or \"\\\\w+|[^\\\\w\\\\s]\" (words and single punctuation marks). "
             "text.vocabulary_update and text.encode read `words` by splitting at spaces, so "
             "the vocabulary and the encoding see the same words. A record whose text is not "
             "UTF-8, or where a match of `pattern` holds white space, is rejected.")
        .input("text", SLUICE_KIND_STRING, "UTF-8 text")
        .output("words", SLUICE_KIND_STRING, "The words, separated by single spaces")
        .param(ParamSpec::String("pattern",
                                 "ICU regular expression matching one word; unset: split at "
                                 "white space")
                   .optional())
        .param(ParamSpec::Bool("lowercase", "Lowercase the text first (full Unicode)")
                   .default_value(false));
  }

  static Status check(const Params& params) { return splitter_of(params).status(); }

  Status open(Context& ctx, const Params& params) override {
    text_ = ctx.port("text");
    words_ = ctx.port("words");
    Expected<WordSplitter> splitter = splitter_of(params);
    if (!splitter.ok()) return splitter.status();
    splitter_ = std::move(*splitter);
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    Expected<std::string_view> text = utf8_field(record, text_);
    if (!text.ok()) return text.status();
    Expected<std::string> words = splitter_->split(*text);
    if (!words.ok()) {
      return Status::BadRecord(std::string("field '") + text_.name() + "': " +
                               words.status().message());
    }
    record.set_string(words_, *words);
    return {};
  }

 private:
  Field text_, words_;
  std::optional<WordSplitter> splitter_;
};

}  // namespace

void add_split_words(PluginBuilder& plugin) { plugin.op<SplitWords>(); }

}  // namespace sluice::text
