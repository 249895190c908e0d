#include "io/path_pattern.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace sluice::io {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

bool has_wildcard(std::string_view segment) {
  return segment.find_first_of("*?") != std::string_view::npos;
}

void append_literal(std::string* regex, char c) {
  if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) *regex += '\\';
  *regex += c;
}

}  // namespace

Expected<PathPattern> PathPattern::compile(std::string_view pattern, bool allow_captures) {
  PathPattern p;
  p.text_ = std::string(pattern);
  const std::vector<std::string_view> segments = split_segments(pattern);
  std::string regex;
  for (size_t s = 0; s < segments.size(); ++s) {
    std::string_view seg = segments[s];
    const bool last = s + 1 == segments.size();
    if (seg == "**") {
      regex += last ? ".*" : "(?:[^/]+/)*";
      p.max_depth_ = -1;
      continue;
    }
    for (size_t i = 0; i < seg.size(); ++i) {
      char c = seg[i];
      if (c == '*') {
        if (i + 1 < seg.size() && seg[i + 1] == '*') {
          return Status::Invalid("pattern '" + p.text_ + "': expected '**' as a whole path " +
                                 "segment (as in 'a/**/b'), found it in '" + std::string(seg) +
                                 "'");
        }
        regex += "[^/]*";
      } else if (c == '?') {
        regex += "[^/]";
      } else if (c == '{' && allow_captures) {
        size_t close = seg.find('}', i);
        std::string name(seg.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1));
        if (close == std::string_view::npos || name.empty()) {
          return Status::Invalid("pattern '" + p.text_ + "': expected '{name}', found '" +
                                 std::string(seg.substr(i)) + "'");
        }
        if (std::find(p.names_.begin(), p.names_.end(), name) != p.names_.end()) {
          return Status::Invalid("pattern '" + p.text_ + "': expected each {name} once, found '{" +
                                 name + "}' twice");
        }
        p.names_.push_back(name);
        regex += "([^/]+?)";
        i = close;
      } else {
        append_literal(&regex, c);
      }
    }
    if (!last) regex += '/';
  }
  if (p.max_depth_ >= 0) p.max_depth_ = static_cast<int>(segments.size()) - 1;
  try {
    p.regex_ = std::regex(regex, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return Status::Internal("pattern '" + p.text_ + "' gave a bad regular expression '" + regex +
                            "': " + e.what());
  }
  return p;
}

bool PathPattern::match(const std::string& path,
                        std::vector<std::pair<std::string, std::string>>* captures) const {
  std::smatch m;
  if (!std::regex_match(path, m, regex_)) return false;
  if (captures != nullptr) {
    captures->clear();
    for (size_t i = 0; i < names_.size(); ++i) captures->emplace_back(names_[i], m[i + 1].str());
  }
  return true;
}

std::pair<std::string, std::string> split_glob_root(std::string_view glob) {
  const std::vector<std::string_view> segments = split_segments(glob);
  size_t first = 0;
  while (first + 1 < segments.size() && !has_wildcard(segments[first])) ++first;
  std::string root, rest;
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string& part = i < first ? root : rest;
    if (!part.empty() || (i > 0 && i != first)) part += '/';
    part += segments[i];
  }
  return {root, rest};
}

Expected<std::vector<std::string>> list_matching(const std::string& root,
                                                 const PathPattern& pattern) {
  const fs::path dir = root.empty() ? fs::path(".") : fs::path(root);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("expected '" + dir.string() + "' (the directory of pattern '" +
                            pattern.text() + "') to be a directory, found " +
                            (fs::exists(dir, ec) ? "a file" : "nothing there"));
  }
  std::vector<std::string> out;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (pattern.max_depth() >= 0 && it.depth() >= pattern.max_depth()) {
      it.disable_recursion_pending();
    }
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    std::string rel = it->path().lexically_relative(dir).generic_string();
    if (pattern.match(rel)) out.push_back(std::move(rel));
  }
  if (ec) {
    return Status::IoError("listing '" + dir.string() + "' for pattern '" + pattern.text() +
                           "' failed: " + ec.message());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluice::io
