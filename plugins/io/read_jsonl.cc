// io.read_jsonl: one record per line of a JSON-lines file.
#include "io/line_reader.h"
#include "io/ops.h"
#include "json_record.h"

namespace sluice::io {
namespace {

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

class ReadJsonl : public Source {
 public:
  static OpSchema schema() {
    return OpSchema("io.read_jsonl")
        .doc("Reads a JSON-lines file (or standard input): one record per line, each a JSON "
             "object whose members become fields: strings, integers, fractional numbers and "
             "booleans are string, int, float and bool fields; {\"dtype\": \"int32\", \"shape\": "
             "[2], \"data\": [1, 2]} is a tensor; {\"base64\": \"...\"} is bytes. The fields "
             "are whatever the data holds. A record's position is its 1-based line number; "
             "blank lines are skipped. A line that is not such an object is rejected with "
             "FILE:LINE and the reason.")
        .source()
        .param(ParamSpec::String("path", "File to read; \"-\" reads standard input"));
  }

  static Status infer_fields(const Params&, const Context&, FieldSet& fields) {
    fields.set_open(true);
    return {};
  }

  Status open(Context&, const Params& params) override {
    return lines_.open(params.get<std::string>("path"));
  }

  Status produce(Emitter& out, bool& done) override {
    for (int i = 0; i < kRecordsPerProduce; ++i) {
      std::string_view line;
      Expected<bool> got = lines_.next(&line);
      if (!got.ok()) return got.status();
      if (!*got) {
        done = true;
        return {};
      }
      if (blank(line)) continue;
      OwnedRecord r;
      Status parsed = record_from_json(line, r);
      if (!parsed.ok()) {
        return reject(lines_.line_number(), lines_.name() + ":" +
                                                std::to_string(lines_.line_number()) + ": " +
                                                parsed.message());
      }
      r.set_position(lines_.line_number());
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
    }
    return {};
  }

 private:
  LineReader lines_;
};

}  // namespace

void add_read_jsonl(PluginBuilder& plugin) { plugin.op<ReadJsonl>(); }

}  // namespace sluice::io
