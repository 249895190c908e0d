// io.write_jsonl: writes each record as one line of JSON.
#include "io/ops.h"
#include "io/output_file.h"
#include "json_record.h"

namespace sluice::io {
namespace {

// `json` without the blanks record_to_json puts after ':' and ',' (strings are left alone).
std::string compact(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\' && i + 1 < json.size()) {
        out += c;
        c = json[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ') {
      continue;
    }
    out += c;
  }
  return out;
}

class WriteJsonl : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("io.write_jsonl")
        .doc("Writes each record as one compact line of JSON, in the encoding io.read_jsonl "
             "reads (tensors as {\"dtype\", \"shape\", \"data\"}, bytes as {\"base64\"}), in "
             "stream order, and passes the record on. A record lacking a field listed in "
             "`fields` is rejected.")
        .sink()
        .stateful()
        .param(ParamSpec::String("path",
                                 "Output file, relative to the run directory; \"-\" writes "
                                 "standard output"))
        .param(ParamSpec::List("fields", SLUICE_PTYPE_STRING,
                               "Fields to write, in this order; default: all, in record order")
                   .optional());
  }

  Status open(Context& ctx, const Params& params) override {
    for (const auto& name : params.get_optional<std::vector<std::string>>("fields").value_or(
             std::vector<std::string>{})) {
      fields_.push_back(Field::named(name));
    }
    selected_ = params.has("fields");
    const auto path = params.get<std::string>("path");
    return file_.open(path == "-" ? path : ctx.output_path(path));
  }

  Status process(Record& record, Emitter& out) override {
    std::string line;
    if (selected_) {
      OwnedRecord subset;
      for (Field f : fields_) {
        sluice_value_view v = record.view(f);
        if (v.kind == SLUICE_KIND_ANY) {
          return Status::BadRecord(std::string("field '") + f.name() +
                                   "': expected it (listed in `fields`), found no such field");
        }
        subset.set_value(f, v);
      }
      line = compact(record_to_json(subset));
    } else {
      line = compact(record_to_json(record));
    }
    line += '\n';
    SLUICE_RETURN_IF_ERROR(file_.write(line));
    return out.emit(record);
  }

  Status close(Emitter&) override { return file_.close(); }

 private:
  std::vector<Field> fields_;
  bool selected_ = false;
  OutputFile file_;
};

}  // namespace

void add_write_jsonl(PluginBuilder& plugin) { plugin.op<WriteJsonl>(); }

}  // namespace sluice::io
