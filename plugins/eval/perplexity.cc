// eval.perplexity: a language model's mean loss and perplexity over a stream of batches.
#include "eval/ops.h"

#include <cmath>

namespace sluice::eval {
namespace {

class Perplexity : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("eval.perplexity")
        .doc(
            "Averages the batches' `loss` (each the mean cross entropy, in nats, over its "
            "`count` predicted tokens, as train.evaluate writes them for held-out batches) "
            "weighted by `count`, so the result is the mean over every token of the stream, "
            "and reports the metrics loss (that mean), perplexity (exp of it), tokens (the "
            "count) and batches. Without a `count` field (e.g. after train.fit, whose losses "
            "are per batch) every batch weighs 1. A record with a negative count or a loss "
            "that is not finite is rejected. Passes records on.")
        .stateful()
        .input("loss", SLUICE_KIND_FLOAT, "Mean loss of the batch (nats)")
        .optional_input("count", SLUICE_KIND_INT, "Tokens the batch's loss is the mean of");
  }

  Status open(Context& ctx, const Params&) override {
    ctx_ = &ctx;
    loss_ = ctx.port("loss");
    count_ = ctx.port("count");
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    Expected<double> loss = record.get_float(loss_);
    if (!loss.ok()) return Status::BadRecord(loss.status().message());
    int64_t count = 1;
    if (record.has(count_)) {
      Expected<int64_t> c = record.get_int(count_);
      if (!c.ok()) return Status::BadRecord(c.status().message());
      count = *c;
    }
    if (count < 0 || !std::isfinite(*loss)) {
      return Status::BadRecord("expected a finite loss and a count >= 0, found loss " +
                               std::to_string(*loss) + " and count " + std::to_string(count));
    }
    total_ += *loss * static_cast<double>(count);
    tokens_ += count;
    ++batches_;
    return out.emit(record);
  }

  Status close(Emitter&) override {
    const double mean = tokens_ > 0 ? total_ / static_cast<double>(tokens_) : 0.0;
    ctx_->metric("loss", mean);
    ctx_->metric("perplexity", std::exp(mean));
    ctx_->metric("tokens", static_cast<double>(tokens_));
    ctx_->metric("batches", static_cast<double>(batches_));
    return {};
  }

 private:
  Context* ctx_ = nullptr;
  Field loss_, count_;
  double total_ = 0;
  int64_t tokens_ = 0, batches_ = 0;
};

}  // namespace

void add_perplexity(PluginBuilder& plugin) { plugin.op<Perplexity>(); }

}  // namespace sluice::eval
