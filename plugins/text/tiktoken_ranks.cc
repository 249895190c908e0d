#include "text/tiktoken_ranks.h"

#include "base64.h"
#include "text/byte_alphabet.h"
#include "text/files.h"
#include "text/json_file.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_map>

namespace sluice::text {
namespace {

std::string hex_byte(unsigned char byte) {
  static const char* kHex = "0123456789abcdef";
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 15];
}

// At most the first 60 bytes of `text`, for error messages.
std::string excerpt(std::string_view text) {
  return text.size() <= 60 ? std::string(text) : std::string(text.substr(0, 60)) + "...";
}

// Calls `line(number, text)` for each line of `text` (1-based numbers, "\r\n" ends a line too)
// until it returns a non-OK status, which is returned.
template <class F>
Status for_each_line(std::string_view text, F&& line) {
  int64_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    std::string_view current = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!current.empty() && current.back() == '\r') current.remove_suffix(1);
    SLUICE_RETURN_IF_ERROR(line(number, current));
  }
  return {};
}

}  // namespace

Expected<RankTable> RankTable::from_tokens(std::vector<std::string> tokens) {
  RankTable t;
  t.offsets_.reserve(tokens.size() + 1);
  for (const std::string& token : tokens) {
    t.offsets_.push_back(static_cast<uint32_t>(t.arena_.size()));
    t.arena_ += token;
  }
  t.offsets_.push_back(static_cast<uint32_t>(t.arena_.size()));
  size_t capacity = 16;
  while (capacity < 2 * tokens.size()) capacity *= 2;
  t.slots_.assign(capacity, Slot{});
  t.mask_ = capacity - 1;
  t.byte_rank_.fill(-1);
  t.pair_rank_.assign(1 << 16, -1);
  for (size_t r = 0; r < tokens.size(); ++r) {
    const std::string& token = tokens[r];
    if (token.empty()) continue;
    if (const int32_t earlier = t.rank(token); earlier >= 0) {
      return Status::Invalid("expected each token once, found the token of rank " +
                             std::to_string(earlier) + " again with rank " + std::to_string(r));
    }
    const Key k = key(token);
    size_t i = k.hash & t.mask_;
    while (t.slots_[i].rank >= 0) i = (i + 1) & t.mask_;
    t.slots_[i] = Slot{k.prefix, static_cast<uint32_t>(token.size()), static_cast<int32_t>(r)};
    if (token.size() == 1) {
      t.byte_rank_[static_cast<unsigned char>(token[0])] = static_cast<int32_t>(r);
    }
    if (token.size() == 2) {
      t.pair_rank_[static_cast<unsigned char>(token[0]) << 8 |
                   static_cast<unsigned char>(token[1])] = static_cast<int32_t>(r);
    }
  }
  for (int byte = 0; byte < 256; ++byte) {
    if (t.rank(std::string(1, static_cast<char>(byte))) < 0) {
      return Status::Invalid("expected a rank for every single byte, found none for byte " +
                             hex_byte(static_cast<unsigned char>(byte)));
    }
  }
  return t;
}

bool RankTable::token(int32_t id, std::string_view* bytes) const {
  if (id < 0 || id >= size()) return false;
  const uint32_t begin = offsets_[static_cast<size_t>(id)];
  const uint32_t end = offsets_[static_cast<size_t>(id) + 1];
  if (begin == end) return false;
  *bytes = std::string_view(arena_).substr(begin, end - begin);
  return true;
}

Expected<RankTable> load_tiktoken_ranks(const std::string& path) {
  Expected<std::string> text = read_whole_file(path, "tiktoken rank file");
  if (!text.ok()) return text.status();
  // A token a line, ranked from 0 without gaps: no rank reaches the count of lines, so a larger
  // one is refused before the table is sized by it.
  const auto lines = static_cast<int64_t>(std::count(text->begin(), text->end(), '\n') + 1);
  std::vector<std::string> tokens;
  std::vector<int64_t> line_of_rank;  // 0: rank not given yet
  Status status = for_each_line(*text, [&](int64_t line, std::string_view content) -> Status {
    if (content.empty()) return {};
    const std::string where = path + ":" + std::to_string(line) + ": ";
    const size_t space = content.find(' ');
    if (space == std::string_view::npos || space == 0) {
      return Status::Invalid(where + "expected \"<base64 token> <rank>\", found \"" +
                             excerpt(content) + "\"");
    }
    Expected<std::string> token = base64_decode(content.substr(0, space));
    if (!token.ok()) return Status::Invalid(where + "token: " + token.status().message());
    if (token->empty()) return Status::Invalid(where + "expected a token, found an empty one");
    const std::string_view rank_text = content.substr(space + 1);
    int32_t rank = -1;
    const auto [end, error] =
        std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (error != std::errc() || end != rank_text.data() + rank_text.size() || rank < 0) {
      return Status::Invalid(where + "expected a rank from 0 to 2147483647, found \"" +
                             excerpt(rank_text) + "\"");
    }
    if (rank >= lines) {
      return Status::Invalid(where + "expected a rank below " + std::to_string(lines) +
                             " (the file's lines, ranked from 0), found " + std::to_string(rank));
    }
    const auto r = static_cast<size_t>(rank);
    if (r >= tokens.size()) {
      tokens.resize(r + 1);
      line_of_rank.resize(r + 1);
    }
    if (line_of_rank[r] != 0) {
      return Status::Invalid(where + "expected each rank once, found rank " + std::to_string(rank) +
                             " again (first on line " + std::to_string(line_of_rank[r]) + ")");
    }
    tokens[r] = std::move(*token);
    line_of_rank[r] = line;
    return {};
  });
  if (!status.ok()) return status;
  Expected<RankTable> table = RankTable::from_tokens(std::move(tokens));
  if (!table.ok()) return Status::Invalid(path + ": " + table.status().message());
  return table;
}

