#include "text/wordpiece.h"

#include <algorithm>
#include <fstream>

namespace sluice::text {
namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t utf8_chars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_utf8_continuation(c); }));
}

}  // namespace

Expected<WordPiece> WordPiece::load_vocab_txt(const std::string& path, WordPieceOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open the WordPiece vocabulary '" + path + "'");
  std::vector<std::string> tokens;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tokens.push_back(std::move(line));
  }
  if (in.bad()) return Status::IoError("cannot read the WordPiece vocabulary '" + path + "'");
  return from_tokens(std::move(tokens), std::move(options), path);
}

Expected<WordPiece> WordPiece::from_tokens(std::vector<std::string> tokens,
                                           WordPieceOptions options, const std::string& source) {
  WordPiece wp;
  wp.options_ = std::move(options);
  const std::string& prefix = wp.options_.continuation_prefix;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    const std::string where = source + ":" + std::to_string(i + 1);
    if (token.empty()) return Status::Invalid(where + ": expected a token, found an empty line");
    const auto id = static_cast<int32_t>(i);
    if (!wp.ids_.emplace(token, id).second) {
      return Status::Invalid(where + ": expected each token once, found '" + token +
                             "' again (first on line " + std::to_string(wp.ids_[token] + 1) + ")");
    }
    if (token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
      wp.continuation_ids_.emplace(token.substr(prefix.size()), id);
    }
  }
  wp.tokens_ = std::move(tokens);
  auto special = [&](const std::string& token, const char* role, int32_t* out) -> Status {
    *out = wp.id(token);
    if (*out < 0) {
      return Status::Invalid(source + ": expected the " + std::string(role) + " token '" + token +
                             "' in the vocabulary, found no such line");
    }
    return {};
  };
  SLUICE_RETURN_IF_ERROR(special(wp.options_.unk_token, "unknown", &wp.unk_id_));
  auto optional_special = [&](const std::string& token, const char* role, int32_t* out) {
    return token.empty() ? Status() : special(token, role, out);
  };
  SLUICE_RETURN_IF_ERROR(optional_special(wp.options_.cls_token, "classification", &wp.cls_id_));
  SLUICE_RETURN_IF_ERROR(optional_special(wp.options_.sep_token, "separator", &wp.sep_id_));
  SLUICE_RETURN_IF_ERROR(optional_special(wp.options_.pad_token, "padding", &wp.pad_id_));
  return wp;
}

std::string_view WordPiece::token(int32_t id) const {
  if (id < 0 || id >= size()) return {};
  return tokens_[static_cast<size_t>(id)];
}

int32_t WordPiece::id(std::string_view token) const {
  auto it = ids_.find(token);
  return it == ids_.end() ? -1 : it->second;
}

void WordPiece::encode(std::string_view text, bool special_tokens,
                       std::vector<int32_t>& ids) const {
  if (special_tokens && cls_id_ >= 0) ids.push_back(cls_id_);
  const std::string normalized = bert_normalize(text, options_.normalize);
  for (std::string_view word : bert_split(normalized)) encode_word(word, ids);
  if (special_tokens && sep_id_ >= 0) ids.push_back(sep_id_);
}

void WordPiece::encode_word(std::string_view word, std::vector<int32_t>& ids) const {
  if (utf8_chars(word) > static_cast<size_t>(options_.max_word_chars)) {
    ids.push_back(unk_id_);
    return;
  }
  const size_t first = ids.size();
  for (size_t start = 0; start < word.size();) {
    const auto& table = start == 0 ? ids_ : continuation_ids_;
    int32_t found = -1;
    size_t end = word.size();
    for (; end > start; --end) {
      if (end < word.size() && is_utf8_continuation(word[end])) continue;
      auto it = table.find(word.substr(start, end - start));
      if (it != table.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      ids.resize(first);
      ids.push_back(unk_id_);
      return;
    }
    ids.push_back(found);
    start = end;
  }
}

}  // namespace sluice::text
