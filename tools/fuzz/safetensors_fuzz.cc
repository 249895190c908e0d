// libFuzzer target: any bytes as a .safetensors file (io/safetensors.h). open_safetensors must
// refuse a malformed header with a status and never crash; every tensor of a header it accepts
// lies within the file and reads back whole.
#include "fuzz_file.h"
#include "io/safetensors.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      write_fuzz_file(".safetensors", std::string_view(reinterpret_cast<const char*>(data), size));
  sluice::Expected<sluice::io::SafetensorsFile> file = sluice::io::open_safetensors(path);
  if (!file.ok()) return 0;
  std::vector<char> out;
  for (const sluice::io::SafetensorsEntry& e : file->entries()) {
    if (e.offset + e.bytes > size) std::abort();
    out.resize(e.bytes);
    if (!file->read(e, out.data()).ok()) std::abort();
  }
  return 0;
}
