// Every file in tests/data/bad_pipelines holds mistakes and, in its leading comments, one line
//   # expect: LINE:COL: MESSAGE-SUBSTRING
// per error the loader and validator must report at exactly that location. No other error may
// appear.
#include "engine/config/config_test_util.h"

#include "support/paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace {

struct Expectation {
  int line = 0;
  int col = 0;
  std::string substring;
};

std::vector<Expectation> expectations(const std::string& text) {
  const std::string prefix = "# expect: ";
  std::vector<Expectation> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line) && line.rfind("#", 0) == 0) {
    if (line.rfind(prefix, 0) != 0) continue;
    Expectation e;
    char colon1 = 0, colon2 = 0;
    std::istringstream fields(line.substr(prefix.size()));
    fields >> e.line >> colon1 >> e.col >> colon2;
    if (!fields || colon1 != ':' || colon2 != ':') {
      throw std::runtime_error("bad expectation line: " + line);
    }
    std::getline(fields >> std::ws, e.substring);
    out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("every bad pipeline reports exactly its expected errors", "[config]") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(sluice::test::source_dir() + "/tests/data/bad_pipelines")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 20);
  for (const fs::path& file : files) {
    const std::string text = sluice::test::read_file(file.string());
    const std::vector<Expectation> expected = expectations(text);
    sluice::Diagnostics diags(file.string());
    auto p = sluice::load_pipeline_file(file.string(), {}, diags);
    if (p) sluice::validate_pipeline(*p, sluice::test::schema_registry(), diags);

    INFO(file.filename().string() << "\n" << diags.format());
    CHECK_FALSE(expected.empty());
    for (const Expectation& e : expected) {
      INFO("expected " << e.line << ":" << e.col << ": " << e.substring);
      CHECK(sluice::test::has_error(diags, e.line, e.col, e.substring));
    }
    for (const sluice::Diagnostic& d : diags.items()) {
      if (d.severity != sluice::Diagnostic::Severity::kError) continue;
      bool wanted = std::any_of(expected.begin(), expected.end(), [&](const Expectation& e) {
        return e.line == d.loc.line && e.col == d.loc.col &&
               d.message.find(e.substring) != std::string::npos;
      });
      INFO("unexpected: " << d.format());
      CHECK(wanted);
    }
  }
}
