// io.read_lines: one record per line of a text file.
#include "io/line_reader.h"
#include "io/ops.h"

namespace sluice::io {
namespace {

class ReadLines : public Source {
 public:
  static OpSchema schema() {
    return OpSchema("io.read_lines")
        .doc("Reads a text file (or standard input) line by line: one record per line, with the "
             "line (without its \"\\n\" or \"\\r\\n\") in `text`. A record's position is its "
             "1-based line number. Bytes are passed through as they are (UTF-8 is not checked).")
        .source()
        .output("text", SLUICE_KIND_STRING, "The line's text")
        .param(ParamSpec::String("path", "File to read; \"-\" reads standard input"));
  }

  Status open(Context& ctx, const Params& params) override {
    text_ = ctx.port("text");
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
      OwnedRecord r;
      r.set_string(text_, line);
      r.set_position(lines_.line_number());
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
    }
    return {};
  }

 private:
  Field text_;
  LineReader lines_;
};

}  // namespace

void add_read_lines(PluginBuilder& plugin) { plugin.op<ReadLines>(); }

}  // namespace sluice::io
