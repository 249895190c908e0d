#include "text/special_tokens.h"

namespace sluice::text {

std::vector<TextSegment> split_on_special(std::string_view text,
                                          const std::vector<const SpecialToken*>& allowed) {
  std::vector<TextSegment> segments;
  // next[k]: where allowed[k] next occurs at or after `done`; a text is searched for again only
  // once `done` has passed its occurrence, so each byte is searched a bounded number of times.
  std::vector<size_t> next(allowed.size());
  for (size_t k = 0; k < allowed.size(); ++k) next[k] = text.find(allowed[k]->text);
  size_t done = 0;
  while (true) {
    size_t first = std::string_view::npos;
    const SpecialToken* special = nullptr;
    for (size_t k = 0; k < allowed.size(); ++k) {
      if (next[k] == std::string_view::npos) continue;
      if (next[k] < first || (next[k] == first && allowed[k]->text.size() > special->text.size())) {
        first = next[k];
        special = allowed[k];
      }
    }
    if (special == nullptr) break;
    if (first > done) segments.push_back({text.substr(done, first - done)});
    segments.push_back({text.substr(first, special->text.size()), special});
    done = first + special->text.size();
    for (size_t k = 0; k < allowed.size(); ++k) {
      if (next[k] != std::string_view::npos && next[k] < done) {
        next[k] = text.find(allowed[k]->text, done);
      }
    }
  }
  if (done < text.size()) segments.push_back({text.substr(done)});
  return segments;
}

std::string quoted_texts(const std::vector<SpecialToken>& specials) {
  std::string list;
  for (const SpecialToken& s : specials) list += (list.empty() ? "\"" : ", \"") + s.text + "\"";
  return list.empty() ? "none" : list;
}

}  // namespace sluice::text
