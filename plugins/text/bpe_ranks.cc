#include "text/bpe_ranks.h"

#include "base64.h"

#include <charconv>
#include <fstream>

namespace sluice::text {

Expected<BpeRanks> BpeRanks::load_tiktoken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open the BPE rank file '" + path + "'");
  BpeRanks r;
  std::unordered_map<int32_t, int64_t> rank_lines;
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
    if (auto [it, fresh] = r.ranks_.emplace(*token, rank); !fresh) {
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
  for (int byte = 0; byte < 256; ++byte) {
    if (r.rank(std::string(1, static_cast<char>(byte))) < 0) {
      return Status::Invalid(path + ": expected a rank for every single byte, found none for 0x" +
                             std::string(1, "0123456789abcdef"[byte >> 4]) +
                             "0123456789abcdef"[byte & 15]);
    }
  }
  return r;
}

bool BpeRanks::bytes(int32_t id, std::string_view* out) const {
  if (id < 0 || id >= size() || !used_[static_cast<size_t>(id)]) return false;
  *out = tokens_[static_cast<size_t>(id)];
  return true;
}

}  // namespace sluice::text
