#include "engine/runtime/record.h"
#include "engine/runtime/fields.h"

#include <catch2/catch.hpp>

#include <string>

using sluice::Bytes;
using sluice::kind_of;
using sluice::TensorRef;
using sluice::Value;

TEST_CASE("kind_of names every alternative", "[runtime][record]") {
  CHECK(kind_of(Value(TensorRef())) == SLUICE_KIND_TENSOR);
  CHECK(kind_of(Value(std::string("x"))) == SLUICE_KIND_STRING);
  CHECK(kind_of(Value(Bytes{"x"})) == SLUICE_KIND_BYTES);
  CHECK(kind_of(Value(int64_t{1})) == SLUICE_KIND_INT);
  CHECK(kind_of(Value(1.5)) == SLUICE_KIND_FLOAT);
  CHECK(kind_of(Value(true)) == SLUICE_KIND_BOOL);
}

TEST_CASE("set replaces in place, appends new fields and remove keeps the order",
          "[runtime][record]") {
  sluice_field a = sluice::intern_field("record_test.a");
  sluice_field b = sluice::intern_field("record_test.b");
  sluice_field c = sluice::intern_field("record_test.c");
  sluice_record_s r;
  r.set(a, int64_t{1});
  r.set(b, std::string("two"));
  r.set(c, 3.0);
  r.set(a, std::string("one"));
  REQUIRE(r.fields.size() == 3);
  CHECK(r.fields[0].first == a);
  CHECK(std::get<std::string>(*r.find(a)) == "one");
  r.remove(b);
  REQUIRE(r.fields.size() == 2);
  CHECK(r.fields[0].first == a);
  CHECK(r.fields[1].first == c);
  CHECK(r.find(b) == nullptr);
  r.remove(b);  // absent: no change
  CHECK(r.fields.size() == 2);
  const sluice_record_s& cr = r;
  CHECK(std::get<double>(*cr.find(c)) == 3.0);
}

TEST_CASE("copying a record shares its tensors", "[runtime][record]") {
  sluice_field t = sluice::intern_field("record_test.t");
  sluice_record_s r;
  r.seed = 42;
  r.position = 7;
  r.set(t, TensorRef::adopt(*sluice::tensor_new(SLUICE_DTYPE_UINT8, {3})));
  sluice_record_s copy = r;
  const TensorRef& original = std::get<TensorRef>(*r.find(t));
  CHECK(std::get<TensorRef>(*copy.find(t)).get() == original.get());
  CHECK(original->refs.load() == 2);
  CHECK(copy.seed == 42);
  CHECK(copy.position == 7);
}
