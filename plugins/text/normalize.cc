// text.normalize: Unicode normalisation of a text field.
#include "text/ops.h"
#include "text/text_field.h"
#include "text/unicode.h"

namespace sluice::text {
namespace {

class Normalize : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("text.normalize")
        .doc("Normalises UTF-8 text with ICU, in this order: the Unicode normal form `form` "
             "(nfc: canonical composition; nfkc: also folds compatibility characters such as "
             "ligatures and full-width forms; none), `strip_accents` (decomposes, removes "
             "non-spacing marks: é -> e), `lowercase` (full Unicode lowercasing, root locale: "
             "Σ -> σ, İ -> i̇), `collapse_whitespace` (runs of Unicode White_Space become one "
             "space, the ends are trimmed). A record whose text is not UTF-8 is rejected, "
             "naming the byte.")
        .input("text", SLUICE_KIND_STRING, "UTF-8 text")
        .output("text", SLUICE_KIND_STRING, "The normalised text, in place of the input")
        .param(ParamSpec::String("form", "Unicode normal form: nfc, nfkc or none")
                   .choices({"nfc", "nfkc", "none"})
                   .default_value("nfc"))
        .param(ParamSpec::Bool("strip_accents", "Remove accents and other combining marks")
                   .default_value(false))
        .param(ParamSpec::Bool("lowercase", "Lowercase (full Unicode)").default_value(true))
        .param(ParamSpec::Bool("collapse_whitespace",
                               "Make runs of white space one space and trim the ends")
                   .default_value(true));
  }

  Status open(Context& ctx, const Params& params) override {
    text_ = ctx.port("text");
    const auto form = params.get<std::string>("form");
    options_.form = form == "nfkc" ? NormalForm::kNfkc
                    : form == "nfc" ? NormalForm::kNfc
                                    : NormalForm::kNone;
    options_.strip_accents = params.get<bool>("strip_accents");
    options_.lowercase = params.get<bool>("lowercase");
    options_.collapse_whitespace = params.get<bool>("collapse_whitespace");
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    Expected<std::string_view> text = utf8_field(record, text_);
    if (!text.ok()) return text.status();
    record.set_string(text_, normalize(*text, options_));
    return {};
  }

 private:
  Field text_;  // input and output: the port is one binding
  NormalizeOptions options_;
};

}  // namespace

void add_normalize(PluginBuilder& plugin) { plugin.op<Normalize>(); }

}  // namespace sluice::text
