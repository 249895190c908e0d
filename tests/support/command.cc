#include "support/command.h"

#include "support/paths.h"

#include <sys/wait.h>

#include <cstdlib>
#include <stdexcept>

namespace sluice::test {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult run_command(const std::string& command, const std::string& input,
                          const std::string& cwd) {
  std::string dir = temp_dir();
  std::string in_path = dir + "/stdin", out_path = dir + "/stdout", err_path = dir + "/stderr";
  write_file(in_path, input);
  std::string full = "cd " + shell_quote(cwd.empty() ? build_dir() : cwd) + " && (" + command +
                     ") <" + shell_quote(in_path) + " >" + shell_quote(out_path) + " 2>" +
                     shell_quote(err_path);
  int status = std::system(full.c_str());
  if (status == -1) throw std::runtime_error("cannot start /bin/sh for: " + command);
  CommandResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.exit_code = 128 + WTERMSIG(status);
  }
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

}  // namespace sluice::test
