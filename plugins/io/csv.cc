#include "io/csv.h"

namespace sluice::io {
namespace {

std::string show_char(char c) {
  if (c == '\t') return "'\\t'";
  return std::string("'") + c + "'";
}

}  // namespace

Status CsvReader::read_quoted(std::string_view* line, size_t* pos, std::string* out) {
  const char quote = *dialect_.quote;
  const int64_t open_line = lines_.line_number();
  const size_t open_column = *pos;  // 1-based column of the opening quote
  for (;;) {
    if (*pos >= line->size()) {
      Expected<bool> more = lines_.next(line);
      if (!more.ok()) return more.status();
      if (!*more) {
        return Status::BadRecord(lines_.name() + ":" + std::to_string(open_line) + ":" +
                                 std::to_string(open_column) +
                                 ": expected a closing quote for the field opened here, found "
                                 "the end of the file");
      }
      *out += '\n';
      *pos = 0;
      continue;
    }
    size_t q = line->find(quote, *pos);
    if (q == std::string_view::npos) {
      out->append(line->substr(*pos));
      *pos = line->size();
      continue;
    }
    out->append(line->substr(*pos, q - *pos));
    if (q + 1 < line->size() && (*line)[q + 1] == quote) {
      *out += quote;
      *pos = q + 2;
      continue;
    }
    *pos = q + 1;
    return {};
  }
}

Expected<bool> CsvReader::next(CsvRow* row) {
  std::string_view line;
  do {
    Expected<bool> got = lines_.next(&line);
    if (!got.ok() || !*got) return got;
  } while (line.empty());
  row->line = lines_.line_number();
  row->fields.clear();
  size_t pos = 0;
  for (;;) {
    std::string& field = row->fields.emplace_back();
    if (dialect_.quote && pos < line.size() && line[pos] == *dialect_.quote) {
      ++pos;
      SLUICE_RETURN_IF_ERROR(read_quoted(&line, &pos, &field));
      if (pos < line.size() && line[pos] != dialect_.delimiter) {
        return Status::BadRecord(lines_.name() + ":" + std::to_string(lines_.line_number()) + ":" +
                                 std::to_string(pos + 1) +
                                 ": expected a delimiter or the end of the line after a closing "
                                 "quote, found " + show_char(line[pos]));
      }
    } else {
      size_t end = line.find(dialect_.delimiter, pos);
      if (end == std::string_view::npos) end = line.size();
      field.assign(line.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= line.size()) return true;
    ++pos;  // past the delimiter; a delimiter at the end of the line starts an empty last field
  }
}

Status append_csv_field(std::string* line, std::string_view value, const CsvDialect& dialect) {
  const char special[] = {dialect.delimiter, '\n', '\r', dialect.quote.value_or('\n')};
  const bool needs_quotes =
      value.find_first_of(std::string_view(special, sizeof(special))) != std::string_view::npos;
  if (!needs_quotes) {
    line->append(value);
    return {};
  }
  if (!dialect.quote) {
    return Status::Invalid("expected a value without the delimiter " +
                           show_char(dialect.delimiter) +
                           " or line breaks (no quote character is set), found '" +
                           std::string(value.substr(0, 40)) + "'");
  }
  const char quote = *dialect.quote;
  *line += quote;
  for (char c : value) {
    if (c == quote) *line += quote;
    *line += c;
  }
  *line += quote;
  return {};
}

}  // namespace sluice::io
