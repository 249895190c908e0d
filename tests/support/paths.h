// Where tests find things: the source tree, the build tree, its plugins, the shared data beside
// the checkout (../shared/data), and a fresh temporary directory per call.
#pragma once

#include <string>

namespace sluice::test {

// The repository root and the CMake binary dir the tests were built from, or
// $SLUICE_TEST_SOURCE_DIR and $SLUICE_TEST_BUILD_DIR when set (tests run from a copy elsewhere:
// tools/device/make_gpu_bundle.sh).
std::string source_dir();
std::string build_dir();
std::string plugin_dir();       // build/lib/sluice/plugins
std::string test_plugin_dir();  // build/lib/sluice/test-plugins
std::string sluice_binary();    // build/bin/sluice
// ../shared/data beside the checkout, or $SLUICE_SHARED_DATA when set.
std::string shared_data_dir();
// A new empty directory under the system temp dir, removed at process exit.
std::string temp_dir();
// Reads a whole file; throws std::runtime_error naming it when unreadable.
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace sluice::test
