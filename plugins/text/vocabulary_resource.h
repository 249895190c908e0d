// The text.vocabulary resource: a vocabulary shared by the nodes of a pipeline, built by
// text.vocabulary_update (from word counts) or loaded from a file, and read by text.encode.
// Thread-safe: the table is swapped whole under a lock, and readers keep the table they took.
#pragma once

#include "text/vocabulary.h"

#include <sluice/sdk.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::text {

class Vocabulary : public Resource {
 public:
  static constexpr const char* kType = "text.vocabulary";
  static ResourceSchema schema();
  static Status check(const Params& params);
  Status open(const Params& params) override;

  // Adds `counts` to the words counted so far and rebuilds the table from all of them.
  // INVALID_ARGUMENT when the vocabulary was loaded from a file.
  Status add_counts(const WordCounts& counts);
  // The current table; null until built or loaded.
  std::shared_ptr<const VocabularyTable> table() const;
  // Where it was loaded from ("" when built).
  const std::string& path() const { return path_; }

 private:
  std::vector<std::string> specials_;
  int64_t min_count_ = 1;
  int64_t max_size_ = 0;
  std::string path_;
  mutable std::mutex mu_;
  WordCounts counts_;
  std::shared_ptr<const VocabularyTable> table_;
};

}  // namespace sluice::text
