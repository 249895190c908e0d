// The host table as plugins see it: through the C++ SDK wrappers, and with bad arguments.
#include "engine/runtime/host.h"
#include "engine/runtime/record.h"

#include <sluice/record.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

using sluice::Field;
using sluice::OwnedRecord;
using sluice::Status;
using sluice::Tensor;

namespace {

const sluice_host& h() { return *sluice::engine_host(); }

}  // namespace

TEST_CASE("engine_host fills every entry and becomes the SDK's host", "[runtime][host]") {
  const sluice_host* host = sluice::engine_host();
  CHECK(sluice::engine_host() == host);
  CHECK(sluice::detail::host_slot() == host);
  CHECK(host->struct_size == sizeof(sluice_host));
  CHECK(host->abi_major == SLUICE_ABI_MAJOR);
  CHECK(host->abi_minor == SLUICE_ABI_MINOR);
  // Every member after the version header is a function pointer.
  constexpr size_t kFirst = offsetof(sluice_host, status_new);
  size_t count = (sizeof(sluice_host) - kFirst) / sizeof(void (*)());
  CHECK(count >= 56);  // the ABI 1.0 table
  for (size_t i = 0; i < count; ++i) {
    void (*fn)() = nullptr;
    std::memcpy(&fn, reinterpret_cast<const char*>(host) + kFirst + i * sizeof(fn), sizeof(fn));
    INFO("function pointer #" << i);
    CHECK(fn != nullptr);
  }
}

TEST_CASE("statuses round-trip through the C ABI", "[runtime][host]") {
  sluice::engine_host();
  Status s = sluice::from_c(sluice::to_c(Status::BadRecord("line 3: bad")));
  CHECK(s.code() == SLUICE_BAD_RECORD);
  CHECK(s.message() == "line 3: bad");
  CHECK(sluice::to_c(Status()) == nullptr);
  CHECK(h().status_new(SLUICE_OK, "fine") == nullptr);

  Status taken = sluice::take_status(sluice::make_c_status(Status::IoError("disk")));
  CHECK(taken.code() == SLUICE_IO_ERROR);
  CHECK(taken.message() == "disk");
  CHECK(sluice::take_status(nullptr).ok());

  sluice_status odd = h().status_new(static_cast<sluice_code>(99), nullptr);
  CHECK(h().status_code(odd) == SLUICE_INTERNAL);
  CHECK(std::string(h().status_message(odd)) == "status with unknown code 99: ");
  h().status_free(odd);
  CHECK(h().status_code(nullptr) == SLUICE_OK);
  CHECK(std::string(h().status_message(nullptr)) == "");
  h().status_free(nullptr);
}

TEST_CASE("fields intern through the host", "[runtime][host]") {
  sluice::engine_host();
  Field a = Field::named("host_test.name");
  CHECK(a.id() != 0);
  CHECK(Field::named("host_test.name") == a);
  CHECK(std::string(a.name()) == "host_test.name");
  CHECK(h().field_intern(nullptr, 3) == 0);
  CHECK(h().field_intern("abc", 0) == 0);
  CHECK(h().field_intern("abcdef", 3) == Field::named("abc").id());
}

