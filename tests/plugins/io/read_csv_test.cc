// io.read_csv and the CSV reader under it, on real TSV data and on malformed files.
#include "io/csv.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <map>

using sluice::io::CsvDialect;
using sluice::io::CsvReader;
using sluice::io::CsvRow;
using sluice::io::LineReader;
using sluice::test::parse_lines;
using sluice::test::run_op;
using sluice::test::temp_dir;
using sluice::test::write_file;
using Lines = std::vector<std::string>;

namespace {

std::string file_with(const std::string& text) {
  std::string file = temp_dir() + "/data.csv";
  write_file(file, text);
  return file;
}

std::string sms() { return sluice::test::shared_data_dir() + "/text/sms_spam.tsv"; }

}  // namespace

TEST_CASE("CsvReader reads RFC 4180 quoting across lines", "[plugins][io][csv]") {
  std::string file = file_with("a,\"b,1\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",,\"\"\r\nlast,x,\n");
  LineReader lines;
  REQUIRE(lines.open(file).ok());
  CsvReader reader(lines, CsvDialect{});
  CsvRow row;
  REQUIRE(*reader.next(&row));
  CHECK(row.fields == Lines{"a", "b,1", "say \"hi\""});
  CHECK(row.line == 1);
  REQUIRE(*reader.next(&row));
  CHECK(row.fields == Lines{"multi\nline", "", ""});
  CHECK(row.line == 3);
  REQUIRE(*reader.next(&row));
  CHECK(row.fields == Lines{"last", "x", ""});
  CHECK(row.line == 5);
  CHECK_FALSE(*reader.next(&row));
}

TEST_CASE("CsvReader reports broken quoting with file, line and column, then goes on",
          "[plugins][io][csv]") {
  std::string file = file_with("a,\"b\"x,c\nd,e\nf,\"open\n");
  LineReader lines;
  REQUIRE(lines.open(file).ok());
  CsvReader reader(lines, CsvDialect{});
  CsvRow row;
  auto bad = reader.next(&row);
  CHECK(bad.status().code() == SLUICE_BAD_RECORD);
  CHECK(bad.status().message() == file + ":1:6: expected a delimiter or the end of the line " +
                                      "after a closing quote, found 'x'");
  REQUIRE(*reader.next(&row));
  CHECK(row.fields == Lines{"d", "e"});
  auto open = reader.next(&row);
  CHECK(open.status().message() ==
        file + ":3:3: expected a closing quote for the field opened here, found the end of the file");
}

TEST_CASE("CsvReader without a quote character reads quotes as text", "[plugins][io][csv]") {
  std::string file = file_with("ham\t\"Hi\" she said\n");
  LineReader lines;
  REQUIRE(lines.open(file).ok());
  CsvReader reader(lines, CsvDialect{'\t', std::nullopt});
  CsvRow row;
  REQUIRE(*reader.next(&row));
  CHECK(row.fields == Lines{"ham", "\"Hi\" she said"});
}

TEST_CASE("io.read_csv reads the SMS spam TSV: 5574 messages, 747 spam", "[plugins][io]") {
  auto r = run_op("io", "io.read_csv",
                  "{path: '" + sms() + "', delimiter: \"\\t\", quote: '', header: false, "
                  "columns: [label, text]}");
  REQUIRE(r.rejected.empty());
  REQUIRE(r.outputs.size() == 5574);
  std::map<std::string, int> labels;
  for (const auto& o : parse_lines(r.outputs)) ++labels[std::string(o.at("label").as_string())];
  CHECK(labels == std::map<std::string, int>{{"ham", 4827}, {"spam", 747}});
  auto first = parse_lines({r.outputs[0]})[0];
  CHECK(first.at("text").as_string() ==
        "Go until jurong point, crazy.. Available only in bugis n great world la e buffet... "
        "Cine there got amore wat...");
}

