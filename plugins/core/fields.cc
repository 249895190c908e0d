// core.select, core.rename, core.drop: reshaping a record's set of fields.
#include "core/field_checks.h"
#include "core/ops.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

namespace sluice::core {
namespace {

std::vector<Field> fields_named(const std::vector<std::string>& names) {
  std::vector<Field> out;
  for (const auto& n : names) out.push_back(Field::named(n));
  return out;
}

Status missing(Field f, const char* param) {
  return Status::BadRecord(std::string("field '") + f.name() + "': expected it (listed in `" +
                           param + "`), found no such field");
}

class Select : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.select")
        .doc("Keeps only the listed fields (in the record's own order) and removes the others. "
             "A record lacking a listed field is rejected, naming it.")
        .param(ParamSpec::List("fields", SLUICE_PTYPE_STRING, "The fields to keep"));
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    std::vector<std::pair<Field, sluice_kind>> kept;
    for (const auto& name : params.get<std::vector<std::string>>("fields")) {
      Expected<sluice_kind> kind = upstream_kind(fields, name, "fields");
      if (!kind.ok()) return kind.status();
      kept.emplace_back(Field::named(name), *kind);
    }
    fields.clear();
    for (const auto& [f, kind] : kept) fields.put(f, kind);
    return {};
  }

  Status open(Context&, const Params& params) override {
    keep_ = fields_named(params.get<std::vector<std::string>>("fields"));
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    for (Field f : keep_) {
      if (!record.has(f)) return missing(f, "fields");
    }
    sluice_value_view v;
    for (size_t i = record.size(); i-- > 0;) {
      Field f = record.field_at(i, &v);
      if (std::find(keep_.begin(), keep_.end(), f) == keep_.end()) record.remove(f);
    }
    return out.emit(record);
  }

 private:
  std::vector<Field> keep_;
};

class Rename : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.rename")
        .doc("Renames fields: `mapping` is old name -> new name, all applied at once (so {a: b, "
             "b: a} swaps two fields); a renamed field moves to the end of the record. A record "
             "lacking an old name, or already holding a new name that is not itself renamed "
             "away, is rejected.")
        .param(ParamSpec::Map("mapping", SLUICE_PTYPE_STRING, "Old field name -> new field name"));
  }

  static Status check(const Params& params) {
    std::set<std::string> targets;
    for (const auto& [from, to] : params.get<std::map<std::string, std::string>>("mapping")) {
      if (!targets.insert(to).second) {
        return Status::Invalid("param 'mapping': expected each new name once, found '" + to +
                               "' as the new name of two fields");
      }
    }
    return {};
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    const auto mapping = params.get<std::map<std::string, std::string>>("mapping");
    std::vector<std::pair<Field, sluice_kind>> renamed;
    for (const auto& [from, to] : mapping) {
      Expected<sluice_kind> kind = upstream_kind(fields, from, "mapping");
      if (!kind.ok()) return kind.status();
      renamed.emplace_back(Field::named(to), *kind);
    }
    for (const auto& [from, to] : mapping) fields.remove(Field::named(from));
    for (const auto& [f, kind] : renamed) {
      if (fields.has(f)) {
        return Status::Invalid(std::string("param 'mapping': expected new names not written "
                                            "upstream, found '") + f.name() + "'");
      }
      fields.put(f, kind);
    }
    return {};
  }

  Status open(Context&, const Params& params) override {
    for (const auto& [from, to] : params.get<std::map<std::string, std::string>>("mapping")) {
      from_.push_back(Field::named(from));
      to_.push_back(Field::named(to));
    }
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    OwnedRecord moved;  // the values, copied out before the record changes
    for (size_t i = 0; i < from_.size(); ++i) {
      sluice_value_view v = record.view(from_[i]);
      if (v.kind == SLUICE_KIND_ANY) return missing(from_[i], "mapping");
      moved.set_value(from_[i], v);
    }
    for (Field to : to_) {
      if (record.has(to) && std::find(from_.begin(), from_.end(), to) == from_.end()) {
        return Status::BadRecord(std::string("field '") + to.name() +
                                 "': expected it absent (it is a new name in `mapping`), found it");
      }
    }
    for (Field from : from_) record.remove(from);
    for (size_t i = 0; i < from_.size(); ++i) record.set_value(to_[i], moved.view(from_[i]));
    return out.emit(record);
  }

 private:
  std::vector<Field> from_, to_;
};

class Drop : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.drop")
        .doc("Removes the listed fields. A listed field missing from a record is not an error "
             "at run time (the record simply lacks it); when the upstream fields are known at "
             "load, naming one that no upstream node writes is.")
        .param(ParamSpec::List("fields", SLUICE_PTYPE_STRING, "The fields to remove"));
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    for (const auto& name : params.get<std::vector<std::string>>("fields")) {
      SLUICE_RETURN_IF_ERROR(upstream_kind(fields, name, "fields").status());
      fields.remove(Field::named(name));
    }
    return {};
  }

  Status open(Context&, const Params& params) override {
    drop_ = fields_named(params.get<std::vector<std::string>>("fields"));
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    for (Field f : drop_) record.remove(f);
    return out.emit(record);
  }

 private:
  std::vector<Field> drop_;
};

}  // namespace

void add_select(PluginBuilder& plugin) { plugin.op<Select>(); }
void add_rename(PluginBuilder& plugin) { plugin.op<Rename>(); }
void add_drop(PluginBuilder& plugin) { plugin.op<Drop>(); }

}  // namespace sluice::core
