// Engine side of sluice_record: an ordered list of (field, value) pairs plus the record's seed and
// source position. Field lookup is a linear scan over interned ids (records have few fields).
// A record is used by one thread at a time; copying shares tensor buffers.
#pragma once

#include "engine/runtime/tensor.h"

#include <sluice/plugin.h>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sluice {

struct Bytes {
  std::string data;
};

// One field's value. Index order matches nothing in the ABI; use kind_of().
using Value = std::variant<TensorRef, std::string, Bytes, int64_t, double, bool>;

sluice_kind kind_of(const Value& v);

}  // namespace sluice

struct sluice_record_s {
  std::vector<std::pair<sluice_field, sluice::Value>> fields;
  uint64_t seed = 0;
  int64_t position = 0;

  const sluice::Value* find(sluice_field f) const;
  sluice::Value* find(sluice_field f);
  // Replaces or appends.
  void set(sluice_field f, sluice::Value v);
  void remove(sluice_field f);
};

namespace sluice {
using RecordPtr = std::unique_ptr<sluice_record_s>;
}  // namespace sluice
