// Runs a command line in a shell for CLI and integration tests, feeding `input` on stdin and
// capturing stdout, stderr and the exit code.
#pragma once

#include <string>

namespace sluice::test {

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// `command` is run by /bin/sh -c in `cwd` (the build dir when empty).
CommandResult run_command(const std::string& command, const std::string& input = "",
                          const std::string& cwd = "");

// Quotes `s` for /bin/sh.
std::string shell_quote(const std::string& s);

}  // namespace sluice::test
