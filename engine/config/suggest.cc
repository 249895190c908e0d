// did_you_mean(): the closest candidate by optimal string alignment distance (Levenshtein plus
// adjacent transpositions), ignoring case.
#include "engine/config/diagnostics.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace sluice {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: i-2, i-1 and i.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// Distance from `word` to `candidate`; for a candidate `plugin.name` and a word without a dot, at
// most one more than the distance to `name`, so a word missing the plugin prefix finds it.
size_t distance(std::string_view word, std::string_view candidate) {
  size_t d = edit_distance(word, candidate);
  size_t dot = candidate.rfind('.');
  if (dot != std::string_view::npos && word.find('.') == std::string_view::npos) {
    d = std::min(d, edit_distance(word, candidate.substr(dot + 1)) + 1);
  }
  return d;
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const size_t allowed = std::max<size_t>(1, word.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == word) return "";
    size_t d = distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = &candidate;
    }
  }
  return best != nullptr ? " (did you mean '" + *best + "'?)" : "";
}

}  // namespace sluice
