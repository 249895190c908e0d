#include "engine/runtime/resources.h"
#include "engine/runtime/host.h"
#include "engine/runtime/params.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sluice::ResourceTable;

namespace {

std::vector<std::string>& destroyed() {
  static std::vector<std::string> names;
  return names;
}

// A resource whose instance is a copy of its `name` param; `fail: true` makes create fail.
sluice_status create_named(const sluice_host* host, const sluice_param* params, void** out) {
  const sluice_param* fail = host->param_get(params, "fail");
  if (fail && host->param_bool(fail)) return host->status_new(SLUICE_IO_ERROR, "cannot open x.txt");
  *out = new std::string(host->param_string(host->param_get(params, "name")));
  return nullptr;
}
void destroy_named(void* instance) {
  auto* s = static_cast<std::string*>(instance);
  destroyed().push_back(*s);
  delete s;
}
sluice_status create_nothing(const sluice_host*, const sluice_param*, void**) { return nullptr; }

sluice_resource_def def(const char* type, decltype(sluice_resource_def::create) create) {
  sluice_resource_def d{};
  d.struct_size = sizeof(d);
  d.type = type;
  d.create = create;
  d.destroy = &destroy_named;
  return d;
}

sluice::ParamTree params(const std::string& yaml) {
  return sluice::param_from_yaml(YAML::Load(yaml));
}

}  // namespace

TEST_CASE("resources are found by name and type and destroyed in reverse order",
          "[runtime][resources]") {
  sluice::engine_host();
  destroyed().clear();
  sluice_resource_def vocab = def("text.vocabulary", &create_named);
  sluice_resource_def tok = def("text.tokenizer", &create_named);
  {
    ResourceTable table;
    auto p1 = params("{name: first}");
    auto p2 = params("{name: second}");
    REQUIRE(table.create("vocab", &vocab, &p1).ok());
    REQUIRE(table.create("tok", &tok, &p2).ok());

    void* out = nullptr;
    REQUIRE(table.find("vocab", "text.vocabulary", &out).ok());
    CHECK(*static_cast<std::string*>(out) == "first");
    REQUIRE(table.find("tok", "", &out).ok());  // any type
    CHECK(*static_cast<std::string*>(out) == "second");

    sluice::Status wrong = table.find("tok", "text.vocabulary", &out);
    CHECK(wrong.code() == SLUICE_INVALID_ARGUMENT);
    CHECK(wrong.message() == "resource 'tok' is of type text.tokenizer, expected text.vocabulary");
    CHECK(out == nullptr);

    sluice::Status missing = table.find("vocabs", "text.vocabulary", &out);
    CHECK(missing.code() == SLUICE_NOT_FOUND);
    CHECK(missing.message() == "resource 'vocabs' is not declared; declared resources: vocab, tok");

    auto p3 = params("{name: again}");
    sluice::Status twice = table.create("vocab", &vocab, &p3);
    CHECK(twice.message() == "resource 'vocab' (text.vocabulary) is already created in this run");
    CHECK(destroyed().empty());
  }
  CHECK(destroyed() == std::vector<std::string>{"second", "first"});
}

TEST_CASE("a failing resource create names the resource and keeps the code",
          "[runtime][resources]") {
  sluice::engine_host();
  sluice_resource_def vocab = def("text.vocabulary", &create_named);
  ResourceTable table;
  auto p = params("{name: x, fail: true}");
  sluice::Status s = table.create("vocab", &vocab, &p);
  CHECK(s.code() == SLUICE_IO_ERROR);
  CHECK(s.message() == "resource 'vocab' (text.vocabulary): cannot open x.txt");

  void* out = nullptr;
  sluice::Status none = table.find("vocab", "text.vocabulary", &out);
  CHECK(none.message() == "resource 'vocab' is not declared; no resources are declared");
}

TEST_CASE("a resource create that gives no instance is refused", "[runtime][resources]") {
  sluice::engine_host();
  sluice_resource_def empty = def("x.empty", &create_nothing);
  ResourceTable table;
  auto p = params("{}");
  sluice::Status s = table.create("e", &empty, &p);
  CHECK(s.code() == SLUICE_INTERNAL);
  CHECK(s.message() ==
        "resource 'e' (x.empty): create returned OK, expected an instance, found NULL");

  sluice::Status no_def = table.create("e", nullptr, &p);
  CHECK(no_def.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(no_def.message().find("resource 'e'") == 0);
}
