// core.take, core.skip and core.repeat.
#include "plugins/support/plugin_test.h"

#include <catch2/catch.hpp>

using sluice::test::run_op;
using Lines = std::vector<std::string>;

namespace {

Lines numbered(int n) {
  Lines out;
  for (int i = 0; i < n; ++i) out.push_back("{\"i\": " + std::to_string(i) + "}");
  return out;
}

}  // namespace

TEST_CASE("core.take passes the first count records, core.skip the others", "[plugins][core]") {
  CHECK(run_op("core", "core.take", "{count: 2}", numbered(5)).outputs == Lines{R"({"i": 0})",
                                                                                R"({"i": 1})"});
  CHECK(run_op("core", "core.skip", "{count: 3}", numbered(5)).outputs == Lines{R"({"i": 3})",
                                                                                R"({"i": 4})"});
  CHECK(run_op("core", "core.take", "{count: 9}", numbered(2)).outputs.size() == 2);
  CHECK(run_op("core", "core.skip", "{count: 0}", numbered(2)).outputs.size() == 2);
  CHECK(sluice::test::params_error("core", "core.take", "{count: -1}").code() ==
        SLUICE_INVALID_ARGUMENT);
}

TEST_CASE("core.repeat emits numbered copies in a row", "[plugins][core]") {
  CHECK(run_op("core", "core.repeat", "{count: 3}", numbered(2)).outputs ==
        Lines{R"({"i": 0, "repeat": 0})", R"({"i": 0, "repeat": 1})", R"({"i": 0, "repeat": 2})",
              R"({"i": 1, "repeat": 0})", R"({"i": 1, "repeat": 1})", R"({"i": 1, "repeat": 2})"});
  CHECK(run_op("core", "core.repeat", "{count: 1}", numbered(1)).outputs ==
        Lines{R"({"i": 0, "repeat": 0})"});
  // One record's copies are held together: 10^18 of them once exhausted the machine's memory.
  CHECK_THAT(
      sluice::test::params_error("core", "core.repeat", "{count: 1000000000000000000}").message(),
      Catch::Contains("expected an int in [1, 1048576], found 1000000000000000000"));
}
