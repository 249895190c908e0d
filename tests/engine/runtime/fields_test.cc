#include "engine/runtime/fields.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using sluice::field_name;
using sluice::intern_field;

TEST_CASE("interning gives one stable id per name, dense from 1", "[runtime][fields]") {
  sluice_field a = intern_field("fields_test.a");
  sluice_field b = intern_field("fields_test.b");
  CHECK(a >= 1);
  CHECK(b == a + 1);
  CHECK(intern_field("fields_test.a") == a);
  CHECK(std::string(field_name(a)) == "fields_test.a");
  CHECK(std::string(field_name(b)) == "fields_test.b");
}

TEST_CASE("unknown ids have the empty name and the empty name is no field", "[runtime][fields]") {
  CHECK(std::string(field_name(0)) == "");
  CHECK(std::string(field_name(4000000000u)) == "");
  CHECK(intern_field("") == 0);
}

TEST_CASE("a name may hold any bytes, embedded NUL included", "[runtime][fields]") {
  std::string with_nul("a\0b", 3);
  sluice_field f = intern_field(with_nul);
  CHECK(f != intern_field("a"));
  CHECK(intern_field(with_nul) == f);
}

TEST_CASE("name pointers stay valid while the table grows", "[runtime][fields]") {
  sluice_field first = intern_field("fields_test.stable");
  const char* name = field_name(first);
  for (int i = 0; i < 20000; ++i) intern_field("fields_test.grow." + std::to_string(i));
  CHECK(field_name(first) == name);
  CHECK(std::string(name) == "fields_test.stable");
}

TEST_CASE("threads interning the same names agree on every id", "[runtime][fields]") {
  constexpr int kThreads = 8;
  constexpr int kNames = 2000;
  std::vector<std::vector<sluice_field>> ids(kThreads, std::vector<sluice_field>(kNames));
  std::atomic<int> torn_names{0};  // Catch2 assertions are not thread-safe: count, check after
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &ids, &torn_names] {
      // Each thread walks the names in its own order.
      for (int k = 0; k < kNames; ++k) {
        int i = (k * 7 + t * 131) % kNames;
        ids[t][i] = intern_field("fields_test.mt." + std::to_string(i));
        // Reading names while others intern must see complete strings.
        if (field_name(ids[t][i]) != "fields_test.mt." + std::to_string(i)) ++torn_names;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(torn_names == 0);
  std::vector<bool> seen;
  for (int i = 0; i < kNames; ++i) {
    for (int t = 1; t < kThreads; ++t) REQUIRE(ids[t][i] == ids[0][i]);
    sluice_field id = ids[0][i];
    if (seen.size() <= id) seen.resize(id + 1);
    REQUIRE_FALSE(seen[id]);  // distinct names, distinct ids
    seen[id] = true;
  }
}
