#include "text/vocabulary.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace sluice::text {

bool VocabularyTable::add(std::string token) {
  auto [it, added] = ids_.try_emplace(token, static_cast<int32_t>(tokens_.size()));
  if (added) tokens_.push_back(std::move(token));
  return added;
}

VocabularyTable VocabularyTable::build(const std::vector<std::string>& specials,
                                       const WordCounts& counts, int64_t min_count,
                                       int64_t max_size) {
  VocabularyTable t;
  for (const auto& s : specials) t.add(s);
  std::vector<std::pair<std::string_view, int64_t>> ranked;
  for (const auto& [word, count] : counts) {
    if (count >= min_count && !t.id(word)) ranked.emplace_back(word, count);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const size_t limit = max_size > 0 ? static_cast<size_t>(max_size) : SIZE_MAX;
  for (const auto& [word, count] : ranked) {
    if (t.size() >= limit) break;
    t.add(std::string(word));
  }
  return t;
}

Expected<VocabularyTable> VocabularyTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string message = "cannot open the vocabulary '" + path + "': " + std::strerror(errno);
    return errno == ENOENT ? Status::NotFound(message) : Status::IoError(message);
  }
  VocabularyTable t;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = path + ":" + std::to_string(n) + ": ";
    if (line.empty()) return Status::Invalid(where + "expected a token, found an empty line");
    if (!t.add(line)) {
      return Status::Invalid(where + "expected each token once, found '" + line + "' again " +
                             "(first on line " + std::to_string(*t.id(line) + 1) + ")");
    }
  }
  if (in.bad()) return Status::IoError("reading the vocabulary '" + path + "' failed");
  return t;
}

std::string VocabularyTable::to_text() const {
  std::string out;
  for (const auto& token : tokens_) out += token + "\n";
  return out;
}

std::optional<int32_t> VocabularyTable::id(std::string_view token) const {
  auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sluice::text