TEST_CASE("records hold every kind and report mismatches", "[runtime][host]") {
  sluice::engine_host();
  Field s = Field::named("s"), b = Field::named("b"), i = Field::named("i"), f = Field::named("f"),
        t = Field::named("t"), flag = Field::named("flag");
  OwnedRecord r;
  r.set_string(s, "text");
  r.set_bytes(b, std::string("\0\1\xff", 3));
  r.set_int(i, -7);
  r.set_float(f, 0.25);
  r.set_bool(flag, true);
  auto tensor = Tensor::from_values<int32_t>({2}, std::vector<int32_t>{5, 6}.data(), 2);
  REQUIRE(tensor.ok());
  r.set_tensor(t, *tensor);

  CHECK(r.size() == 6);
  CHECK(*r.get_string(s) == "text");
  CHECK(*r.get_bytes(b) == std::string("\0\1\xff", 3));
  CHECK(*r.get_int(i) == -7);
  CHECK(*r.get_float(f) == 0.25);
  CHECK(*r.get_float(i) == -7.0);
  CHECK(*r.get_bool(flag));
  CHECK(*r.get_int(flag) == 1);
  Tensor back = *r.get_tensor(t);
  CHECK(back.raw() == tensor->raw());
  CHECK(back.data_as<int32_t>()[1] == 6);
  CHECK(r.kind(b) == SLUICE_KIND_BYTES);

  auto wrong = r.get_string(i);
  CHECK(wrong.status().code() == SLUICE_BAD_RECORD);
  CHECK(wrong.status().message() == "field 'i': expected string, found int");
  auto absent = r.get_int(Field::named("host_test.absent"));
  CHECK(absent.status().message() == "field 'host_test.absent': expected int, found no such field");

  sluice_value_view v;
  CHECK(r.field_at(0, &v) == s);
  CHECK(v.kind == SLUICE_KIND_STRING);
  CHECK(r.field_at(5, &v) == t);
  CHECK(v.kind == SLUICE_KIND_TENSOR);

  r.set_int(s, 3);  // replacing keeps the position
  CHECK(r.field_at(0, &v) == s);
  CHECK(v.i == 3);
  r.remove(b);
  CHECK(r.size() == 5);
  CHECK_FALSE(r.has(b));
}

TEST_CASE("clones share tensor buffers and keep seed and position", "[runtime][host]") {
  sluice::engine_host();
  Field t = Field::named("t");
  OwnedRecord r;
  r.raw()->seed = 99;
  r.set_position(12);
  Tensor tensor = *Tensor::zeros(SLUICE_DTYPE_FLOAT32, {4});
  CHECK(tensor.unique());
  r.set_tensor(t, tensor);
  CHECK_FALSE(tensor.unique());
  {
    OwnedRecord copy(static_cast<const sluice::Record&>(r));
    CHECK(copy.get_tensor(t)->raw() == tensor.raw());
    CHECK(copy.seed() == 99);
    CHECK(copy.position() == 12);
    copy.set_int(Field::named("extra"), 1);
    CHECK_FALSE(r.has(Field::named("extra")));
  }
  r.remove(t);
  CHECK(tensor.unique());
}

TEST_CASE("tensors through the SDK: values, wrapping, dtype checks", "[runtime][host]") {
  sluice::engine_host();
  std::vector<double> values{1.5, -2, 3};
  Tensor t = *Tensor::from_values<double>({3, 1}, values.data(), values.size());
  CHECK(t.dtype() == SLUICE_DTYPE_FLOAT64);
  CHECK(t.shape() == std::vector<int64_t>{3, 1});
  CHECK(t.numel() == 3);
  CHECK(t.nbytes() == 24);
  CHECK(t.data_as<double>()[1] == -2);
  CHECK_THROWS_WITH(t.data_as<float>(), "expected a float32 tensor, found float64");

  auto mismatch = Tensor::from_values<double>({2, 2}, values.data(), values.size());
  CHECK(mismatch.status().message() == "tensor shape holds 4 elements, found 3 values");

  static int calls = 0;
  static uint8_t buf[8];
  {
    Tensor w = *Tensor::wrap(
        SLUICE_DTYPE_UINT8, {8}, buf, [](void*, void*) { ++calls; }, nullptr);
    Tensor copy = w;
    CHECK(copy.data() == buf);
  }
  CHECK(calls == 1);

  sluice_tensor* raw = nullptr;
  int64_t shape[1] = {2};
  Status device =
      sluice::from_c(h().tensor_new(SLUICE_DTYPE_FLOAT32, 1, shape, SLUICE_DEVICE_CUDA, 1, &raw));
  CHECK(device.code() == SLUICE_UNSUPPORTED);
  CHECK(device.message().find("expected device cpu, found cuda:1") != std::string::npos);
  CHECK(raw == nullptr);

  Status rank =
      sluice::from_c(h().tensor_new(SLUICE_DTYPE_FLOAT32, 9, shape, SLUICE_DEVICE_CPU, 0, &raw));
  CHECK(rank.message() == "tensor: expected 0 to 8 dimensions, found 9");
  Status no_shape =
      sluice::from_c(h().tensor_new(SLUICE_DTYPE_FLOAT32, 2, nullptr, SLUICE_DEVICE_CPU, 0, &raw));
  CHECK(no_shape.message() == "tensor: expected a shape of 2 dimensions, found NULL");
  Status dtype =
      sluice::from_c(h().tensor_new(SLUICE_DTYPE_ANY, 1, shape, SLUICE_DEVICE_CPU, 0, &raw));
  CHECK(dtype.message() == "tensor: expected a dtype from bool to float64, found 0 (any)");
}

