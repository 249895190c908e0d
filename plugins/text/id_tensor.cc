#include "text/id_tensor.h"

#include <algorithm>
#include <limits>
#include <string>

namespace sluice::text {

Expected<std::vector<int32_t>> ids_of(const Tensor& t, Field field, int64_t length) {
  const std::string name = "field '" + std::string(field.name()) + "'";
  if (t.ndim() != 1 || !t.on_cpu() ||
      (t.dtype() != SLUICE_DTYPE_INT32 && t.dtype() != SLUICE_DTYPE_INT64)) {
    return Status::BadRecord(name + ": expected a 1-D int32 or int64 CPU tensor of ids, found " +
                             std::to_string(t.ndim()) + "-D " + dtype_name(t.dtype()));
  }
  const int64_t n = length >= 0 ? std::min(length, t.dim(0)) : t.dim(0);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t id =
        t.dtype() == SLUICE_DTYPE_INT32 ? t.data_as<int32_t>()[i] : t.data_as<int64_t>()[i];
    if (id < std::numeric_limits<int32_t>::min() || id > std::numeric_limits<int32_t>::max()) {
      return Status::BadRecord(name + ": expected ids in int32's range, found " +
                               std::to_string(id) + " at position " + std::to_string(i));
    }
    ids[static_cast<size_t>(i)] = static_cast<int32_t>(id);
  }
  return ids;
}

}  // namespace sluice::text
