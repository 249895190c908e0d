// Helpers for the loader, validator and DOT tests: the schema test plugin's registry, and
// load-and-validate of pipeline text.
#pragma once

#include "engine/config/pipeline.h"

#include <optional>
#include <ostream>
#include <string>

namespace sluice {

// "LINE:COL", for test failure messages.
std::ostream& operator<<(std::ostream& os, const SourceLoc& loc);

}  // namespace sluice

namespace sluice::test {

// A registry holding the schema test plugin (tests/engine/config/schema_plugin), loaded once.
const Registry& schema_registry();

struct Checked {
  std::optional<Pipeline> pipeline;
  Diagnostics diags{"test.yaml"};
};

// Loads `yaml` (as file "test.yaml") with `overrides`, then validates it when it loaded.
Checked check_pipeline(const std::string& yaml, const Overrides& overrides = {});

// True when an error at line:col (1-based) contains `substring`.
bool has_error(const Diagnostics& diags, int line, int col, const std::string& substring);
bool has_error(const Diagnostics& diags, SourceLoc loc, const std::string& substring);

// The 1-based location of the `occurrence`-th (1-based) `needle` in `text`; throws
// std::runtime_error when there is none. Tests use it to say where an error must point.
SourceLoc locate(const std::string& text, const std::string& needle, int occurrence = 1);
size_t error_count(const Diagnostics& diags);

}  // namespace sluice::test