TEST_CASE("tensor_info fills only what the caller's struct holds", "[runtime][host]") {
  sluice::engine_host();
  Tensor t = *Tensor::zeros(SLUICE_DTYPE_INT16, {2, 3});
  sluice_tensor_info info;
  std::memset(&info, 0xab, sizeof(info));
  info.struct_size = offsetof(sluice_tensor_info, data);  // an older, shorter struct
  h().tensor_info(t.raw(), &info);
  CHECK(info.struct_size == offsetof(sluice_tensor_info, data));
  CHECK(info.dtype == SLUICE_DTYPE_INT16);
  CHECK(info.shape[1] == 3);
  uint8_t untouched;
  std::memcpy(&untouched, &info.nbytes, 1);
  CHECK(untouched == 0xab);
}

TEST_CASE("host calls survive NULL and out-of-range arguments", "[runtime][host]") {
  const sluice_host& host = h();
  sluice_value_view v{};
  v.struct_size = sizeof(v);
  sluice_field f = Field::named("host_test.robust").id();
  CHECK(host.record_get(nullptr, f, &v) == 0);
  CHECK(host.record_size(nullptr) == 0);
  CHECK(host.record_at(nullptr, 0, nullptr, nullptr) == 0);
  CHECK(host.record_clone(nullptr) == nullptr);
  host.record_free(nullptr);
  host.record_set_int(nullptr, f, 1);
  host.record_set_string(nullptr, f, "x", 1);
  host.record_remove(nullptr, f);
  CHECK(host.record_seed(nullptr) == 0);
  CHECK(host.record_position(nullptr) == 0);
  host.record_set_position(nullptr, 3);
  host.tensor_retain(nullptr);
  host.tensor_release(nullptr);
  host.tensor_info(nullptr, nullptr);
  CHECK(host.tensor_is_unique(nullptr) == 0);

  sluice_record* r = host.record_new();
  host.record_set_int(r, 0, 1);            // field 0 is no field
  host.record_set_int(r, 4000000000u, 1);  // never interned
  host.record_set_string(r, f, nullptr, 5);
  host.record_set_bytes(r, f, nullptr, 5);
  host.record_set_tensor(r, f, nullptr);
  CHECK(host.record_size(r) == 0);
  host.record_set_string(r, f, nullptr, 0);  // empty string is fine
  CHECK(host.record_size(r) == 1);
  CHECK(host.record_at(r, 1, nullptr, &v) == 0);
  CHECK(host.record_at(r, 0, nullptr, nullptr) == 1);
  CHECK(host.record_get(r, f, nullptr) == 1);

  Status no_out = sluice::from_c(
      host.tensor_new(SLUICE_DTYPE_FLOAT32, 0, nullptr, SLUICE_DEVICE_CPU, 0, nullptr));
  CHECK(no_out.code() == SLUICE_INVALID_ARGUMENT);
  Status no_emitter = sluice::from_c(host.emit(nullptr, r));  // frees r
  CHECK(no_emitter.message() == "emit: expected an emitter, found NULL");
  Status no_record = sluice::from_c(host.emit(nullptr, nullptr));
  CHECK(no_record.message() == "emit: expected a record, found NULL");
}
