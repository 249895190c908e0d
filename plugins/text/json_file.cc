#include "text/json_file.h"

#include "text/files.h"

#include <algorithm>

namespace sluice::text {

Expected<boost::json::value> read_json_file(const std::string& path, const char* what) {
  Expected<std::string> text = read_whole_file(path, what);
  if (!text.ok()) return text.status();
  boost::json::stream_parser parser;
  boost::system::error_code error;
  const size_t parsed = parser.write(text->data(), text->size(), error);
  if (!error) parser.finish(error);
  if (error) {
    const size_t at = std::min(parsed, text->size());
    const auto line =
        1 + std::count(text->begin(), text->begin() + static_cast<ptrdiff_t>(at), '\n');
    const size_t line_start = text->rfind('\n', at == 0 ? 0 : at - 1);
    const size_t column = line_start == std::string::npos || at == 0 ? at + 1 : at - line_start;
    return Status::Invalid(path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                           ": expected JSON, found " + error.message());
  }
  return parser.release();
}

}  // namespace sluice::text