Expected<RankTable> load_gpt2_ranks(const std::string& encoder_json_path,
                                    const std::string& vocab_bpe_path) {
  std::vector<std::string> tokens;
  for (unsigned char byte : byte_alphabet_order()) tokens.emplace_back(1, static_cast<char>(byte));
  std::unordered_map<std::string, int32_t> rank_of;
  for (size_t r = 0; r < tokens.size(); ++r) rank_of.emplace(tokens[r], static_cast<int32_t>(r));

  Expected<std::string> merges = read_whole_file(vocab_bpe_path, "GPT-2 merges file");
  if (!merges.ok()) return merges.status();
  Status status = for_each_line(*merges, [&](int64_t line, std::string_view content) -> Status {
    if (content.empty() || (line == 1 && content.starts_with("#version"))) return {};
    const std::string where = vocab_bpe_path + ":" + std::to_string(line) + ": ";
    const size_t space = content.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == content.size() ||
        content.find(' ', space + 1) != std::string_view::npos) {
      return Status::Invalid(where + "expected a merge \"<first> <second>\", found \"" +
                             excerpt(content) + "\"");
    }
    std::string merged;
    for (std::string_view part : {content.substr(0, space), content.substr(space + 1)}) {
      std::string bytes;
      if (!from_byte_alphabet(part, &bytes)) {
        return Status::Invalid(where + "expected text in GPT-2's byte alphabet, found \"" +
                               excerpt(part) + "\"");
      }
      if (!rank_of.contains(bytes)) {
        return Status::Invalid(where +
                               "expected each part to be a byte or an earlier merge, "
                               "found \"" +
                               excerpt(part) + "\"");
      }
      merged += bytes;
    }
    const auto rank = static_cast<int32_t>(tokens.size());
    if (const auto [it, fresh] = rank_of.emplace(merged, rank); !fresh) {
      return Status::Invalid(where + "expected each merge once, found the token of rank " +
                             std::to_string(it->second) + " again");
    }
    tokens.push_back(std::move(merged));
    return {};
  });
  if (!status.ok()) return status;

  Expected<boost::json::value> parsed = read_json_file(encoder_json_path, "GPT-2 encoder file");
  if (!parsed.ok()) return parsed.status();
  const boost::json::value& json = *parsed;
  if (!json.is_object()) {
    return Status::Invalid(encoder_json_path + ": expected a JSON object of token -> id, found " +
                           "another value");
  }
  // Ids below tokens.size() are ranks and must be the merges' ranks; higher ids are special
  // tokens ("<|endoftext|>"), not ranks.
  size_t ranks_seen = 0;
  std::string bytes;
  for (const auto& [key, id_value] : json.as_object()) {
    const std::string where = encoder_json_path + ": token \"" + excerpt(key) + "\": ";
    if (!id_value.is_int64() || id_value.as_int64() < 0) {
      return Status::Invalid(where + "expected a non-negative integer id, found " +
                             boost::json::serialize(id_value));
    }
    const int64_t id = id_value.as_int64();
    if (id >= static_cast<int64_t>(tokens.size())) continue;
    if (!from_byte_alphabet(key, &bytes)) {
      return Status::Invalid(where + "expected text in GPT-2's byte alphabet");
    }
    const auto it = rank_of.find(bytes);
    if (it == rank_of.end() || it->second != id) {
      return Status::Invalid(
          where + "expected id " +
          (it == rank_of.end() ? std::string("of no token (not a merge of ") + vocab_bpe_path + ")"
                               : std::to_string(it->second)) +
          ", found " + std::to_string(id));
    }
    ++ranks_seen;
  }
  if (ranks_seen != tokens.size()) {
    return Status::Invalid(encoder_json_path + ": expected the " + std::to_string(tokens.size()) +
                           " tokens of the 256 bytes and the merges of " + vocab_bpe_path +
                           ", found " + std::to_string(ranks_seen));
  }
  return RankTable::from_tokens(std::move(tokens));
}

}  // namespace sluice::text
