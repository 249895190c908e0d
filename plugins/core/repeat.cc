// core.repeat: each record several times in a row.
#include "core/ops.h"

#include <vector>

namespace sluice::core {
namespace {

class Repeat : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.repeat")
        .doc(
            "Passes on each record `count` times in a row, the copies numbered 0 to count-1 in "
            "`repeat`: for several variants of each record (augmentation) or oversampling. "
            "Copies share their record's position and per-record seed, so a random op after "
            "this gives every copy the same draw unless it mixes in `repeat`. For training "
            "epochs (whole passes over the data, each in a new order) run the stage's source "
            "again instead: this op repeats record by record and holds nothing back. The "
            "copies of one record are held in memory together until they move on, so `count` "
            "is at most 2^20.")
        .regroup()
        .output("repeat", SLUICE_KIND_INT, "Index of the copy, 0 to count-1")
        .param(ParamSpec::Int("count", "Copies of each record").range(1, 1 << 20));
  }

  Status open(Context& ctx, const Params& params) override {
    repeat_ = ctx.port("repeat");
    count_ = params.get<int64_t>("count");
    return {};
  }

  // Called from several threads at once: reads members only.
  Status process(Record& record, Emitter& out) override {
    std::vector<OwnedRecord> copies;
    for (int64_t i = 1; i < count_; ++i) {
      copies.emplace_back(record);
      copies.back().set_int(repeat_, i);
    }
    record.set_int(repeat_, 0);
    SLUICE_RETURN_IF_ERROR(out.emit(record));
    for (OwnedRecord& copy : copies) SLUICE_RETURN_IF_ERROR(out.emit(std::move(copy)));
    return {};
  }

 private:
  Field repeat_;
  int64_t count_ = 1;
};

}  // namespace

void add_repeat(PluginBuilder& plugin) { plugin.op<Repeat>(); }

}  // namespace sluice::core
