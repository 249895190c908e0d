// Ops for the executor tests (plugin "exec"). Every op reports, when destroyed, the metrics
// `<node>.destroyed` (1) and `<node>.finish_calls`, so tests can check the lifecycle.
//   exec.progress    resource: how many records a source has emitted, for nodes that wait on it
//   exec.count       source: records {i} (plus a uint8 `payload` of tensor_bytes), `per_call` per
//                    produce call; every `bad_every`-th input is rejected with BAD_RECORD;
//                    counts into `progress`; reports `produced`
//   exec.jitter      sleeps min_us..max_us microseconds, chosen from the record seed
//   exec.fail_at     fails (code `code`) on records whose i == at, or i % every == at
//   exec.throw_at    throws on the record whose i == at
//   exec.drop_odd    filters out records with an odd i
//   exec.split       REGROUP: n copies of each record, numbered by `part`
//   exec.batch       stateful REGROUP: one record {i: first i, count} per `size` records; the
//                    rest at finish
//   exec.check_order stateful: fails unless (i, part) strictly increases; reports `seen`
//   exec.draw        sets `draw` to a number drawn from the record seed
//   exec.write       sink: appends each record as a JSON line to `path` (nothing without it);
//                    first waits until `progress` shows record i + wait_ahead emitted (the
//                    slowest consumer there is); reports `written`
#include <json_record.h>
#include <sluice/sdk.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace {

using sluice::Context;
using sluice::Emitter;
using sluice::Field;
using sluice::OpSchema;
using sluice::OwnedRecord;
using sluice::Params;
using sluice::ParamSpec;
using sluice::Record;
using sluice::Status;

// Reports the op's lifecycle through metrics when it is destroyed.
class Probe {
 public:
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

 protected:
  Probe() = default;
  ~Probe() {
    if (ctx_) {
      ctx_->metric("destroyed", 1);
      ctx_->metric("finish_calls", finish_calls_.load());
    }
  }
  void attach(const Context& ctx) { ctx_ = ctx; }
  void count_finish() { ++finish_calls_; }
  const Context& ctx() const { return *ctx_; }

 private:
  std::optional<Context> ctx_;
  std::atomic<int> finish_calls_{0};
};

Field field_i() { return Field::named("i"); }

int64_t get_i(const Record& r) {
  auto i = r.get_int(field_i());
  if (!i.ok()) throw sluice::Error(i.status());
  return *i;
}

class Progress : public sluice::Resource {
 public:
  static constexpr const char* kType = "exec.progress";
  static sluice::ResourceSchema schema() {
    return sluice::ResourceSchema(kType).doc(
        "Records a source has emitted, and whether it is done.");
  }
  std::atomic<int64_t> emitted{0};
  std::atomic<bool> done{false};
};

// The exec.progress resource named by param `progress`, or null when the param is unset.
sluice::Expected<Progress*> optional_progress(const Context& ctx, const Params& params) {
  auto name = params.get_optional<std::string>("progress");
  if (!name) return static_cast<Progress*>(nullptr);
  return ctx.resource<Progress>(*name);
}

ParamSpec progress_param() {
  return ParamSpec::Resource("progress", Progress::kType, "Progress shared with other nodes")
      .optional();
}

class Count : public sluice::Source, Probe {
 public:
  static OpSchema schema() {
    return OpSchema("exec.count")
        .doc("Emits records {i: 0..count-1}.")
        .source()
        .output("i", SLUICE_KIND_INT, "Record index")
        .param(ParamSpec::Int("count", "Records to emit").default_value(10).min(0))
        .param(
            ParamSpec::Int("tensor_bytes", "Bytes of a uint8 `payload` tensor per record (0: none)")
                .default_value(0)
                .min(0))
        .param(ParamSpec::Int("per_call", "Records per produce call").default_value(1).min(1))
        .param(ParamSpec::Int("bad_every", "Every n-th input is bad (0: none)")
                   .default_value(0)
                   .min(0))
        .param(progress_param());
  }
  ~Count() override {
    if (opened_) ctx().metric("produced", static_cast<double>(next_));
  }
  Status open(Context& ctx, const Params& params) override {
    attach(ctx);
    opened_ = true;
    count_ = params.get<int64_t>("count");
    tensor_bytes_ = params.get<int64_t>("tensor_bytes");
    per_call_ = params.get<int64_t>("per_call");
    bad_every_ = params.get<int64_t>("bad_every");
    auto progress = optional_progress(ctx, params);
    if (!progress.ok()) return progress.status();
    progress_ = *progress;
    return {};
  }
  Status produce(Emitter& out, bool& done) override {
    for (int64_t k = 0; k < per_call_ && next_ < count_; ++k) {
      int64_t i = next_++;
      if (bad_every_ > 0 && i % bad_every_ == bad_every_ - 1) {
        done = next_ == count_;
        return Status::BadRecord("input:" + std::to_string(i) + ": planned bad input");
      }
      OwnedRecord r;
      r.set_int(field_i(), i);
      if (tensor_bytes_ > 0) {
        auto t = sluice::Tensor::zeros(SLUICE_DTYPE_UINT8, {tensor_bytes_});
        if (!t.ok()) return t.status();
        r.set_tensor(Field::named("payload"), *t);
      }
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
      if (progress_) ++progress_->emitted;
    }
    done = next_ == count_;
    return {};
  }
  Status close(Emitter&) override {
    count_finish();
    if (progress_) progress_->done = true;
    return {};
  }
  int64_t size_hint() const override { return count_; }

