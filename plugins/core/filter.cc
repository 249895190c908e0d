// core.filter: passes on the records whose field satisfies a test.
#include "core/field_checks.h"
#include "core/ops.h"
#include "core/scalar.h"

#include <optional>
#include <regex>
#include <vector>

namespace sluice::core {
namespace {

enum class Test { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kContains, kMatches, kExists, kMissing };

struct TestName {
  const char* name;
  Test test;
};
constexpr TestName kTests[] = {{"eq", Test::kEq},         {"ne", Test::kNe},
                               {"lt", Test::kLt},         {"le", Test::kLe},
                               {"gt", Test::kGt},         {"ge", Test::kGe},
                               {"in", Test::kIn},         {"not_in", Test::kNotIn},
                               {"contains", Test::kContains}, {"matches", Test::kMatches},
                               {"exists", Test::kExists}, {"missing", Test::kMissing}};

Test test_named(const std::string& name) {
  for (const auto& t : kTests) {
    if (name == t.name) return t.test;
  }
  return Test::kEq;  // the engine checks `op` against the choices first
}

std::vector<std::string> test_names() {
  std::vector<std::string> out;
  for (const auto& t : kTests) out.emplace_back(t.name);
  return out;
}

// The checked `value` param: what each test compares the field with.
struct Operand {
  std::vector<Scalar> values;  // one, or the list of in/not_in
  std::optional<std::regex> regex;
};

Expected<Operand> operand_of(Test test, const Params& params) {
  Operand o;
  const Param value = params.raw("value");
  if (test == Test::kExists || test == Test::kMissing) {
    if (!value.is_null()) {
      return Status::Invalid("param 'value': expected none with op " +
                             params.get<std::string>("op") + ", found one");
    }
    return o;
  }
  if (test == Test::kIn || test == Test::kNotIn) {
    if (value.kind() != SLUICE_PARAM_LIST) {
      return Status::Invalid("param 'value': expected a list with op " +
                             params.get<std::string>("op") + ", found " +
                             (value.is_null() ? "none" : "a single value"));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      Expected<Scalar> s = scalar_from(value.at(i), "param 'value' item " + std::to_string(i + 1));
      if (!s.ok()) return s.status();
      o.values.push_back(std::move(*s));
    }
    return o;
  }
  Expected<Scalar> s = scalar_from(value, "param 'value'");
  if (!s.ok()) return s.status();
  const bool text_test = test == Test::kContains || test == Test::kMatches;
  if (text_test && !std::holds_alternative<std::string>(*s)) {
    return Status::Invalid("param 'value': expected a string with op " +
                           params.get<std::string>("op") + ", found " + scalar_text(*s));
  }
  if (test == Test::kMatches) {
    try {
      o.regex.emplace(std::get<std::string>(*s), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Status::Invalid("param 'value': expected a regular expression (ECMAScript), found '" +
                             std::get<std::string>(*s) + "': " + e.what());
    }
  }
  o.values.push_back(std::move(*s));
  return o;
}

class Filter : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.filter")
        .doc("Passes on the records whose `field` passes the test `op` against `value`, and "
             "filters out the others. eq, ne, lt, le, gt, ge: ints and floats compare as "
             "numbers, strings bytewise, bools as false < true; in, not_in: `value` is a list; "
             "contains: the string field holds `value`; matches: the ECMAScript regular "
             "expression `value` matches somewhere in the string field (anchor it with ^ and "
             "$; it works on bytes, not Unicode characters); exists, missing: whether the "
             "field is there (no `value`). A record whose field is missing (except for exists "
             "and missing) or of a kind the test cannot compare with `value` is rejected, "
             "naming the field.")
        .param(ParamSpec::String("field", "The field tested"))
        .param(ParamSpec::String("op", "The test").choices(test_names()).default_value("eq"))
        .param(ParamSpec::Any("value",
                              "What the field is compared with: an int, float, bool or string; "
                              "a list of them for in and not_in; none for exists and missing")
                   .optional());
  }

  static Status check(const Params& params) {
    return operand_of(test_named(params.get<std::string>("op")), params).status();
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    Test test = test_named(params.get<std::string>("op"));
    if (test == Test::kExists || test == Test::kMissing) return {};
    return upstream_kind(fields, params.get<std::string>("field"), "field").status();
  }

  Status open(Context&, const Params& params) override {
    field_ = Field::named(params.get<std::string>("field"));
    test_ = test_named(params.get<std::string>("op"));
    Expected<Operand> operand = operand_of(test_, params);
    if (!operand.ok()) return operand.status();
    operand_ = std::move(*operand);
    return {};
  }

  // Called from several threads at once: reads members only (std::regex matching is const).
  Status process(Record& record, Emitter& out) override {
    Expected<bool> pass = passes(record.view(field_));
    if (!pass.ok()) return pass.status();
    return *pass ? out.emit(record) : Status();
  }

 private:
  Expected<bool> passes(const sluice_value_view& v) const {
    if (test_ == Test::kExists) return v.kind != SLUICE_KIND_ANY;
    if (test_ == Test::kMissing) return v.kind == SLUICE_KIND_ANY;
    if (test_ == Test::kContains || test_ == Test::kMatches) {
      if (v.kind != SLUICE_KIND_STRING) {
        return Status::BadRecord(std::string("field '") + field_.name() +
                                 "': expected a string to test, found " +
                                 (v.kind == SLUICE_KIND_ANY ? "no such field" : kind_name(v.kind)));
      }
      const char* begin = v.data;
      const char* end = v.data + v.size;
      if (test_ == Test::kMatches) return std::regex_search(begin, end, *operand_.regex);
      return std::string_view(begin, v.size).find(std::get<std::string>(operand_.values[0])) !=
             std::string_view::npos;
    }
    if (test_ == Test::kIn || test_ == Test::kNotIn) {
      bool found = false;
      for (const Scalar& s : operand_.values) {
        Expected<int> c = compare(field_, v, s);
        if (!c.ok()) return c.status();
        found = found || *c == 0;
      }
      return found == (test_ == Test::kIn);
    }
    Expected<int> c = compare(field_, v, operand_.values[0]);
    if (!c.ok()) return c.status();
    switch (test_) {
      case Test::kEq: return *c == 0;
      case Test::kNe: return *c != 0;
      case Test::kLt: return *c < 0;
      case Test::kLe: return *c <= 0;
      case Test::kGt: return *c > 0;
      default: return *c >= 0;
    }
  }

  Field field_;
  Test test_ = Test::kEq;
  Operand operand_;
};

}  // namespace

void add_filter(PluginBuilder& plugin) { plugin.op<Filter>(); }

}  // namespace sluice::core
