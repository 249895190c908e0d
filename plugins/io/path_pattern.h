// Path patterns for io.list_files: globs over relative paths, with optional named captures.
//
// In a pattern, `*` matches any characters but '/', `?` one character but '/', and `**` as a
// whole path segment any number of directories (`a/**/b` matches `a/b` and `a/x/y/b`; a last
// `**` matches everything below). With captures allowed, `{name}` matches one or more characters
// but '/' and captures them (the shortest match that lets the rest match). Every other character
// matches itself; there are no character classes. Immutable after compile(); thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::io {

class PathPattern {
 public:
  // INVALID_ARGUMENT for a `**` that is not a whole segment, or a bad or repeated `{name}`.
  static Expected<PathPattern> compile(std::string_view pattern, bool allow_captures);

  // True when the whole of `path` ('/'-separated) matches; fills `captures` (name, text) then.
  bool match(const std::string& path,
             std::vector<std::pair<std::string, std::string>>* captures = nullptr) const;
  const std::vector<std::string>& capture_names() const { return names_; }
  const std::string& text() const { return text_; }
  // Directory levels below the root a match can reach, or -1 when unbounded (`**`).
  int max_depth() const { return max_depth_; }

 private:
  std::string text_;
  std::regex regex_;
  std::vector<std::string> names_;
  int max_depth_ = 0;
};

// Splits a glob into the directory to list (its segments before the first one holding `*` or
// `?`; "" for the working directory) and the pattern relative to it:
// "data/img/**/*.png" -> {"data/img", "**/*.png"}.
std::pair<std::string, std::string> split_glob_root(std::string_view glob);

// Paths relative to `root` ("" for the working directory), '/'-separated and sorted bytewise,
// of the regular files below it that match `pattern`. NOT_FOUND when `root` is not a directory.
Expected<std::vector<std::string>> list_matching(const std::string& root,
                                                 const PathPattern& pattern);

}  // namespace sluice::io
