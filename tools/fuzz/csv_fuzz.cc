// libFuzzer target: any bytes as a CSV file (io/csv.h), read in the comma-and-quote dialect and
// in the tab dialect without quotes. Reading must not crash: a malformed record is BAD_RECORD and
// reading goes on, and record line numbers never go back. Every record read writes back, as
// io.write_csv writes it (append_csv_field, a lone empty field quoted), to a line that reads to
// the same fields, its line breaks as the reader gives them ("\n"); in the dialect without
// quotes a field that cannot be written (it holds the delimiter or a line break) is refused.
#include "fuzz_file.h"
#include "io/csv.h"
#include "io/line_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using sluice::io::CsvDialect;
using sluice::io::CsvReader;
using sluice::io::CsvRow;
using sluice::io::LineReader;

// The records of the file at `path` that read without error.
std::vector<CsvRow> read_rows(const std::string& path, const CsvDialect& dialect) {
  LineReader lines;
  if (!lines.open(path).ok()) std::abort();
  CsvReader reader(lines, dialect);
  std::vector<CsvRow> rows;
  for (int64_t last_line = 0;;) {
    CsvRow row;
    sluice::Expected<bool> got = reader.next(&row);
    if (!got.ok()) {
      if (got.status().code() != SLUICE_BAD_RECORD) std::abort();
      continue;
    }
    if (!*got) return rows;
    if (row.line < last_line) std::abort();
    last_line = row.line;
    rows.push_back(std::move(row));
  }
}

// `row` as io.write_csv writes it, or false when a field cannot be written in `dialect`.
bool written_line(const CsvRow& row, const CsvDialect& dialect, std::string* line) {
  line->clear();
  for (size_t i = 0; i < row.fields.size(); ++i) {
    if (i > 0) *line += dialect.delimiter;
    if (!sluice::io::append_csv_field(line, row.fields[i], dialect).ok()) return false;
  }
  if (line->empty() && dialect.quote) line->assign(2, *dialect.quote);
  return true;
}

void check_dialect(const uint8_t* data, size_t size, const CsvDialect& dialect) {
  const std::string in =
      write_fuzz_file(".csv", std::string_view(reinterpret_cast<const char*>(data), size));
  for (const CsvRow& row : read_rows(in, dialect)) {
    std::string line;
    if (!written_line(row, dialect, &line)) {
      if (dialect.quote) std::abort();  // with quotes every field can be written
      continue;
    }
    line += '\n';
    const std::vector<CsvRow> back = read_rows(write_fuzz_file("-out.csv", line), dialect);
    // A field's "\r\n" comes back as "\n" (a line break reads as "\n"), and a field that ends
    // in "\r" before a line break likewise: compare with those line breaks made "\n".
    std::vector<std::string> want;
    for (const std::string& f : row.fields) {
      std::string& w = want.emplace_back();
      for (size_t i = 0; i < f.size(); ++i) {
        if (!(f[i] == '\r' && i + 1 < f.size() && f[i + 1] == '\n')) w += f[i];
      }
    }
    if (back.size() != 1 || back[0].fields != want) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check_dialect(data, size, CsvDialect{',', '"'});
  check_dialect(data, size, CsvDialect{'\t', std::nullopt});
  return 0;
}
