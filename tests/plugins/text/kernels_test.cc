// text's kernels: normalisation, word splitting and vocabulary tables.
#include "support/paths.h"
#include "text/unicode.h"
#include "text/vocabulary.h"
#include "text/words.h"

#include <catch2/catch.hpp>

using sluice::text::NormalForm;
using sluice::text::NormalizeOptions;
using sluice::text::VocabularyTable;
using sluice::text::WordSplitter;
using Lines = std::vector<std::string>;

TEST_CASE("normalize lowercases Unicode, strips accents, folds forms, collapses space",
          "[plugins][text]") {
  NormalizeOptions lower;
  CHECK(sluice::text::normalize("  ÉCOLE \t Straße ΣΑΣ\n", lower) == "école straße σας");
  CHECK(sluice::text::normalize("e\xcc\x81", lower) == "\xc3\xa9");  // NFC composes e + acute
  NormalizeOptions strip;
  strip.strip_accents = true;
  CHECK(sluice::text::normalize("Crème Brûlée, Ærø", strip) == "creme brulee, ærø");
  NormalizeOptions compat;
  compat.form = NormalForm::kNfkc;
  CHECK(sluice::text::normalize("\xef\xac\x81ne \xef\xbc\xa1\xef\xbc\xa2", compat) == "fine ab");
  NormalizeOptions keep;
  keep.lowercase = false;
  keep.collapse_whitespace = false;
  CHECK(sluice::text::normalize(" A  b ", keep) == " A  b ");
}

TEST_CASE("check_utf8 names the first bad byte", "[plugins][text]") {
  CHECK(sluice::text::check_utf8("ok \xc3\xa9").ok());
  CHECK(sluice::text::check_utf8("ab\xffz").message() ==
        "expected UTF-8, found the invalid byte 0xff at byte 2");
  CHECK(sluice::text::check_utf8("\xc3").code() == SLUICE_INVALID_ARGUMENT);
}

TEST_CASE("WordSplitter splits at Unicode white space or takes pattern matches",
          "[plugins][text]") {
  auto spaces = *WordSplitter::make("", false);
  CHECK(*spaces.split("  Go\xc2\xa0until\njurong  ") == "Go until jurong");
  CHECK(*spaces.split("") == "");
  auto words = *WordSplitter::make("[\\p{L}\\p{N}']+", true);
  CHECK(*words.split("Don't STOP\xe2\x80\x94 2 go! Élan") == "don't stop 2 go élan");
  auto punct = *WordSplitter::make("\\w+|[^\\w\\s]", false);
  CHECK(*punct.split("Hi, you!") == "Hi , you !");
  CHECK(WordSplitter::make("(", false).status().message().find(
            "expected an ICU regular expression, found '(': U_REGEX_MISMATCHED_PAREN") == 0);
  auto spaced = *WordSplitter::make("a b", false);
  CHECK(spaced.split("xa by").status().message() ==
        "expected words without white space, found the match 'a b' of the pattern");
}

TEST_CASE("for_each_word reads space-separated words", "[plugins][text]") {
  Lines got;
  sluice::text::for_each_word(" a  bc d", [&](std::string_view w) { got.emplace_back(w); });
  CHECK(got == Lines{"a", "bc", "d"});
}

TEST_CASE("VocabularyTable ranks by count, then bytes, after the specials", "[plugins][text]") {
  sluice::text::WordCounts counts{{"b", 3}, {"a", 3}, {"c", 5}, {"rare", 1}, {"<unk>", 9}};
  auto t = VocabularyTable::build({"<pad>", "<unk>"}, counts, 2, 0);
  CHECK(t.tokens() == Lines{"<pad>", "<unk>", "c", "a", "b"});
  CHECK(*t.id("a") == 3);
  CHECK_FALSE(t.id("rare"));
  CHECK(VocabularyTable::build({"<pad>"}, counts, 1, 3).tokens() == Lines{"<pad>", "<unk>", "c"});
}

TEST_CASE("VocabularyTable loads what it writes and reports bad files", "[plugins][text]") {
  std::string dir = sluice::test::temp_dir();
  auto t = VocabularyTable::build({"<pad>", "<unk>"}, {{"x", 2}, {"y", 1}}, 1, 0);
  sluice::test::write_file(dir + "/v.txt", t.to_text());
  auto back = VocabularyTable::load(dir + "/v.txt");
  REQUIRE(back.ok());
  CHECK(back->tokens() == t.tokens());
  sluice::test::write_file(dir + "/dup.txt", "a\r\nb\r\na\r\n");
  CHECK(VocabularyTable::load(dir + "/dup.txt").status().message() ==
        dir + "/dup.txt:3: expected each token once, found 'a' again (first on line 1)");
  sluice::test::write_file(dir + "/empty.txt", "a\n\nb\n");
  CHECK(VocabularyTable::load(dir + "/empty.txt").status().message() ==
        dir + "/empty.txt:2: expected a token, found an empty line");
  CHECK(VocabularyTable::load(dir + "/none.txt").status().code() == SLUICE_NOT_FOUND);
}

TEST_CASE("the BERT uncased vocabulary loads with its ids", "[plugins][text]") {
  auto bert =
      VocabularyTable::load(sluice::test::shared_data_dir() + "/vocab/bert-base-uncased/vocab.txt");
  REQUIRE(bert.ok());
  CHECK(bert->size() == 30522);
  CHECK(*bert->id("[PAD]") == 0);
  CHECK(*bert->id("[UNK]") == 100);
  CHECK(*bert->id("the") == 1996);
}
