// The one Catch2 main shared by every test binary, and the sanitizer settings of the test builds.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// UndefinedBehaviorSanitizer reads its default options here (other builds never call it): stack
// traces, and the suppressions of tests/ubsan.supp.
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1:suppressions=" SLUICE_TEST_SOURCE_DIR "/tests/ubsan.supp";
}
// AddressSanitizer records each allocation's stack with the full unwinder: the fast one stops at
// the first frame built without frame pointers (glibc, libgomp), so a leak report would name an
// "unknown module" and the suppressions below, which match a function, would miss it.
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }
// LeakSanitizer suppressions. glibc keeps the text of the last dlerror() in a buffer per thread,
// malloc'd by _dlerror_run and freed only by that thread's next dl call or its exit; when the
// caller is code built without frame pointers (libtbb's optional-library loading on a worker
// thread), the check at exit can find the buffer of a finished thread unreachable. It is glibc's
// bookkeeping, not a sluice allocation, and only that function is suppressed.
// libsndfile 1.2.0 (Debian 12) does not free the vorbis_info it initialised when an OGG/Vorbis
// file's headers fail to parse (the truncated OGGs of the bad-audio corpus): ~6 KiB per such file
// in libvorbis's vorbis_info_init, inside libsndfile's sf_open; sluice closes every handle
// libsndfile returns. Only that allocation site is suppressed.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:_dlerror_run\nleak:vorbis_info_init\n";
}
