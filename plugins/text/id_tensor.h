// Reading token-id tensors in the text ops (text.detokenize's ids, text.generate's prompt).
#pragma once

#include <sluice/sdk.hpp>

#include <cstdint>
#include <vector>

namespace sluice::text {

// The ids of `t`, field `field`'s 1-D int32 or int64 CPU tensor, the first `length` of them when
// length >= 0; BAD_RECORD naming the field otherwise, or when an id is beyond int32's range.
Expected<std::vector<int32_t>> ids_of(const Tensor& t, Field field, int64_t length);

}  // namespace sluice::text
