// Reading tensor fields in the writers: CPU tensors and their bytes.
#pragma once

#include <sluice/record.hpp>

#include <string_view>

namespace sluice::io {

// The tensor in field `f`; BAD_RECORD naming the field when it is absent, not a tensor, or not
// in CPU memory.
Expected<Tensor> cpu_tensor(const Record& r, Field f);

// The bytes of a CPU tensor.
inline std::string_view bytes_of(const Tensor& t) {
  return {static_cast<const char*>(t.data()), t.nbytes()};
}

}  // namespace sluice::io
