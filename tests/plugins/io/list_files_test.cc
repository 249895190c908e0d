// io.list_files and the path patterns under it.
#include "io/path_pattern.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <filesystem>

using sluice::io::PathPattern;
using sluice::io::split_glob_root;
using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;
using Captures = std::vector<std::pair<std::string, std::string>>;

namespace {

// A tree: a/1.png a/2.txt a/deep/3.png b/4.png top.png
std::string make_tree() {
  std::string dir = sluice::test::temp_dir();
  for (const char* d : {"/a/deep", "/b"}) std::filesystem::create_directories(dir + d);
  for (const char* f : {"/a/1.png", "/a/2.txt", "/a/deep/3.png", "/b/4.png", "/top.png"}) {
    sluice::test::write_file(dir + f, "x");
  }
  return dir;
}

}  // namespace

TEST_CASE("path patterns: *, ?, ** and captures", "[plugins][io]") {
  auto p = *PathPattern::compile("**/*.png", false);
  CHECK(p.match("top.png"));
  CHECK(p.match("a/deep/3.png"));
  CHECK_FALSE(p.match("a/2.txt"));
  CHECK(p.max_depth() == -1);
  auto one = *PathPattern::compile("?/*.png", false);
  CHECK(one.match("a/1.png"));
  CHECK_FALSE(one.match("a/deep/3.png"));
  CHECK(one.max_depth() == 1);
  auto literal = *PathPattern::compile("a+(b).png", false);
  CHECK(literal.match("a+(b).png"));

  auto labels = *PathPattern::compile("{digit}_{speaker}_{index}.wav", true);
  Captures c;
  REQUIRE(labels.match("7_jackson_12.wav", &c));
  CHECK(c == Captures{{"digit", "7"}, {"speaker", "jackson"}, {"index", "12"}});
  CHECK_FALSE(labels.match("x/7_jackson_12.wav", &c));

  CHECK(PathPattern::compile("a**/b", false).status().message() ==
        "pattern 'a**/b': expected '**' as a whole path segment (as in 'a/**/b'), found it in "
        "'a**'");
  CHECK(PathPattern::compile("{a}/{a}", true).status().message() ==
        "pattern '{a}/{a}': expected each {name} once, found '{a}' twice");
}

TEST_CASE("split_glob_root splits at the first wildcard segment", "[plugins][io]") {
  using Split = std::pair<std::string, std::string>;
  CHECK(split_glob_root("data/img/**/*.png") == Split{"data/img", "**/*.png"});
  CHECK(split_glob_root("/abs/x/*.wav") == Split{"/abs/x", "*.wav"});
  CHECK(split_glob_root("*.txt") == Split{"", "*.txt"});
  CHECK(split_glob_root("dir/file.txt") == Split{"dir", "file.txt"});
}

TEST_CASE("io.list_files lists matching files sorted, with labels from the path",
          "[plugins][io]") {
  std::string dir = make_tree();
  auto all = run_op("io", "io.list_files", "{pattern: '" + dir + "/**/*.png'}");
  Lines paths;
  for (const auto& o : parse_lines(all.outputs)) paths.emplace_back(o.at("path").as_string());
  CHECK(paths == Lines{dir + "/a/1.png", dir + "/a/deep/3.png", dir + "/b/4.png",
                       dir + "/top.png"});

  auto labelled = run_op("io", "io.list_files",
                         "{pattern: '" + dir + "/*/*.png', label_from: '{label}/*.png'}");
  auto records = parse_lines(labelled.outputs);
  REQUIRE(records.size() == 2);
  CHECK(records[0].at("label").as_string() == "a");
  CHECK(records[1].at("label").as_string() == "b");
  CHECK(records[1].at("path").as_string() == dir + "/b/4.png");
}

TEST_CASE("io.list_files rejects a file that label_from does not match, and goes on",
          "[plugins][io]") {
  std::string dir = make_tree();
  auto r = run_op("io", "io.list_files",
                  "{pattern: '" + dir + "/**/*.png', label_from: '{label}/{name}.png'}");
  CHECK(parse_lines(r.outputs).size() == 2);  // a/1.png, b/4.png
  CHECK(r.rejected == Lines{"1: '" + dir + "/a/deep/3.png': expected a relative path matching " +
                                "label_from '{label}/{name}.png', found 'a/deep/3.png'",
                            "2: '" + dir + "/top.png': expected a relative path matching " +
                                "label_from '{label}/{name}.png', found 'top.png'"});
}

TEST_CASE("io.list_files fails on a missing directory and checks its patterns", "[plugins][io]") {
  sluice::OpRunner missing(sluice::test::plugin_registry("io"), "io.list_files",
                           "{pattern: '/nonexistent/dir/*.png'}");
  auto r = missing.process_all({});
  CHECK(r.error.code() == SLUICE_NOT_FOUND);
  CHECK(r.error.message().find("expected '/nonexistent/dir' (the directory of pattern '*.png') "
                               "to be a directory, found nothing there") != std::string::npos);
  CHECK(sluice::test::params_error("io", "io.list_files", "{pattern: '*', label_from: '{x'}")
            .message()
            .find("param 'label_from': pattern '{x': expected '{name}', found '{x'") !=
        std::string::npos);
}
