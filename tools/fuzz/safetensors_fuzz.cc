// libFuzzer target: any bytes as a .safetensors file (io/safetensors.h). open_safetensors must
// refuse a malformed header with a status and never crash; every tensor of a header it accepts
// lies within the file and reads back whole.
#include "io/safetensors.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/sluice-fuzz-" + std::to_string(getpid()) + ".safetensors";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) std::abort();
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
