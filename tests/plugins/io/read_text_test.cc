// io.read_lines and io.read_jsonl, and the LineReader under them.
#include "io/line_reader.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

using sluice::io::LineReader;
using sluice::test::parse_lines;
using sluice::test::run_op;
using sluice::test::temp_dir;
using sluice::test::write_file;

TEST_CASE("LineReader strips \\n and \\r\\n, keeps a last line without newline, counts lines",
          "[plugins][io]") {
  std::string file = temp_dir() + "/lines.txt";
  write_file(file, "one\r\n\ntwo\nthree");
  LineReader r;
  REQUIRE(r.open(file).ok());
  std::vector<std::pair<std::string, int64_t>> got;
  std::string_view line;
  while (*r.next(&line)) got.emplace_back(std::string(line), r.line_number());
  CHECK(got == std::vector<std::pair<std::string, int64_t>>{
                   {"one", 1}, {"", 2}, {"two", 3}, {"three", 4}});
}

TEST_CASE("LineReader names a missing file", "[plugins][io]") {
  LineReader r;
  sluice::Status s = r.open("/nonexistent/x.txt");
  CHECK(s.code() == SLUICE_NOT_FOUND);
  CHECK(s.message() == "cannot open '/nonexistent/x.txt' for reading: No such file or directory");
}

TEST_CASE("io.read_lines reads every line of the SMS data", "[plugins][io]") {
  auto r = run_op("io", "io.read_lines",
                  "{path: '" + sluice::test::shared_data_dir() + "/text/sms_spam.tsv'}");
  REQUIRE(r.outputs.size() == 5574);
  auto first = parse_lines({r.outputs.front()})[0];
  CHECK(first.at("text").as_string().subview().substr(0, 26) == "ham\tGo until jurong point,");
  CHECK(first.size() == 1);
}

TEST_CASE("io.read_lines fails naming a missing file", "[plugins][io]") {
  sluice::OpRunner run(sluice::test::plugin_registry("io"), "io.read_lines",
                       "{path: /nonexistent/in.txt}");
  auto r = run.process_all({});
  CHECK(r.error.code() == SLUICE_NOT_FOUND);
  CHECK(r.error.message().find("'/nonexistent/in.txt'") != std::string::npos);
}

TEST_CASE("io.read_jsonl reads records, skips blank lines and rejects bad lines by line",
          "[plugins][io]") {
  std::string file = temp_dir() + "/in.jsonl";
  write_file(file,
             "{\"text\": \"a\", \"n\": 1}\n"
             "\n"
             "{\"text\": \n"
             "{\"ids\": {\"dtype\": \"int32\", \"shape\": [2], \"data\": [7, 8]}}\n"
             "[1, 2]\n"
             "{\"x\": null}\n");
  auto r = run_op("io", "io.read_jsonl", "{path: '" + file + "'}");
  CHECK(r.outputs == std::vector<std::string>{
                         R"({"text": "a", "n": 1})",
                         R"({"ids": {"dtype": "int32", "shape": [2], "data": [7, 8]}})"});
  REQUIRE(r.rejected.size() == 3);
  CHECK(r.rejected[0].find("1: " + file + ":3: ") == 0);
  CHECK(r.rejected[1].find("2: " + file + ":5: ") == 0);
  CHECK(r.rejected[2].find("2: " + file + ":6: ") == 0);
  CHECK(r.rejected[2].find("'x'") != std::string::npos);
}

TEST_CASE("io.read_jsonl fails naming a missing file", "[plugins][io]") {
  sluice::OpRunner run(sluice::test::plugin_registry("io"), "io.read_jsonl",
                       "{path: /nonexistent/in.jsonl}");
  auto r = run.process_all({});
  CHECK(r.error.code() == SLUICE_NOT_FOUND);
  CHECK(r.error.message().find("/nonexistent/in.jsonl") != std::string::npos);
}
