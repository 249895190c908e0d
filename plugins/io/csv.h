// CSV (RFC 4180) reading and field formatting, with a configurable delimiter and quote.
//
// Reading: a field that starts with the quote character is quoted: it ends at the next lone
// quote, may hold delimiters and line breaks, and writes a quote as two quotes; only a delimiter
// or the end of the line may follow it. A quote inside an unquoted field is an ordinary
// character. With no quote character every field is unquoted (TSV). Empty lines are skipped.
// A line break inside a quoted field reads as "\n" whatever the file used.
#pragma once

#include "io/line_reader.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::io {

struct CsvDialect {
  char delimiter = ',';
  std::optional<char> quote = '"';
};

// One record: its fields and the (first) line it was read from.
struct CsvRow {
  std::vector<std::string> fields;
  int64_t line = 0;
};

// Reads records from `lines`, which must outlive the reader. Not thread-safe.
class CsvReader {
 public:
  CsvReader(LineReader& lines, CsvDialect dialect) : lines_(lines), dialect_(dialect) {}
  // The next record in `*row`: true, or false at the end of the input. A malformed record is
  // BAD_RECORD "FILE:LINE:COLUMN: what was expected, found what"; reading goes on after it.
  Expected<bool> next(CsvRow* row);

 private:
  // Reads the quoted field starting at `*pos` of `*line` (past its opening quote) into `out`,
  // pulling more lines while the field goes on; `*pos` ends past the closing quote.
  Status read_quoted(std::string_view* line, size_t* pos, std::string* out);

  LineReader& lines_;
  CsvDialect dialect_;
};

// Appends `value` to `line` as one CSV field, quoted when it holds the delimiter, the quote or a
// line break. Without a quote character such a value is INVALID_ARGUMENT saying why.
Status append_csv_field(std::string* line, std::string_view value, const CsvDialect& dialect);

}  // namespace sluice::io
