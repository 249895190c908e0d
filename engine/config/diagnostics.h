// Load-time diagnostics, printed gcc-style: `FILE:LINE:COL: error: MESSAGE`.
// Every message says what was expected and what was found.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice {

struct SourceLoc {
  int line = 0;  // 1-based; 0 when unknown
  int col = 0;   // 1-based

  bool operator==(const SourceLoc&) const = default;
};

struct Diagnostic {
  enum class Severity { kError, kWarning, kNote };
  Severity severity = Severity::kError;
  std::string file;
  SourceLoc loc;
  std::string message;

  // "FILE:LINE:COL: error: MESSAGE" (LINE:COL omitted when unknown).
  std::string format() const;
};

// The diagnostics of one load, in the order reported. Not thread-safe.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file = "") : file_(std::move(file)) {}
  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);
  void note(SourceLoc loc, std::string message);
  bool has_errors() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  // All diagnostics, one per line, sorted by line and column (those without a location first).
  std::string format() const;
  const std::string& file() const { return file_; }

 private:
  void add(Diagnostic::Severity severity, SourceLoc loc, std::string message);

  std::string file_;
  std::vector<Diagnostic> items_;
};

// " (did you mean 'x'?)" for the closest candidate within a small edit distance (adjacent
// transpositions count as one edit; case is ignored; the allowed distance grows with the length of
// `word`), else "". A candidate `plugin.word` also matches `word`.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sluice
