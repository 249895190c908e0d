#include "engine/config/diagnostics.h"

#include <algorithm>

namespace sluice {
namespace {

const char* severity_name(Diagnostic::Severity severity) {
  switch (severity) {
    case Diagnostic::Severity::kWarning:
      return "warning";
    case Diagnostic::Severity::kNote:
      return "note";
    case Diagnostic::Severity::kError:
      break;
  }
  return "error";
}

}  // namespace

std::string Diagnostic::format() const {
  std::string where = file;
  if (loc.line > 0) {
    if (!where.empty()) where += ":";
    where += std::to_string(loc.line) + ":" + std::to_string(loc.col);
  }
  if (!where.empty()) where += ": ";
  return where + severity_name(severity) + ": " + message;
}

void Diagnostics::add(Diagnostic::Severity severity, SourceLoc loc, std::string message) {
  items_.push_back(Diagnostic{severity, file_, loc, std::move(message)});
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  add(Diagnostic::Severity::kError, loc, std::move(message));
}

void Diagnostics::warning(SourceLoc loc, std::string message) {
  add(Diagnostic::Severity::kWarning, loc, std::move(message));
}

void Diagnostics::note(SourceLoc loc, std::string message) {
  add(Diagnostic::Severity::kNote, loc, std::move(message));
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::kError;
  });
}

std::string Diagnostics::format() const {
  std::vector<const Diagnostic*> sorted;
  sorted.reserve(items_.size());
  for (const Diagnostic& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return a->loc.line != b->loc.line ? a->loc.line < b->loc.line : a->loc.col < b->loc.col;
  });
  std::string out;
  for (const Diagnostic* d : sorted) out += d->format() + "\n";
  return out;
}

}  // namespace sluice
