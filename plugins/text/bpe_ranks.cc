#include "text/bpe_ranks.h"

#include "base64.h"

#include <charconv>
#include <fstream>
#include <unordered_map>

namespace sluice::text {

Expected<BpeRanks> BpeRanks::load_tiktoken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open the BPE rank file '" + path + "'");
  BpeRanks r;
  std::unordered_map<int32_t, int64_t> rank_lines;
  std::unordered_map<std::string, int32_t> seen;
  int64_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(line_number);
    const size_t space = line.find(' ');
    if (space == std::string::npos || space == 0) {
      return Status::Invalid(where + ": expected \"<base64 token> <rank>\", found '" +
                             line.substr(0, 60) + "'");
    }
    Expected<std::string> token = base64_decode(std::string_view(line).substr(0, space));
    if (!token.ok()) return Status::Invalid(where + ": token: " + token.status().message());
    int32_t rank = -1;
    const char* first = line.data() + space + 1;
    const char* last = line.data() + line.size();
    auto [end, ec] = std::from_chars(first, last, rank);
    if (ec != std::errc() || end != last || rank < 0) {
      return Status::Invalid(where + ": expected a rank from 0 to 2147483647, found '" +
                             std::string(first, last) + "'");
    }
    if (auto [it, fresh] = rank_lines.emplace(rank, line_number); !fresh) {
      return Status::Invalid(where + ": expected each rank once, found " + std::to_string(rank) +
                             " again (first on line " + std::to_string(it->second) + ")");
    }
    if (auto [it, fresh] = seen.emplace(*token, rank); !fresh) {
      return Status::Invalid(where + ": expected each token once, found the token of rank " +
                             std::to_string(it->second) + " again");
    }
    if (static_cast<size_t>(rank) >= r.tokens_.size()) {
      r.tokens_.resize(static_cast<size_t>(rank) + 1);
      r.used_.resize(static_cast<size_t>(rank) + 1);
    }
    r.tokens_[static_cast<size_t>(rank)] = std::move(*token);
    r.used_[static_cast<size_t>(rank)] = true;
  }
  if (in.bad()) return Status::IoError("cannot read the BPE rank file '" + path + "'");
  r.index();
  for (int byte = 0; byte < 256; ++byte) {
    if (r.rank(std::string(1, static_cast<char>(byte))) < 0) {
      return Status::Invalid(path + ": expected a rank for every single byte, found none for 0x" +
                             std::string(1, "0123456789abcdef"[byte >> 4]) +
                             "0123456789abcdef"[byte & 15]);
    }
  }
  return r;
}

void BpeRanks::index() {
  size_t capacity = 16;
  while (capacity < 2 * tokens_.size()) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  arena_.clear();
  for (size_t rank = 0; rank < tokens_.size(); ++rank) {
    if (!used_[rank]) continue;
    const std::string& token = tokens_[rank];
    Slot s{hash(token), static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(token.size()),
           static_cast<int32_t>(rank)};
    arena_ += token;
    size_t i = s.hash & mask_;
    while (slots_[i].rank >= 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

bool BpeRanks::bytes(int32_t id, std::string_view* out) const {
  if (id < 0 || id >= size() || !used_[static_cast<size_t>(id)]) return false;
  *out = tokens_[static_cast<size_t>(id)];
  return true;
}

}  // namespace sluice::text
