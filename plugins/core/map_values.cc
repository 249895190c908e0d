// core.map_values: replaces a string field's value through a lookup table (e.g. labels to ids).
#include "core/field_checks.h"
#include "core/ops.h"
#include "core/scalar.h"

#include <map>
#include <optional>
#include <string>

namespace sluice::core {
namespace {

struct Table {
  std::map<std::string, Scalar, std::less<>> mapping;
  std::optional<Scalar> fallback;
  sluice_kind kind = SLUICE_KIND_ANY;
};

// The checked `mapping` and `default`: scalars, all of one kind.
Expected<Table> table_of(const Params& params) {
  Table t;
  const Param mapping = params.raw("mapping");
  if (mapping.size() == 0) {
    return Status::Invalid("param 'mapping': expected at least one entry, found none");
  }
  auto add = [&](const Param& p, const std::string& what) -> Expected<Scalar> {
    Expected<Scalar> s = scalar_from(p, what);
    if (!s.ok()) return s;
    if (t.kind == SLUICE_KIND_ANY) t.kind = scalar_kind(*s);
    if (scalar_kind(*s) != t.kind) {
      return Status::Invalid(what + ": expected a value of kind " + kind_name(t.kind) +
                             " like the first value of `mapping`, found " + scalar_text(*s));
    }
    return s;
  };
  for (size_t i = 0; i < mapping.size(); ++i) {
    const std::string key = mapping.key_at(i);
    Expected<Scalar> s = add(mapping.at(i), "param 'mapping': '" + key + "'");
    if (!s.ok()) return s.status();
    t.mapping.emplace(key, std::move(*s));
  }
  if (params.has("default")) {
    Expected<Scalar> s = add(params.raw("default"), "param 'default'");
    if (!s.ok()) return s.status();
    t.fallback = std::move(*s);
  }
  return t;
}

std::string output_name(const Params& params) {
  return params.get_optional<std::string>("output").value_or(params.get<std::string>("field"));
}

class MapValues : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.map_values")
        .doc("Looks a string field up in `mapping` and sets `output` (default: the field "
             "itself) to the value found, e.g. labels to class ids: {field: label, mapping: "
             "{ham: 0, spam: 1}}. The values must all be ints, all floats, all bools or all "
             "strings. A value not in `mapping` takes `default` when given; without one the "
             "record is rejected, naming the value and the keys expected.")
        .param(ParamSpec::String("field", "The string field looked up"))
        .param(ParamSpec::Map("mapping", SLUICE_PTYPE_ANY,
                              "String value -> new value (int, float, bool or string)"))
        .param(ParamSpec::String("output", "Field set to the new value; default: `field`")
                   .optional())
        .param(ParamSpec::Any("default", "Value for strings not in `mapping`; default: reject")
                   .optional());
  }

  static Status check(const Params& params) { return table_of(params).status(); }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    Expected<sluice_kind> kind = upstream_kind(fields, params.get<std::string>("field"), "field");
    if (!kind.ok()) return kind.status();
    if (*kind != SLUICE_KIND_STRING && *kind != SLUICE_KIND_ANY) {
      return Status::Invalid("param 'field': expected a string field, found '" +
                             params.get<std::string>("field") + "' of kind " + kind_name(*kind));
    }
    Expected<Table> table = table_of(params);
    if (!table.ok()) return table.status();
    fields.put(Field::named(output_name(params)), table->kind);
    return {};
  }

  Status open(Context&, const Params& params) override {
    Expected<Table> table = table_of(params);
    if (!table.ok()) return table.status();
    table_ = std::move(*table);
    field_ = Field::named(params.get<std::string>("field"));
    output_ = Field::named(output_name(params));
    for (const auto& [key, value] : table_.mapping) keys_ += (keys_.empty() ? "" : ", ") + key;
    return {};
  }

  // Called from several threads at once: reads members only.
  Status process(Record& record, Emitter& out) override {
    Expected<std::string_view> value = record.get_string(field_);
    if (!value.ok()) return value.status();
    auto it = table_.mapping.find(*value);
    if (it == table_.mapping.end() && !table_.fallback) {
      return Status::BadRecord(std::string("field '") + field_.name() + "': expected one of " +
                               keys_ + " (the keys of `mapping`), found '" + std::string(*value) +
                               "'");
    }
    set_scalar(record, output_, it == table_.mapping.end() ? *table_.fallback : it->second);
    return out.emit(record);
  }

 private:
  Table table_;
  Field field_, output_;
  std::string keys_;
};

}  // namespace

void add_map_values(PluginBuilder& plugin) { plugin.op<MapValues>(); }

}  // namespace sluice::core