 private:
  bool opened_ = false;
  Progress* progress_ = nullptr;
  int64_t count_ = 0, tensor_bytes_ = 0, per_call_ = 1, bad_every_ = 0, next_ = 0;
};

// Base of the stateless test ops: counts finish calls.
class Stateless : public sluice::Op, protected Probe {
 public:
  Status open(Context& ctx, const Params& params) override {
    attach(ctx);
    return setup(params);
  }
  Status close(Emitter&) override {
    count_finish();
    return {};
  }

 protected:
  virtual Status setup(const Params&) { return {}; }
};

class Jitter : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.jitter")
        .doc("Sleeps min_us..max_us microseconds, chosen from the record seed.")
        .param(ParamSpec::Int("min_us", "Shortest sleep").default_value(0).min(0))
        .param(ParamSpec::Int("max_us", "Longest sleep").default_value(20).min(0));
  }
  Status setup(const Params& params) override {
    min_us_ = params.get<int64_t>("min_us");
    max_us_ = std::max(min_us_, params.get<int64_t>("max_us"));
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    auto span = static_cast<uint64_t>(max_us_ - min_us_ + 1);
    std::this_thread::sleep_for(std::chrono::microseconds(min_us_ + r.seed() % span));
    return out.emit(r);
  }

 private:
  int64_t min_us_ = 0, max_us_ = 0;
};

class FailAt : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.fail_at")
        .doc("Fails on records whose i == at, or i % every == at when every > 0.")
        .input("i", SLUICE_KIND_INT, "Record index")
        .param(ParamSpec::Int("at", "Index that fails").min(0))
        .param(ParamSpec::Int("every", "Period (0: only `at`)").default_value(0).min(0))
        .param(ParamSpec::String("code", "Status code")
                   .choices({"bad_record", "internal"})
                   .default_value("bad_record"));
  }
  Status setup(const Params& params) override {
    at_ = params.get<int64_t>("at");
    every_ = params.get<int64_t>("every");
    code_ = params.get<std::string>("code") == "internal" ? SLUICE_INTERNAL : SLUICE_BAD_RECORD;
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    int64_t i = get_i(r);
    if (i == at_ || (every_ > 0 && i % every_ == at_)) {
      return Status(code_, "planned failure at i=" + std::to_string(i));
    }
    return out.emit(r);
  }

 private:
  int64_t at_ = 0, every_ = 0;
  sluice_code code_ = SLUICE_BAD_RECORD;
};

class ThrowAt : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.throw_at")
        .doc("Throws std::runtime_error on the record whose i == at.")
        .input("i", SLUICE_KIND_INT, "Record index")
        .param(ParamSpec::Int("at", "Index that throws").min(0));
  }
  Status setup(const Params& params) override {
    at_ = params.get<int64_t>("at");
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    if (get_i(r) == at_) throw std::runtime_error("planned exception at i=" + std::to_string(at_));
    return out.emit(r);
  }

 private:
  int64_t at_ = 0;
};

class DropOdd : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.drop_odd")
        .doc("Passes records with an even i; filters out the others.")
        .input("i", SLUICE_KIND_INT, "Record index");
  }
  Status process(Record& r, Emitter& out) override {
    if (get_i(r) % 2 != 0) return {};
    return out.emit(r);
  }
};

class Split : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.split")
        .doc("Emits n copies of each record, numbered by `part`.")
        .regroup()
        .output("part", SLUICE_KIND_INT, "Copy number")
        .param(ParamSpec::Int("n", "Copies").default_value(2).min(0));
  }
  Status setup(const Params& params) override {
    n_ = params.get<int64_t>("n");
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    Field part = Field::named("part");
    for (int64_t j = 0; j + 1 < n_; ++j) {
      OwnedRecord copy(r);
      copy.set_int(part, j);
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(copy)));
    }
    if (n_ == 0) return {};
    r.set_int(part, n_ - 1);
    return out.emit(r);
  }

 private:
  int64_t n_ = 2;
};

class Batch : public sluice::Op, Probe {
 public:
  static OpSchema schema() {
    return OpSchema("exec.batch")
        .doc("Emits one record {i: first i, count} per `size` records; the rest at finish.")
        .stateful()
        .regroup()
        .input("i", SLUICE_KIND_INT, "Record index")
        .output("count", SLUICE_KIND_INT, "Records in the batch")
        .param(ParamSpec::Int("size", "Records per batch").default_value(3).min(1));
  }
  Status open(Context& ctx, const Params& params) override {
    attach(ctx);
    size_ = params.get<int64_t>("size");
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    if (held_ == 0) first_ = get_i(r);
    if (++held_ == size_) return flush(out);
    return {};
  }
  Status close(Emitter& out) override {
    count_finish();
    return held_ > 0 ? flush(out) : Status();
  }

