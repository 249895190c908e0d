// text.normalize and text.split_words.
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;

TEST_CASE("text.normalize normalises in place and rejects bad UTF-8", "[plugins][text]") {
  auto r = run_op("text", "text.normalize", "{}",
                  {R"({"text": "  FREE   Entry\tNOW ", "n": 1})", "{\"text\": \"a\xff\"}",
                   R"({"body": "x"})"});
  CHECK(r.outputs == Lines{R"({"text": "free entry now", "n": 1})"});
  CHECK(r.rejected == Lines{"1: field 'text': expected UTF-8, found the invalid byte 0xff at byte 1",
                            "2: field 'text': expected string, found no such field"});
  auto strip = run_op("text", "text.normalize", "{strip_accents: true, lowercase: false}",
                      {R"({"text": "Café Olé"})"});
  CHECK(strip.outputs == Lines{R"({"text": "Cafe Ole"})"});
}

TEST_CASE("text.split_words writes space-separated words", "[plugins][text]") {
  auto spaces = run_op("text", "text.split_words", "{}", {R"({"text": " Go  until\njurong "})"});
  CHECK(spaces.outputs == Lines{R"({"text": " Go  until\njurong ", "words": "Go until jurong"})"});
  auto pattern = run_op("text", "text.split_words",
                        "{pattern: \"[\\\\p{L}\\\\p{N}']+\", lowercase: true}",
                        {R"({"text": "FREE entry!! Txt 87121, don't"})"});
  CHECK(parse_lines(pattern.outputs)[0].at("words").as_string() == "free entry txt 87121 don't");
  CHECK(sluice::test::params_error("text", "text.split_words", "{pattern: '[a'}")
            .message()
            .find("param 'pattern': expected an ICU regular expression, found '[a'") !=
        std::string::npos);
}

TEST_CASE("text.split_words splits every SMS message", "[plugins][text]") {
  Lines records;
  std::string data = sluice::test::read_file(sluice::test::shared_data_dir() + "/text/sms_spam.tsv");
  for (size_t start = 0; start < data.size();) {
    size_t end = std::min(data.find('\n', start), data.size());
    std::string line = data.substr(start, end - start);
    records.push_back(boost::json::serialize(boost::json::object{{"text", line.substr(line.find('\t') + 1)}}));
    start = end + 1;
  }
  auto r = run_op("text", "text.split_words", "{pattern: \"[\\\\p{L}\\\\p{N}']+\", lowercase: true}",
                  records);
  CHECK(r.rejected.empty());
  REQUIRE(r.outputs.size() == 5574);
  CHECK(parse_lines({r.outputs[0]})[0].at("words").as_string().subview().substr(0, 31) ==
        "go until jurong point crazy ava");
}
