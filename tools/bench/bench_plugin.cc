// Ops for the benchmarks (plugin "bench"): the cheapest source and op the executor can run, so
// what a benchmark measures is the executor.
//   bench.count  source: `count` records {v: 0}
//   bench.inc    adds 1 to the int field `v`
#include <sluice/sdk.hpp>

namespace {

class Count : public sluice::Source {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("bench.count")
        .doc("Emits `count` records {v: 0}.")
        .source()
        .output("v", SLUICE_KIND_INT, "Zero")
        .param(sluice::ParamSpec::Int("count", "Records to emit").default_value(1000).min(0));
  }
  sluice::Status open(sluice::Context& ctx, const sluice::Params& params) override {
    v_ = ctx.port("v");
    count_ = params.get<int64_t>("count");
    return {};
  }
  sluice::Status produce(sluice::Emitter& out, bool& done) override {
    sluice::OwnedRecord r;
    r.set_int(v_, 0);
    ++made_;
    done = made_ >= count_;
    return count_ > 0 ? out.emit(std::move(r)) : sluice::Status();
  }
  int64_t size_hint() const override { return count_; }

 private:
  sluice::Field v_;
  int64_t count_ = 0, made_ = 0;
};

class Inc : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() {
    return sluice::OpSchema("bench.inc")
        .doc("Adds 1 to `v`.")
        .input("v", SLUICE_KIND_INT, "Counter")
        .output("v", SLUICE_KIND_INT, "Counter plus one");
  }
  sluice::Status open(sluice::Context& ctx, const sluice::Params&) override {
    v_ = ctx.port("v");
    return {};
  }
  sluice::Status map(sluice::Record& r) override {
    auto v = r.get_int(v_);
    if (!v.ok()) return v.status();
    r.set_int(v_, *v + 1);
    return {};
  }

 private:
  sluice::Field v_;
};

}  // namespace

SLUICE_PLUGIN("bench", "0.0.1", "Trivial ops for executor benchmarks.") {
  plugin.op<Count>();
  plugin.op<Inc>();
}
