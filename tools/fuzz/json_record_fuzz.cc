// libFuzzer target: any bytes as one JSON line of a record (json_record.h). record_from_json must
// refuse what it cannot read with a status, setting no field; a record it reads writes back as
// JSON that reads to the same JSON again.
#include "engine/runtime/host.h"
#include "json_record.h"

#include <sluice/record.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::engine_host();
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  sluice::OwnedRecord record;
  if (!sluice::record_from_json(line, record).ok()) {
    if (record.size() != 0) std::abort();
    return 0;
  }
  const std::string written = sluice::record_to_json(record);
  sluice::OwnedRecord again;
  if (!sluice::record_from_json(written, again).ok()) std::abort();
  if (sluice::record_to_json(again) != written) std::abort();
  return 0;
}
