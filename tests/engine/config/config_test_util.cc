#include "engine/config/config_test_util.h"

#include "support/paths.h"

#include <algorithm>
#include <stdexcept>

namespace sluice {

std::ostream& operator<<(std::ostream& os, const SourceLoc& loc) {
  return os << loc.line << ":" << loc.col;
}

}  // namespace sluice

namespace sluice::test {

const Registry& schema_registry() {
  static Registry registry;
  static const bool loaded = [] {
    const std::string dir = test_plugin_dir() + "/schema";
    std::vector<std::string> problems = registry.load_dirs({dir});
    if (!problems.empty() || registry.find_op("schema.read") == nullptr) {
      throw std::runtime_error("cannot load the schema test plugin from " + dir +
                               (problems.empty() ? "" : ": " + problems.front()));
    }
    return true;
  }();
  (void)loaded;
  return registry;
}

Checked check_pipeline(const std::string& yaml, const Overrides& overrides) {
  Checked c;
  c.pipeline = load_pipeline_text(yaml, "test.yaml", overrides, c.diags);
  if (c.pipeline) validate_pipeline(*c.pipeline, schema_registry(), c.diags);
  return c;
}

bool has_error(const Diagnostics& diags, int line, int col, const std::string& substring) {
  return std::any_of(diags.items().begin(), diags.items().end(), [&](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::kError && d.loc.line == line && d.loc.col == col &&
           d.message.find(substring) != std::string::npos;
  });
}

bool has_error(const Diagnostics& diags, SourceLoc loc, const std::string& substring) {
  return has_error(diags, loc.line, loc.col, substring);
}

SourceLoc locate(const std::string& text, const std::string& needle, int occurrence) {
  size_t pos = std::string::npos;
  for (int i = 0; i < occurrence; ++i) {
    pos = text.find(needle, pos == std::string::npos ? 0 : pos + 1);
    if (pos == std::string::npos) {
      throw std::runtime_error("no occurrence " + std::to_string(occurrence) + " of '" + needle +
                               "' in the test text");
    }
  }
  size_t line_start = text.rfind('\n', pos);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
  return {line, static_cast<int>(pos - line_start) + 1};
}

size_t error_count(const Diagnostics& diags) {
  return std::count_if(diags.items().begin(), diags.items().end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::kError;
  });
}

}  // namespace sluice::test
