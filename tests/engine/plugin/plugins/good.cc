// A well-formed test plugin written with the C++ SDK: a map op, a source, an op that emits only at
// the end of the stream, and a resource type.
#include <sluice/sdk.hpp>

#include <cctype>
#include <string>

namespace {

using sluice::Field;
using sluice::ParamSpec;
using sluice::Status;

struct Tagged {
  virtual ~Tagged() = default;
  int tag = 7;
};

// Resource is deliberately not the first base, so a Resource* differs from the Prefix*: the SDK
// must hand out the latter, which is what Context::resource<Prefix> reads.
class Prefix : public Tagged, public sluice::Resource {
 public:
  static constexpr const char* kType = "good.prefix";
  static sluice::ResourceSchema schema() {
    return sluice::ResourceSchema(kType)
        .doc("A text prefix")
        .param(ParamSpec::String("text", "The prefix"));
  }
  Status open(const sluice::Params& params) override {
    text = params.get<std::string>("text");
    return {};
  }
  std::string text;
};

// Upper-cases `text`, putting the `prefix` resource's text before it and `suffix` after it.
class Upper : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("good.upper")
        .doc("Upper-cases text; rejects empty text")
        .input("text", SLUICE_KIND_STRING, "Text")
        .output("text", SLUICE_KIND_STRING, "Upper-cased text")
        .param(ParamSpec::String("suffix", "Appended").default_value(""))
        .param(ParamSpec::Resource("prefix", Prefix::kType, "Prefix resource").optional());
  }
  Status open(sluice::Context& ctx, const sluice::Params& params) override {
    text_ = ctx.port("text");
    suffix_ = params.get<std::string>("suffix");
    if (auto name = params.get_optional<std::string>("prefix")) {
      auto prefix = ctx.resource<Prefix>(*name);
      if (!prefix.ok()) return prefix.status();
      if ((*prefix)->tag != 7) return Status::Internal("resource pointer is not a Prefix*");
      prefix_ = (*prefix)->text;
    }
    return {};
  }
  Status map(sluice::Record& r) override {
    auto text = r.get_string(text_);
    if (!text.ok()) return text.status();
    if (text->empty()) return Status::BadRecord("field 'text' is empty");
    std::string out(*text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    r.set_string(text_, prefix_ + out + suffix_);
    return {};
  }

 private:
  Field text_;
  std::string suffix_, prefix_;
};

// Emits {"i": 0} ... {"i": n-1}, one per call; index `bad_at` is a rejected input record.
class Count : public sluice::Source {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("good.count")
        .doc("Counts from 0")
        .source()
        .output("i", SLUICE_KIND_INT, "Index")
        .param(ParamSpec::Int("n", "Records to emit").default_value(3).min(0))
        .param(ParamSpec::Int("bad_at", "Index rejected as a bad input record").optional());
  }
  Status open(sluice::Context& ctx, const sluice::Params& params) override {
    i_field_ = ctx.port("i");
    n_ = params.get<int64_t>("n");
    bad_at_ = params.get_optional<int64_t>("bad_at").value_or(-1);
    return {};
  }
  Status produce(sluice::Emitter& out, bool& done) override {
    int64_t i = next_++;
    done = next_ >= n_;
    if (i >= n_) return {};
    if (i == bad_at_)
      return Status::BadRecord("count:" + std::to_string(i) + ": planned bad record");
    sluice::OwnedRecord r;
    r.set_position(i);
    r.set_int(i_field_, i);
    return out.emit(std::move(r));
  }
  int64_t size_hint() const override { return n_; }

 private:
  Field i_field_;
  int64_t n_ = 0, bad_at_ = -1, next_ = 0;
};

// Filters every record out and emits {"total": sum of i} at the end of the stream.
class Total : public sluice::Op {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("good.total")
        .doc("Sums i")
        .stateful()
        .regroup()
        .input("i", SLUICE_KIND_INT, "Value")
        .output("total", SLUICE_KIND_INT, "Sum");
  }
  Status open(sluice::Context& ctx, const sluice::Params&) override {
    i_ = ctx.port("i");
    total_field_ = ctx.port("total");
    return {};
  }
  Status process(sluice::Record& r, sluice::Emitter&) override {
    auto v = r.get_int(i_);
    if (!v.ok()) return v.status();
    total_ += *v;
    return {};
  }
  Status close(sluice::Emitter& out) override {
    sluice::OwnedRecord r;
    r.set_int(total_field_, total_);
    return out.emit(std::move(r));
  }

 private:
  Field i_, total_field_;
  int64_t total_ = 0;
};

}  // namespace

SLUICE_PLUGIN("good", "1.2.3", "A well-formed test plugin") {
  plugin.op<Upper>();
  plugin.op<Count>();
  plugin.op<Total>();
  plugin.resource<Prefix>();
}
