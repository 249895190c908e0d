// io.read_csv: one record per CSV/TSV row, a field per column.
#include "io/csv.h"
#include "io/csv_params.h"
#include "io/line_reader.h"
#include "io/ops.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace sluice::io {
namespace {

enum class ColumnType { kString, kInt, kFloat };

Expected<ColumnType> parse_column_type(const std::string& column, const std::string& type) {
  if (type == "string") return ColumnType::kString;
  if (type == "int") return ColumnType::kInt;
  if (type == "float") return ColumnType::kFloat;
  return Status::Invalid("param 'types': column '" + column +
                         "': expected string, int or float, found '" + type + "'");
}

sluice_kind kind_of(ColumnType t) {
  switch (t) {
    case ColumnType::kInt: return SLUICE_KIND_INT;
    case ColumnType::kFloat: return SLUICE_KIND_FLOAT;
    case ColumnType::kString: break;
  }
  return SLUICE_KIND_STRING;
}

Expected<std::map<std::string, ColumnType>> column_types(const Params& params) {
  std::map<std::string, ColumnType> out;
  auto types = params.get_optional<std::map<std::string, std::string>>("types");
  for (const auto& [column, type] : types.value_or(std::map<std::string, std::string>{})) {
    Expected<ColumnType> t = parse_column_type(column, type);
    if (!t.ok()) return t.status();
    out[column] = *t;
  }
  return out;
}

// `name` with each NUL character written as \0, for messages.
std::string shown_name(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  return out;
}

// Names must be non-empty, unique and free of NUL characters (field names are C strings in the
// ABI: "a\0x" would be cut short to "a", perhaps another column's name); `where` says where they
// come from, for messages.
Status check_names(const std::vector<std::string>& names, const std::string& where) {
  std::set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return Status::Invalid(where + ": expected a name for column " + std::to_string(i + 1) +
                             ", found an empty one");
    }
    if (names[i].find('\0') != std::string::npos) {
      return Status::Invalid(where + ": expected a name without NUL characters for column " +
                             std::to_string(i + 1) + ", found '" + shown_name(names[i]) + "'");
    }
    if (!seen.insert(names[i]).second) {
      return Status::Invalid(where + ": expected unique column names, found '" + names[i] +
                             "' twice");
    }
  }
  return {};
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class ReadCsv : public Source {
 public:
  static OpSchema schema() {
    return OpSchema("io.read_csv")
        .doc("Reads a CSV or TSV file (RFC 4180 quoting): one record per row, with a field per "
             "column, named by the header line or by `columns`. Columns are strings unless "
             "`types` says int or float. A record's position is the line its row starts on. A "
             "malformed row (wrong number of columns, a value that is not a number of its "
             "column's type, a broken quoted field) is rejected with a message naming "
             "FILE:LINE and what was expected and found: under `on_error: skip` the row is "
             "listed in rejected.jsonl and reading goes on, under `fail` the run stops. Empty "
             "lines are skipped.")
        .source()
        .param(ParamSpec::String("path", "File to read; \"-\" reads standard input"))
        .param(delimiter_param())
        .param(quote_param())
        .param(ParamSpec::Bool("header",
                               "The first row names the columns (it is not a record); with "
                               "`columns` also given, `columns` renames them")
                   .default_value(true))
        .param(ParamSpec::List("columns", SLUICE_PTYPE_STRING,
                               "Column names, in file order; required when `header` is false")
                   .optional())
        .param(ParamSpec::Map("types", SLUICE_PTYPE_STRING,
                              "Column name -> string | int | float (int: int64, float: "
                              "float64); columns not listed are strings")
                   .optional());
  }

  static Status check(const Params& params) {
    Expected<CsvDialect> dialect = dialect_from(params);
    if (!dialect.ok()) return dialect.status();
    auto columns = params.get_optional<std::vector<std::string>>("columns");
    if (!params.get<bool>("header") && !columns) {
      return Status::Invalid(
          "param 'columns': expected the column names when `header` is false, found none");
    }
    if (columns) SLUICE_RETURN_IF_ERROR(check_names(*columns, "param 'columns'"));
    auto types = column_types(params);
    if (!types.ok()) return types.status();
    if (columns) SLUICE_RETURN_IF_ERROR(check_typed_columns(*types, *columns, "`columns`"));
    return {};
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    auto types = column_types(params);
    if (!types.ok()) return types.status();
    auto columns = params.get_optional<std::vector<std::string>>("columns");
    if (!columns) fields.set_open(true);  // the header names them
    auto type_of = [&](const std::string& c) {
      auto it = types->find(c);
      return it == types->end() ? ColumnType::kString : it->second;
    };
    for (const auto& c : columns.value_or(std::vector<std::string>{})) {
      fields.put(Field::named(c), kind_of(type_of(c)));
    }
    if (!columns) {
      for (const auto& [c, t] : *types) fields.put(Field::named(c), kind_of(t));
    }
    return {};
  }

  Status open(Context&, const Params& params) override {
    Expected<CsvDialect> dialect = dialect_from(params);
    if (!dialect.ok()) return dialect.status();
    SLUICE_RETURN_IF_ERROR(lines_.open(params.get<std::string>("path")));
    reader_ = std::make_unique<CsvReader>(lines_, *dialect);
    auto columns = params.get_optional<std::vector<std::string>>("columns");
    std::vector<std::string> names = columns.value_or(std::vector<std::string>{});
    std::string names_from = "`columns`";
    if (params.get<bool>("header")) {
      CsvRow header;
      Expected<bool> got = reader_->next(&header);
      if (!got.ok()) return got.status();
      const std::string where = lines_.name() + ":" + std::to_string(header.line);
      if (*got && columns && header.fields.size() != columns->size()) {
        return Status::Invalid(where + ": expected a header of " +
                               std::to_string(columns->size()) + " columns (as `columns` names), " +
                               "found " + std::to_string(header.fields.size()));
      }
      if (*got && !columns) {
        SLUICE_RETURN_IF_ERROR(check_names(header.fields, where + ": header"));
        names = std::move(header.fields);
        names_from = "the header of " + lines_.name() + " (" + join(names) + ")";
      }
    }
    auto types = column_types(params);
    if (!types.ok()) return types.status();
    SLUICE_RETURN_IF_ERROR(check_typed_columns(*types, names, names_from));
    for (const auto& name : names) {
      auto it = types->find(name);
      columns_.push_back(
          {name, Field::named(name), it == types->end() ? ColumnType::kString : it->second});
    }
    return {};
  }

  Status produce(Emitter& out, bool& done) override {
    for (int i = 0; i < kRecordsPerProduce; ++i) {
      Expected<bool> got = reader_->next(&row_);
      if (!got.ok() && got.status().code() == SLUICE_BAD_RECORD) {
        return reject(row_.line, got.status().message());
      }
      if (!got.ok()) return got.status();
      if (!*got) {
        done = true;
        return {};
      }
      if (row_.fields.size() != columns_.size()) {
        return reject(row_.line, where() + ": expected " + std::to_string(columns_.size()) +
                                     " columns, found " + std::to_string(row_.fields.size()));
      }
      OwnedRecord r;
      for (size_t c = 0; c < columns_.size(); ++c) {
        Status s = set_column(r, columns_[c], row_.fields[c]);
        if (s.code() == SLUICE_BAD_RECORD) return reject(row_.line, s.message());
        SLUICE_RETURN_IF_ERROR(s);
      }
      r.set_position(row_.line);
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
    }
    return {};
  }

 private:
  struct Column {
    std::string name;
    Field field;
    ColumnType type;
  };

  static Status check_typed_columns(const std::map<std::string, ColumnType>& types,
                                    const std::vector<std::string>& names,
                                    const std::string& names_from) {
    for (const auto& [column, type] : types) {
      if (std::find(names.begin(), names.end(), column) == names.end()) {
        return Status::Invalid("param 'types': expected columns named by " + names_from +
                               ", found '" + column + "'");
      }
    }
    return {};
  }

  std::string where() const { return lines_.name() + ":" + std::to_string(row_.line); }

  Status set_column(Record& r, const Column& c, const std::string& text) const {
    if (c.type == ColumnType::kString) {
      r.set_string(c.field, text);
      return {};
    }
    const char* end = text.data() + text.size();
    if (c.type == ColumnType::kInt) {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), end, v);
      if (ec == std::errc() && ptr == end && !text.empty()) {
        r.set_int(c.field, v);
        return {};
      }
    } else {
      double v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), end, v);
      if (ec == std::errc() && ptr == end && !text.empty()) {
        r.set_float(c.field, v);
        return {};
      }
    }
    return Status::BadRecord(where() + ": column '" + c.name + "': expected " +
                             (c.type == ColumnType::kInt ? "an int" : "a float") + ", found '" +
                             text.substr(0, 40) + "'");
  }

  LineReader lines_;
  std::unique_ptr<CsvReader> reader_;
  std::vector<Column> columns_;
  CsvRow row_;
};

}  // namespace

void add_read_csv(PluginBuilder& plugin) { plugin.op<ReadCsv>(); }

}  // namespace sluice::io
