#include "text/vocabulary_resource.h"

#include "text/ops.h"
#include "text/unicode.h"

#include <set>

namespace sluice::text {

ResourceSchema Vocabulary::schema() {
  return ResourceSchema(kType)
      .doc("A vocabulary: tokens with int32 ids (a token's id is its position). Built by "
           "text.vocabulary_update from the words it counts: `specials` first, then the words "
           "seen at least `min_count` times, most frequent first (ties in bytewise order), up "
           "to `max_size` tokens in all. Or loaded from `path`, one token per line, token i "
           "(0-based line) getting id i, as written by text.vocabulary_update's `path` (or a "
           "BERT vocab.txt); then the file is the whole vocabulary and the other params do not "
           "apply. text.encode reads it in a later stage.")
      .param(ParamSpec::Int("min_count", "Fewest times a word must be seen to be kept")
                 .default_value(1)
                 .min(1))
      .param(ParamSpec::Int("max_size", "Most tokens in all, specials included; 0: no limit")
                 .default_value(0)
                 .min(0))
      .param(ParamSpec::List("specials", SLUICE_PTYPE_STRING,
                             "Tokens placed first, with ids 0, 1, ...: padding, unknown "
                             "words and any others")
                 .default_value(std::vector<std::string>{"<pad>", "<unk>"}))
      .param(ParamSpec::String("path",
                               "Vocabulary file to load, one token per line; unset: built by "
                               "text.vocabulary_update")
                 .optional());
}

Status Vocabulary::check(const Params& params) {
  const auto specials = params.get<std::vector<std::string>>("specials");
  std::set<std::string> seen;
  for (const auto& s : specials) {
    if (s.empty() || !check_utf8(s).ok() || find_white_space(s) != std::string::npos) {
      return Status::Invalid("param 'specials': expected tokens (UTF-8, not empty, no white "
                             "space), found '" + s + "'");
    }
    if (!seen.insert(s).second) {
      return Status::Invalid("param 'specials': expected each token once, found '" + s +
                             "' twice");
    }
  }
  const auto max_size = params.get<int64_t>("max_size");
  if (max_size > 0 && max_size < static_cast<int64_t>(specials.size())) {
    return Status::Invalid("param 'max_size': expected room for the " +
                           std::to_string(specials.size()) + " specials, found " +
                           std::to_string(max_size));
  }
  return {};
}

Status Vocabulary::open(const Params& params) {
  SLUICE_RETURN_IF_ERROR(check(params));
  specials_ = params.get<std::vector<std::string>>("specials");
  min_count_ = params.get<int64_t>("min_count");
  max_size_ = params.get<int64_t>("max_size");
  path_ = params.get_optional<std::string>("path").value_or("");
  if (path_.empty()) return {};
  Expected<VocabularyTable> loaded = VocabularyTable::load(path_);
  if (!loaded.ok()) return loaded.status();
  table_ = std::make_shared<const VocabularyTable>(std::move(*loaded));
  return {};
}

Status Vocabulary::add_counts(const WordCounts& counts) {
  if (!path_.empty()) {
    return Status::Invalid("expected a vocabulary to build, found one loaded from '" + path_ +
                           "' (a loaded vocabulary is not updated)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [word, count] : counts) counts_[word] += count;
  table_ = std::make_shared<const VocabularyTable>(
      VocabularyTable::build(specials_, counts_, min_count_, max_size_));
  return {};
}

std::shared_ptr<const VocabularyTable> Vocabulary::table() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_;
}

void add_vocabulary(PluginBuilder& plugin) { plugin.resource<Vocabulary>(); }

}  // namespace sluice::text
