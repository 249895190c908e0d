// core.shuffle: a bounded shuffle buffer.
#include "core/ops.h"
#include "core/rng.h"

#include <memory>
#include <optional>
#include <vector>

namespace sluice::core {
namespace {

class Shuffle : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.shuffle")
        .doc("Shuffles the stream through a buffer of `buffer_size` records: once the buffer is "
             "full, each arriving record takes the place of a randomly chosen one, which is "
             "passed on; at the end the rest leave in random order. A buffer at least as large "
             "as the stream gives a uniform shuffle; a smaller one only mixes records that are "
             "close. The order depends only on the run seed and the node id, never on threads. "
             "Holds up to `buffer_size` records in memory.")
        .stateful()
        .regroup()
        .param(ParamSpec::Int("buffer_size", "Records held for shuffling")
                   .default_value(10000)
                   .min(1));
  }

  Status open(Context& ctx, const Params& params) override {
    capacity_ = static_cast<size_t>(params.get<int64_t>("buffer_size"));
    rng_.emplace(ctx.seed());
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    auto held = std::make_unique<OwnedRecord>(record);
    if (buffer_.size() < capacity_) {
      buffer_.push_back(std::move(held));
      return {};
    }
    const auto j = static_cast<size_t>(rng_->below(buffer_.size()));
    std::swap(buffer_[j], held);
    return out.emit(std::move(*held));
  }

  Status close(Emitter& out) override {
    while (!buffer_.empty()) {
      const auto j = static_cast<size_t>(rng_->below(buffer_.size()));
      std::swap(buffer_[j], buffer_.back());
      std::unique_ptr<OwnedRecord> leaving = std::move(buffer_.back());
      buffer_.pop_back();
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(*leaving)));
    }
    return {};
  }

 private:
  size_t capacity_ = 0;
  std::optional<Rng> rng_;
  std::vector<std::unique_ptr<OwnedRecord>> buffer_;  // records cannot be move-assigned
};

}  // namespace

void add_shuffle(PluginBuilder& plugin) { plugin.op<Shuffle>(); }

}  // namespace sluice::core
