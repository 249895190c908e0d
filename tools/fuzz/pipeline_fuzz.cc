// libFuzzer target: any bytes as a pipeline file (engine/config/pipeline.h). load_pipeline_text
// must report what is wrong as diagnostics and never crash, whatever the YAML holds.
#include "engine/config/diagnostics.h"
#include "engine/config/pipeline.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sluice::Diagnostics diags;
  sluice::load_pipeline_text(text, "fuzz.yaml", {}, diags);
  return 0;
}
