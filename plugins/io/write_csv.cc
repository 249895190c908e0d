// io.write_csv: writes chosen fields of each record as one CSV row.
#include "io/csv.h"
#include "io/csv_params.h"
#include "io/ops.h"
#include "io/output_file.h"

#include <charconv>

namespace sluice::io {
namespace {

// The text of a scalar field for a CSV cell; BAD_RECORD for tensors, bytes and absent fields.
Expected<std::string> cell_text(const Record& r, Field f) {
  sluice_value_view v = r.view(f);
  char buf[32];
  switch (v.kind) {
    case SLUICE_KIND_STRING: return std::string(v.data, v.size);
    case SLUICE_KIND_INT: return std::to_string(v.i);
    case SLUICE_KIND_BOOL: return std::string(v.i ? "true" : "false");
    case SLUICE_KIND_FLOAT: {
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v.f);
      return std::string(buf, end);
    }
    case SLUICE_KIND_ANY:
      return Status::BadRecord(std::string("field '") + f.name() +
                               "': expected it (listed in `fields`), found no such field");
    default:
      return Status::BadRecord(std::string("field '") + f.name() +
                               "': expected a string, number or bool for a CSV cell, found " +
                               kind_name(v.kind));
  }
}

class WriteCsv : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("io.write_csv")
        .doc("Writes the listed fields of each record as one CSV row (RFC 4180: a value holding "
             "the delimiter, the quote or a line break is quoted), in stream order, and passes "
             "the record on. Strings are written as they are, ints in decimal, floats in their "
             "shortest exact form, bools as true/false. A record lacking a listed field, or with "
             "a tensor or bytes in one, is rejected.")
        .sink()
        .stateful()
        .param(ParamSpec::String("path",
                                 "Output file, relative to the run directory; \"-\" writes "
                                 "standard output"))
        .param(ParamSpec::List("fields", SLUICE_PTYPE_STRING, "Fields to write, one column each"))
        .param(delimiter_param())
        .param(quote_param())
        .param(ParamSpec::Bool("header", "Write a first row with the field names")
                   .default_value(true));
  }

  static Status check(const Params& params) {
    if (params.get<std::vector<std::string>>("fields").empty()) {
      return Status::Invalid("param 'fields': expected at least one field, found none");
    }
    return dialect_from(params).status();
  }

  Status open(Context& ctx, const Params& params) override {
    Expected<CsvDialect> dialect = dialect_from(params);
    if (!dialect.ok()) return dialect.status();
    dialect_ = *dialect;
    const auto names = params.get<std::vector<std::string>>("fields");
    for (const auto& name : names) fields_.push_back(Field::named(name));
    const auto path = params.get<std::string>("path");
    SLUICE_RETURN_IF_ERROR(file_.open(path == "-" ? path : ctx.output_path(path)));
    if (!params.get<bool>("header")) return {};
    std::string line;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) line += dialect_.delimiter;
      Status s = append_csv_field(&line, names[i], dialect_);
      if (!s.ok()) return Status::Invalid("param 'fields': field '" + names[i] + "': " + s.message());
    }
    return file_.write(line + "\n");
  }

  Status process(Record& record, Emitter& out) override {
    std::string line;
    for (size_t i = 0; i < fields_.size(); ++i) {
      Expected<std::string> text = cell_text(record, fields_[i]);
      if (!text.ok()) return text.status();
      if (i > 0) line += dialect_.delimiter;
      Status s = append_csv_field(&line, *text, dialect_);
      if (!s.ok()) {
        return Status::BadRecord(std::string("field '") + fields_[i].name() + "': " + s.message());
      }
    }
    // A lone empty cell is written quoted, or the row would read back as a skipped empty line.
    if (line.empty() && dialect_.quote) line.assign(2, *dialect_.quote);
    line += '\n';
    SLUICE_RETURN_IF_ERROR(file_.write(line));
    return out.emit(record);
  }

  Status close(Emitter&) override { return file_.close(); }

 private:
  CsvDialect dialect_;
  std::vector<Field> fields_;
  OutputFile file_;
};

}  // namespace

void add_write_csv(PluginBuilder& plugin) { plugin.op<WriteCsv>(); }

}  // namespace sluice::io
