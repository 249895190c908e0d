// io.write_npy, the .npy header, and the path templates naming its files.
#include "io/npy.h"
#include "io/path_template.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cstring>

using sluice::io::npy_header;
using sluice::io::PathTemplate;
using sluice::test::read_file;
using Lines = std::vector<std::string>;

namespace {

struct Npy {
  std::string dict;  // the header dict, padding included
  std::string data;
};

// Splits a .npy file into its header dict and data, checking the magic and the alignment.
Npy parse_npy(const std::string& bytes) {
  REQUIRE(bytes.size() >= 10);
  REQUIRE(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  size_t length = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  CHECK((10 + length) % 64 == 0);
  REQUIRE(bytes.size() >= 10 + length);
  CHECK(bytes[10 + length - 1] == '\n');
  return {bytes.substr(10, length), bytes.substr(10 + length)};
}

std::vector<float> floats(const std::string& data) {
  std::vector<float> out(data.size() / sizeof(float));
  std::memcpy(out.data(), data.data(), out.size() * sizeof(float));
  return out;
}

std::pair<sluice::OpRunResult, std::string> write(const std::string& params, const Lines& inputs) {
  std::string dir = sluice::test::temp_dir();
  sluice::OpRunner run(sluice::test::plugin_registry("io"), "io.write_npy", params);
  INFO(run.status().message());
  REQUIRE(run.status().ok());
  run.set_run_dir(dir);
  auto r = run.process_all(inputs);
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  return {r, dir};
}

std::string tensor(const std::string& id, const std::string& dtype, const std::string& shape,
                   const std::string& data) {
  return "{\"id\": \"" + id + "\", \"x\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape +
         ", \"data\": " + data + "}}";
}

}  // namespace

TEST_CASE("npy headers describe dtype and shape and align the data to 64 bytes",
          "[plugins][io]") {
  Npy two_d = parse_npy(npy_header("<f4", {2, 3}));
  CHECK(two_d.dict.find("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }") == 0);
  CHECK(parse_npy(npy_header("|u1", {5})).dict.find("'shape': (5,)") != std::string::npos);
  CHECK(parse_npy(npy_header("<i8", {})).dict.find("'shape': ()") != std::string::npos);
  CHECK(npy_header("<f4", {1}, 200).size() == 256);
  CHECK(sluice::io::npy_descr(SLUICE_DTYPE_BFLOAT16) == nullptr);
}

TEST_CASE("path templates substitute names and report bad braces", "[plugins][io]") {
  auto t = *PathTemplate::parse("npy/{split}/{id}.npy");
  CHECK(t.names() == Lines{"split", "id"});
  auto path = t.render([](const std::string& n) -> sluice::Expected<std::string> {
    return n == "id" ? std::string("7") : std::string("train");
  });
  CHECK(*path == "npy/train/7.npy");
  CHECK(PathTemplate::parse("a{b").status().message() ==
        "path template 'a{b': expected a '}' closing the '{' at character 2, found the end");
  CHECK(PathTemplate::parse("a}").status().message() ==
        "path template 'a}': expected '{' before the '}' at character 2, found none");
  CHECK(PathTemplate::parse("{}").status().code() == SLUICE_INVALID_ARGUMENT);
}

TEST_CASE("io.write_npy writes one file per record, named by its fields", "[plugins][io]") {
  auto [r, dir] = write("{path: 'npy/{id}.npy', field: x}",
                        {tensor("a", "float32", "[2, 2]", "[1.0, 2.0, 3.0, 4.5]"),
                         tensor("b", "float32", "[1]", "[-1.0]"),
                         tensor("a", "float32", "[1]", "[0.0]"),
                         tensor("../up", "float32", "[1]", "[0.0]")});
  CHECK(r.outputs.size() == 2);
  Npy a = parse_npy(read_file(dir + "/npy/a.npy"));
  CHECK(a.dict.find("'descr': '<f4'") != std::string::npos);
  CHECK(a.dict.find("'shape': (2, 2)") != std::string::npos);
  CHECK(floats(a.data) == std::vector<float>{1.0f, 2.0f, 3.0f, 4.5f});
  CHECK(floats(parse_npy(read_file(dir + "/npy/b.npy")).data) == std::vector<float>{-1.0f});
  REQUIRE(r.rejected.size() == 2);
  CHECK(r.rejected[0] == "2: file '" + dir + "/npy/a.npy': expected one record per file, found " +
                             "a second one naming it");
  CHECK(r.rejected[1] == "3: field 'id' (in `path`): expected a file-name part (not empty, '.' or "
                         "'..', without '/'), found '../up'");
}

TEST_CASE("io.write_npy stacks records into one array", "[plugins][io]") {
  auto [r, dir] = write("{path: all.npy, field: x, stack: true}",
                        {tensor("a", "float32", "[2]", "[1.0, 2.0]"),
                         tensor("b", "float32", "[3]", "[1.0, 2.0, 3.0]"),
                         tensor("c", "float32", "[2]", "[3.0, 4.0]"),
                         tensor("d", "bfloat16", "[2]", "[3.0, 4.0]")});
  Npy all = parse_npy(read_file(dir + "/all.npy"));
  CHECK(all.dict.find("'shape': (2, 2)") != std::string::npos);
  CHECK(floats(all.data) == std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  CHECK(r.rejected == Lines{"1: field 'x': expected dtype float32 and shape (2,) like the first "
                            "record's, found dtype float32 and shape (3,)",
                            "3: field 'x': expected a dtype NumPy has, found bfloat16"});
}

TEST_CASE("io.write_npy checks that `path` fits `stack`", "[plugins][io]") {
  using sluice::test::params_error;
  CHECK(params_error("io", "io.write_npy", "{path: out.npy, field: x}").message().find(
            "expected {field} placeholders naming each record's file") != std::string::npos);
  CHECK(params_error("io", "io.write_npy", "{path: '{id}.npy', field: x, stack: true}")
            .message()
            .find("expected a plain file name with `stack: true`") != std::string::npos);
}
