// `${name}` references in pipeline strings (the rules are in pipeline.h). Internal to
// engine/config.
#pragma once

#include "engine/config/diagnostics.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

class Substituter {
 public:
  // `params` are the pipeline params references may name; the vector may grow while this object
  // lives, so a param can refer to those added before it. Both must outlive this object.
  Substituter(const std::vector<std::pair<std::string, YAML::Node>>& params, Diagnostics& diags);

  // `raw` with every reference in its string values resolved. `raw` is not changed: unchanged
  // subtrees are shared with it and keep their marks. A problem is reported at the string's own
  // location, or at `loc` for a node made in memory; a non-empty `where` ("--set data") starts the
  // message. A string with a problem is kept as written.
  YAML::Node value(const YAML::Node& raw, SourceLoc loc, const std::string& where = "");

 private:
  YAML::Node scalar(const YAML::Node& raw, SourceLoc loc, const std::string& where);
  // The text `name` stands for inside a longer string; reports and gives nullopt when there is
  // none.
  std::optional<std::string> text_of(const std::string& name, const std::string& in, SourceLoc loc,
                                     const std::string& where);
  const YAML::Node* find_param(const std::string& name) const;
  // A built-in or an environment variable.
  static std::optional<std::string> outside_value(const std::string& name);
  void unknown(const std::string& name, SourceLoc loc, const std::string& where);

  const std::vector<std::pair<std::string, YAML::Node>>& params_;
  Diagnostics& diags_;
};

// `text` with each `${` written `$${`, so substitution gives `text` back.
std::string escape_references(const std::string& text);

// The SLUICE_SHARE built-in: <directory of the running executable>/../share/sluice when that
// directory exists, else the source tree's share/.
std::string share_dir();

}  // namespace sluice
