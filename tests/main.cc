// The one Catch2 main shared by every test binary, and the sanitizer settings of the test builds.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// UndefinedBehaviorSanitizer reads its default options here (other builds never call it): stack
// traces, and the suppressions of tests/ubsan.supp.
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1:suppressions=" SLUICE_TEST_SOURCE_DIR "/tests/ubsan.supp";
}
