// An example third-party plugin: `text_stats.count` counts the characters (UTF-8 code points),
// words and lines of a string field. Built out of tree against the installed SDK (see
// CMakeLists.txt beside it); everything it needs comes from <sluice/sdk.hpp>.
#include <sluice/sdk.hpp>

#include <cctype>
#include <string_view>

namespace {

struct Counts {
  int64_t chars = 0;
  int64_t words = 0;
  int64_t lines = 0;
};

Counts count(std::string_view text) {
  Counts c;
  bool in_word = false;
  for (unsigned char ch : text) {
    if ((ch & 0xC0) != 0x80) ++c.chars;  // not a UTF-8 continuation byte
    if (ch == '\n') ++c.lines;
    bool space = std::isspace(ch) != 0;
    if (!space && !in_word) ++c.words;
    in_word = !space;
  }
  if (!text.empty() && text.back() != '\n') ++c.lines;
  return c;
}

class CountOp : public sluice::Op {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("text_stats.count")
        .doc("Counts the UTF-8 characters, whitespace-separated words and lines of a text field.")
        .input("text", SLUICE_KIND_STRING, "Text to count")
        .output("chars", SLUICE_KIND_INT, "Number of Unicode code points")
        .output("words", SLUICE_KIND_INT, "Number of whitespace-separated words")
        .output("lines", SLUICE_KIND_INT, "Number of lines (a last line without newline counts)")
        .param(sluice::ParamSpec::Int("min_words", "Records with fewer words are filtered out")
                   .default_value(0)
                   .min(0));
  }

  sluice::Status open(sluice::Context& ctx, const sluice::Params& params) override {
    text_ = ctx.port("text");
    chars_ = ctx.port("chars");
    words_ = ctx.port("words");
    lines_ = ctx.port("lines");
    min_words_ = params.get<int64_t>("min_words");
    return {};
  }

  // Called from several threads at once: reads members only.
  sluice::Status process(sluice::Record& record, sluice::Emitter& out) override {
    auto text = record.get_string(text_);
    if (!text.ok()) return text.status();  // rejects this record
    Counts c = count(*text);
    if (c.words < min_words_) return {};  // not emitted: filtered out
    record.set_int(chars_, c.chars);
    record.set_int(words_, c.words);
    record.set_int(lines_, c.lines);
    return out.emit(record);
  }

 private:
  sluice::Field text_, chars_, words_, lines_;
  int64_t min_words_ = 0;
};

}  // namespace

SLUICE_PLUGIN("text_stats", "1.0.0", "Example third-party plugin: text statistics.") {
  plugin.op<CountOp>();
}