 private:
  Status flush(Emitter& out) {
    OwnedRecord b;
    b.set_int(field_i(), first_);
    b.set_int(Field::named("count"), held_);
    held_ = 0;
    return out.emit(std::move(b));
  }
  int64_t size_ = 3, held_ = 0, first_ = 0;
};

class CheckOrder : public sluice::Op, Probe {
 public:
  static OpSchema schema() {
    return OpSchema("exec.check_order")
        .doc("Fails unless (i, part) strictly increases from record to record.")
        .stateful()
        .input("i", SLUICE_KIND_INT, "Record index");
  }
  ~CheckOrder() override { ctx().metric("seen", static_cast<double>(seen_)); }
  Status open(Context& ctx, const Params&) override {
    attach(ctx);
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    std::pair<int64_t, int64_t> key{
        get_i(r), r.get_int(Field::named("part")).ok() ? *r.get_int(Field::named("part")) : 0};
    if (seen_ > 0 && key <= last_) {
      return Status::Internal("expected records in order, found (" + std::to_string(key.first) +
                              ", " + std::to_string(key.second) + ") after (" +
                              std::to_string(last_.first) + ", " + std::to_string(last_.second) +
                              ")");
    }
    last_ = key;
    ++seen_;
    return out.emit(r);
  }
  Status close(Emitter&) override {
    count_finish();
    return {};
  }

 private:
  std::pair<int64_t, int64_t> last_{0, 0};
  int64_t seen_ = 0;
};

class Draw : public Stateless {
 public:
  static OpSchema schema() {
    return OpSchema("exec.draw")
        .doc("Sets `draw` to a number drawn from a generator seeded with the record seed.")
        .output("draw", SLUICE_KIND_INT, "Drawn number");
  }
  Status process(Record& r, Emitter& out) override {
    std::mt19937_64 gen(r.seed());
    r.set_int(Field::named("draw"), static_cast<int64_t>(gen() >> 1));
    return out.emit(r);
  }
};

class Write : public sluice::Op, Probe {
 public:
  static OpSchema schema() {
    return OpSchema("exec.write")
        .doc("Appends each record as a JSON line to `path` (relative to the run directory).")
        .sink()
        .param(ParamSpec::String("path", "Output file (unset: write nothing)").optional())
        .param(progress_param())
        .param(ParamSpec::Int("wait_ahead", "Records the source must have emitted past this one")
                   .default_value(0)
                   .min(0));
  }
  ~Write() override { ctx().metric("written", static_cast<double>(written_)); }
  Status open(Context& ctx, const Params& params) override {
    attach(ctx);
    wait_ahead_ = params.get<int64_t>("wait_ahead");
    auto progress = optional_progress(ctx, params);
    if (!progress.ok()) return progress.status();
    progress_ = *progress;
    if (auto path = params.get_optional<std::string>("path")) {
      path_ = ctx.output_path(*path);
      out_.open(path_, std::ios::app | std::ios::binary);
      if (!out_) return Status::IoError("cannot open " + path_ + " for appending");
    }
    return {};
  }
  Status process(Record& r, Emitter& out) override {
    if (progress_) SLUICE_RETURN_IF_ERROR(wait_for_source(get_i(r) + wait_ahead_));
    if (out_.is_open()) out_ << sluice::record_to_json(r) << '\n';
    ++written_;
    return out.emit(r);
  }
  Status close(Emitter&) override {
    count_finish();
    if (!out_.is_open()) return {};
    out_.flush();
    if (!out_) return Status::IoError("cannot write " + path_);
    return {};
  }

 private:
  std::string path_;
  std::ofstream out_;
  // Waits until the source has emitted record `index`, or is done.
  Status wait_for_source(int64_t index) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (progress_->emitted.load() <= index && !progress_->done.load()) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Internal("expected the source to emit record " + std::to_string(index) +
                                " within 30 s, found " + std::to_string(progress_->emitted.load()) +
                                " records emitted");
      }
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    return {};
  }

  Progress* progress_ = nullptr;
  int64_t wait_ahead_ = 0;
  int64_t written_ = 0;
};

}  // namespace

SLUICE_PLUGIN("exec", "0.0.1", "Ops for the executor tests.") {
  plugin.resource<Progress>();
  plugin.op<Count>();
  plugin.op<Jitter>();
  plugin.op<FailAt>();
  plugin.op<ThrowAt>();
  plugin.op<DropOdd>();
  plugin.op<Split>();
  plugin.op<Batch>();
  plugin.op<CheckOrder>();
  plugin.op<Draw>();
  plugin.op<Write>();
}
