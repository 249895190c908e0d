// core.take and core.skip: the first `count` records of the stream, or all but them.
#include "core/ops.h"

namespace sluice::core {
namespace {

// Passes on records while (seen < count) == kTake.
template <bool kTake>
class Prefix : public Op {
 public:
  static OpSchema schema() {
    if constexpr (kTake) {
      return OpSchema("core.take")
          .doc("Passes on the first `count` records of the stream (in stream order) and filters "
               "out the rest. The source still reads to its end.")
          .stateful()
          .param(ParamSpec::Int("count", "Records to pass on").min(0));
    } else {
      return OpSchema("core.skip")
          .doc("Filters out the first `count` records of the stream (in stream order) and passes "
               "on the rest.")
          .stateful()
          .param(ParamSpec::Int("count", "Records to filter out").min(0));
    }
  }

  Status open(Context&, const Params& params) override {
    count_ = params.get<int64_t>("count");
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    const bool in_prefix = seen_ < count_;
    if (in_prefix) ++seen_;
    return in_prefix == kTake ? out.emit(record) : Status();
  }

 private:
  int64_t count_ = 0;
  int64_t seen_ = 0;
};

}  // namespace

void add_take(PluginBuilder& plugin) { plugin.op<Prefix<true>>(); }
void add_skip(PluginBuilder& plugin) { plugin.op<Prefix<false>>(); }

}  // namespace sluice::core
