// Test plugin for the CLI tests: `cli.shout` upper-cases a string field (rejecting records whose
// field is not a string) and `cli.fail_at` fails the run at a given record position.
#include <sluice/sdk.hpp>

#include <cctype>
#include <string>

namespace {

class Shout : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("cli.shout")
        .doc("Upper-cases ASCII letters of `text` and appends `suffix`.")
        .input("text", SLUICE_KIND_STRING, "Text to upper-case")
        .output("text", SLUICE_KIND_STRING, "Upper-cased text")
        .param(sluice::ParamSpec::String("suffix", "Appended to the text").default_value("!"));
  }
  sluice::Status open(sluice::Context& ctx, const sluice::Params& params) override {
    text_in_ = ctx.port("text");
    suffix_ = params.get<std::string>("suffix");
    return {};
  }
  sluice::Status map(sluice::Record& r) override {
    auto text = r.get_string(text_in_);
    if (!text.ok()) return text.status();
    std::string out(*text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    r.set_string(text_in_, out + suffix_);
    return {};
  }

 private:
  sluice::Field text_in_;
  std::string suffix_;
};

class FailAt : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("cli.fail_at")
        .doc("Fails on the record at source position `position`.")
        .param(sluice::ParamSpec::Int("position", "Position that fails").min(0));
  }
  sluice::Status open(sluice::Context&, const sluice::Params& params) override {
    position_ = params.get<int64_t>("position");
    return {};
  }
  sluice::Status map(sluice::Record& r) override {
    if (r.position() == position_) {
      return sluice::Status::Internal("planned failure at position " + std::to_string(position_));
    }
    return {};
  }

 private:
  int64_t position_ = 0;
};

}  // namespace

SLUICE_PLUGIN("cli", "0.0.1", "Ops for the CLI tests.") {
  plugin.op<Shout>();
  plugin.op<FailAt>();
}
