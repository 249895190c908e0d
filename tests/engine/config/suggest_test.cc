#include "engine/config/diagnostics.h"

#include <catch2/catch.hpp>

using sluice::did_you_mean;

TEST_CASE("did_you_mean suggests the closest candidate", "[config]") {
  const std::vector<std::string> ops = {"io.read_csv", "io.read_jsonl", "io.write_jsonl"};
  CHECK(did_you_mean("io.read_jsnl", ops) == " (did you mean 'io.read_jsonl'?)");
  CHECK(did_you_mean("io.raed_csv", ops) == " (did you mean 'io.read_csv'?)");  // transposition
  CHECK(did_you_mean("IO.Read_CSV", ops) == " (did you mean 'io.read_csv'?)");  // case
  CHECK(did_you_mean("read_csv", ops) == " (did you mean 'io.read_csv'?)");     // no prefix
  CHECK(did_you_mean("positon", {"position", "count"}) == " (did you mean 'position'?)");
}

TEST_CASE("did_you_mean stays quiet for far words, exact matches and no candidates", "[config]") {
  CHECK(did_you_mean("banana", {"io.read_csv", "count"}).empty());
  CHECK(did_you_mean("count", {"count", "counts"}).empty());
  CHECK(did_you_mean("anything", {}).empty());
}

TEST_CASE("did_you_mean allows more edits for longer words", "[config]") {
  CHECK(did_you_mean("ab", {"xy"}).empty());  // 2 edits on 2 letters
  CHECK(did_you_mean("vocabulari_sz", {"vocabulary_size"}) ==
        " (did you mean 'vocabulary_size'?)");  // 3 edits on 13 letters
  CHECK(did_you_mean("tokenizr", {"tokenizer", "token"}) == " (did you mean 'tokenizer'?)");
}
