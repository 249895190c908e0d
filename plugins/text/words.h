// Words: how text is cut into words, and how a list of words travels in a record.
//
// A word list is one string field, `words`, holding the words separated by single spaces (a
// word never holds white space). text.split_words writes it; text.vocabulary_update and
// text.encode read it with for_each_word(), so the vocabulary and the encoding see exactly the
// same words, and a pipeline can look at or change the words between the two (it is text).
#pragma once

#include <sluice/status.hpp>
#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <string_view>

U_NAMESPACE_BEGIN
class RegexPattern;
U_NAMESPACE_END

namespace sluice::text {

// Cuts text into words. Immutable after make(); thread-safe.
class WordSplitter {
 public:
  // Without `pattern` words are the runs of non-White_Space characters; with it, the
  // non-empty matches of the ICU regular expression `pattern` (e.g. "[\\p{L}\\p{N}']+" for
  // letters, digits and apostrophes). `lowercase` lowercases the text first (full Unicode).
  // INVALID_ARGUMENT for a bad pattern, naming the problem and its offset.
  static Expected<WordSplitter> make(const std::string& pattern, bool lowercase);

  // The words of `text` (valid UTF-8), joined by single spaces. INVALID_ARGUMENT when a match of
  // the pattern holds white space.
  Expected<std::string> split(std::string_view text) const;

 private:
  std::shared_ptr<const icu::RegexPattern> pattern_;  // null: split at white space
  bool lowercase_ = false;
};

// Calls f(word) for each space-separated word of `words`, skipping empty ones.
template <class F>
void for_each_word(std::string_view words, F&& f) {
  size_t start = 0;
  while (start < words.size()) {
    size_t end = words.find(' ', start);
    if (end == std::string_view::npos) end = words.size();
    if (end > start) f(words.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace sluice::text