TEST_CASE("io.read_csv takes column names from the header and converts typed columns",
          "[plugins][io]") {
  std::string file = file_with("id,score,name\n1,0.5,\"Smith, J\"\n2,-3e2,Lee\n");
  auto r = run_op("io", "io.read_csv",
                  "{path: '" + file + "', types: {id: int, score: float}}");
  CHECK(r.outputs == Lines{R"({"id": 1, "score": 0.5, "name": "Smith, J"})",
                           R"({"id": 2, "score": -300.0, "name": "Lee"})"});
  auto renamed = run_op("io", "io.read_csv", "{path: '" + file + "', columns: [a, b, c]}");
  CHECK(renamed.outputs[1] == R"({"a": "2", "b": "-3e2", "c": "Lee"})");
}

TEST_CASE("io.read_csv rejects malformed rows naming file and line, and reads on",
          "[plugins][io]") {
  std::string file = file_with("n,text\n1,ok\n2,too,many\nx,bad number\n4,\"unclosed,x\"y\n5,fine\n");
  auto r = run_op("io", "io.read_csv", "{path: '" + file + "', types: {n: int}}");
  CHECK(r.outputs == Lines{R"({"n": 1, "text": "ok"})", R"({"n": 5, "text": "fine"})"});
  CHECK(r.rejected == Lines{"1: " + file + ":3: expected 2 columns, found 3",
                            "1: " + file + ":4: column 'n': expected an int, found 'x'",
                            "1: " + file + ":5:15: expected a delimiter or the end of the line "
                                           "after a closing quote, found 'y'"});
}

TEST_CASE("io.read_csv checks its params", "[plugins][io]") {
  using sluice::test::params_error;
  CHECK(params_error("io", "io.read_csv", "{path: x, header: false}").message().find(
            "param 'columns': expected the column names when `header` is false, found none") !=
        std::string::npos);
  CHECK(params_error("io", "io.read_csv", "{path: x, delimiter: ';;'}").message().find(
            "param 'delimiter': expected one character, found ';;'") != std::string::npos);
  CHECK(params_error("io", "io.read_csv", "{path: x, columns: [a, b], types: {c: int}}")
            .message()
            .find("param 'types': expected columns named by `columns`, found 'c'") !=
        std::string::npos);
  CHECK(params_error("io", "io.read_csv", "{path: x, columns: [a], types: {a: date}}")
            .message()
            .find("column 'a': expected string, int or float, found 'date'") != std::string::npos);
  CHECK(params_error("io", "io.read_csv", "{path: x, columns: [a, a]}").message().find(
            "found 'a' twice") != std::string::npos);
}

TEST_CASE("io.read_csv fails on a missing file and on a header that does not fit",
          "[plugins][io]") {
  sluice::OpRunner missing(sluice::test::plugin_registry("io"), "io.read_csv",
                           "{path: /nonexistent/d.csv}");
  auto r = missing.process_all({});
  CHECK(r.error.code() == SLUICE_NOT_FOUND);
  CHECK(r.error.message().find("'/nonexistent/d.csv'") != std::string::npos);

  std::string file = file_with("a,b,c\n1,2,3\n");
  sluice::OpRunner short_columns(sluice::test::plugin_registry("io"), "io.read_csv",
                                 "{path: '" + file + "', columns: [x, y]}");
  CHECK(short_columns.process_all({}).error.message().find(
            file + ":1: expected a header of 2 columns (as `columns` names), found 3") !=
        std::string::npos);
  // Field names are C strings in the ABI: "b\0x" would be read as field "b".
  std::string nul_name = file_with(std::string("a,b\0x,b\n1,2,3\n", 14));
  sluice::OpRunner with_nul(sluice::test::plugin_registry("io"), "io.read_csv",
                            "{path: '" + nul_name + "'}");
  CHECK(with_nul.process_all({}).error.message().find(
            nul_name + ":1: header: expected a name without NUL characters for column 2, found "
                       "'b\\0x'") != std::string::npos);
  sluice::OpRunner typed(sluice::test::plugin_registry("io"), "io.read_csv",
                         "{path: '" + file + "', types: {d: int}}");
  CHECK(typed.process_all({}).error.message().find(
            "param 'types': expected columns named by the header of " + file +
            " (a, b, c), found 'd'") != std::string::npos);
}
