// core.split: keeps one named share of the stream, chosen deterministically per record.
#include "core/field_checks.h"
#include "core/ops.h"
#include "core/rng.h"
#include "core/shares.h"

#include <algorithm>
#include <map>

namespace sluice::core {
namespace {

Expected<size_t> kept_share(const Params& params, const Shares& shares) {
  const auto keep = params.get<std::string>("keep");
  const auto& names = shares.names();
  auto it = std::find(names.begin(), names.end(), keep);
  if (it == names.end()) {
    std::string listed;
    for (const auto& n : names) listed += (listed.empty() ? "" : ", ") + n;
    return Status::Invalid("param 'keep': expected one of the shares in `ratios` (" + listed +
                           "), found '" + keep + "'");
  }
  return static_cast<size_t>(it - names.begin());
}

class Split : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.split")
        .doc("Passes on the records of one named share of the stream (`keep`) and filters out "
             "the others, so that nodes with the same `by`, `ratios` and `key` but different "
             "`keep` split a stream into disjoint parts (e.g. train and test). Shares are laid "
             "out on [0, 1) in name order and each record gets a point in it. by: hash — the "
             "point comes from a stable 64-bit hash (FNV-1a, then the SplitMix64 finaliser) of "
             "the `key` field (strings and bytes as they are, ints as decimal text): the same "
             "key always lands in the same share, in every run and on every machine, whatever "
             "the record order or seed, so duplicates never straddle shares. by: ratio — the "
             "point is the record's position times the golden ratio (fractional part), so "
             "every stretch of the stream is split close to the ratios; a record's position "
             "comes from its source (e.g. its line number).")
        .param(ParamSpec::String("by", "How records are assigned: hash or ratio")
                   .choices({"hash", "ratio"})
                   .default_value("hash"))
        .param(ParamSpec::Map("ratios", SLUICE_PTYPE_FLOAT,
                              "Share name -> fraction of the stream, summing to 1, e.g. "
                              "{train: 0.8, test: 0.2}")
                   .range(0, 1))
        .param(ParamSpec::String("keep", "The share to pass on, a key of `ratios`"))
        .param(ParamSpec::String("key", "Field hashed with `by: hash`").default_value("text"));
  }

  static Status check(const Params& params) {
    Expected<Shares> shares = Shares::make(params.get<std::map<std::string, double>>("ratios"));
    if (!shares.ok()) return shares.status();
    return kept_share(params, *shares).status();
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    if (params.get<std::string>("by") != "hash") return {};
    return upstream_kind(fields, params.get<std::string>("key"), "key").status();
  }

  Status open(Context&, const Params& params) override {
    Expected<Shares> shares = Shares::make(params.get<std::map<std::string, double>>("ratios"));
    if (!shares.ok()) return shares.status();
    Expected<size_t> keep = kept_share(params, *shares);
    if (!keep.ok()) return keep.status();
    shares_ = std::move(*shares);
    keep_ = *keep;
    by_hash_ = params.get<std::string>("by") == "hash";
    key_ = Field::named(params.get<std::string>("key"));
    return {};
  }

  // Called from several threads at once: reads members only.
  Status process(Record& record, Emitter& out) override {
    double point = 0;
    if (by_hash_) {
      Expected<uint64_t> h = key_hash(record);
      if (!h.ok()) return h.status();
      point = unit_interval(*h);
    } else {
      point = position_point(record.position());
    }
    if (shares_.share_of(point) != keep_) return {};
    return out.emit(record);
  }

 private:
  Expected<uint64_t> key_hash(const Record& record) const {
    sluice_value_view v = record.view(key_);
    if (v.kind == SLUICE_KIND_STRING || v.kind == SLUICE_KIND_BYTES) {
      return stable_hash(std::string_view(v.data, v.size));
    }
    if (v.kind == SLUICE_KIND_INT) return stable_hash(std::to_string(v.i));
    return Status::BadRecord(std::string("field '") + key_.name() +
                             "' (the split key): expected a string, bytes or int, found " +
                             (v.kind == SLUICE_KIND_ANY ? "no such field" : kind_name(v.kind)));
  }

  Shares shares_;
  size_t keep_ = 0;
  bool by_hash_ = true;
  Field key_;
};

}  // namespace

void add_split(PluginBuilder& plugin) { plugin.op<Split>(); }

}  // namespace sluice::core
