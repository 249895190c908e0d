// io.write_jsonl and io.write_csv.
#include "io/csv.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

using sluice::test::read_file;
using sluice::test::temp_dir;
using Lines = std::vector<std::string>;

namespace {

// Runs a writer in a fresh run directory; returns the result and that directory.
std::pair<sluice::OpRunResult, std::string> write(const std::string& op, const std::string& params,
                                                  const Lines& inputs) {
  std::string dir = temp_dir();
  sluice::OpRunner run(sluice::test::plugin_registry("io"), op, params);
  INFO(run.status().message());
  REQUIRE(run.status().ok());
  run.set_run_dir(dir);
  auto r = run.process_all(inputs);
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  return {r, dir};
}

const Lines kRecords = {
    R"({"text": "a \"b\"", "n": 1, "x": 0.5, "ok": true})",
    R"({"text": "c,d", "n": 2, "ids": {"dtype": "int32", "shape": [2], "data": [7, 8]}})"};

}  // namespace

TEST_CASE("io.write_jsonl writes compact JSON lines into the run directory and passes records on",
          "[plugins][io]") {
  auto [r, dir] = write("io.write_jsonl", "{path: out/records.jsonl}", kRecords);
  CHECK(r.outputs == kRecords);
  CHECK(read_file(dir + "/out/records.jsonl") ==
        "{\"text\":\"a \\\"b\\\"\",\"n\":1,\"x\":0.5,\"ok\":true}\n"
        "{\"text\":\"c,d\",\"n\":2,\"ids\":{\"dtype\":\"int32\",\"shape\":[2],\"data\":[7,8]}}\n");
}

TEST_CASE("io.write_jsonl writes the listed fields in their order and rejects records lacking one",
          "[plugins][io]") {
  auto [r, dir] = write("io.write_jsonl", "{path: f.jsonl, fields: [x, text]}", kRecords);
  CHECK(read_file(dir + "/f.jsonl") == "{\"x\":0.5,\"text\":\"a \\\"b\\\"\"}\n");
  CHECK(r.rejected ==
        Lines{"1: field 'x': expected it (listed in `fields`), found no such field"});
}

TEST_CASE("io.write_csv quotes what needs it and rejects tensors", "[plugins][io]") {
  auto [r, dir] = write("io.write_csv", "{path: t.csv, fields: [n, text, x]}", kRecords);
  CHECK(read_file(dir + "/t.csv") == "n,text,x\n1,\"a \"\"b\"\"\",0.5\n");
  CHECK(r.rejected == Lines{"1: field 'x': expected it (listed in `fields`), found no such field"});
  auto [tensors, dir2] = write("io.write_csv", "{path: t.csv, fields: [ids]}", {kRecords[1]});
  CHECK(tensors.rejected ==
        Lines{"0: field 'ids': expected a string, number or bool for a CSV cell, found tensor"});
  CHECK(read_file(dir2 + "/t.csv") == "ids\n");
}

TEST_CASE("io.write_csv without quoting writes TSV and rejects values holding the delimiter",
          "[plugins][io]") {
  auto [r, dir] = write("io.write_csv",
                        "{path: t.tsv, fields: [text], delimiter: \"\\t\", quote: '', "
                        "header: false}",
                        {R"({"text": "say \"hi\""})", R"({"text": "a\tb"})"});
  CHECK(read_file(dir + "/t.tsv") == "say \"hi\"\n");
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].find("1: field 'text': expected a value without the delimiter '\\t'") ==
        0);
}

TEST_CASE("io.write_csv output reads back with io.read_csv", "[plugins][io]") {
  const Lines records = {R"({"a": "multi\nline", "b": ""})", R"({"a": "x,y", "b": "\"q\""})"};
  auto [r, dir] = write("io.write_csv", "{path: t.csv, fields: [a, b]}", records);
  auto back = sluice::test::run_op("io", "io.read_csv", "{path: '" + dir + "/t.csv'}");
  CHECK(back.outputs == records);
}

TEST_CASE("a writer fails naming a file it cannot create", "[plugins][io]") {
  std::string dir = temp_dir();
  sluice::test::write_file(dir + "/file", "x");
  sluice::OpRunner run(sluice::test::plugin_registry("io"), "io.write_jsonl",
                       "{path: '" + dir + "/file/out.jsonl'}");
  auto r = run.process_all({});
  CHECK(r.error.code() == SLUICE_IO_ERROR);
  CHECK(r.error.message().find("'" + dir + "/file/out.jsonl'") != std::string::npos);
}
