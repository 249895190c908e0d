// text.vocabulary_update: counts words and builds a text.vocabulary at the end of the stream.
#include "text/files.h"
#include "text/ops.h"
#include "text/vocabulary_resource.h"
#include "text/words.h"

namespace sluice::text {
namespace {

class VocabularyUpdate : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.vocabulary_update")
        .doc("Counts the words of `words` (space-separated, as text.split_words writes them) "
             "over the whole stream, passing records on unchanged, and at the end builds the "
             "vocabulary resource from the counts (see text.vocabulary for the order and "
             "limits). Several nodes updating one vocabulary add up their counts. Use the "
             "vocabulary (text.encode) in a later stage: it is complete only when this stage "
             "ends. With `path`, also writes it to that file in the run directory, one token per "
             "line, which text.vocabulary's `path` loads back with the same ids. Metrics: "
             "`words` (counted), `distinct` (different words seen), `size` (vocabulary size).")
        .stateful()
        .input("words", SLUICE_KIND_STRING, "Words separated by spaces")
        .param(ParamSpec::Resource("vocabulary", Vocabulary::kType, "The vocabulary to build"))
        .param(ParamSpec::String("path",
                                 "File to write the vocabulary to, relative to the run directory")
                   .optional());
  }

  Status open(Context& ctx, const Params& params) override {
    ctx_ = &ctx;
    words_ = ctx.port("words");
    name_ = params.get<std::string>("vocabulary");
    Expected<Vocabulary*> vocab = ctx.resource<Vocabulary>(name_);
    if (!vocab.ok()) return vocab.status();
    vocab_ = *vocab;
    if (!vocab_->path().empty()) {
      return Status::Invalid("vocabulary '" + name_ + "': expected one to build, found one " +
                             "loaded from '" + vocab_->path() + "'");
    }
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    Expected<std::string_view> words = record.get_string(words_);
    if (!words.ok()) return words.status();
    for_each_word(*words, [&](std::string_view w) {
      auto it = counts_.find(w);
      if (it == counts_.end()) it = counts_.emplace(std::string(w), 0).first;
      ++it->second;
      ++total_;
    });
    return out.emit(record);
  }

  Status close(Emitter&) override {
    Status added = vocab_->add_counts(counts_);
    if (!added.ok()) return Status::Invalid("vocabulary '" + name_ + "': " + added.message());
    auto table = vocab_->table();
    ctx_->metric("words", static_cast<double>(total_));
    ctx_->metric("distinct", static_cast<double>(counts_.size()));
    ctx_->metric("size", static_cast<double>(table->size()));
    return path_.empty() ? Status() : write_whole_file(path_, table->to_text(), "vocabulary");
  }

 private:
  const Context* ctx_ = nullptr;
  Field words_;
  std::string name_;
  Vocabulary* vocab_ = nullptr;
  std::string path_;
  WordCounts counts_;
  int64_t total_ = 0;
};

}  // namespace

void add_vocabulary_update(PluginBuilder& plugin) { plugin.op<VocabularyUpdate>(); }

}  // namespace sluice::text
