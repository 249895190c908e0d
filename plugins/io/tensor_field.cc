#include "io/tensor_field.h"

namespace sluice::io {

Expected<Tensor> cpu_tensor(const Record& r, Field f) {
  Expected<Tensor> t = r.get_tensor(f);
  if (!t.ok()) return t.status();
  if (!t->on_cpu()) {
    return Status::BadRecord(std::string("field '") + f.name() +
                             "': expected a tensor in CPU memory, found one on cuda:" +
                             std::to_string(t->info().device_index));
  }
  return t;
}

}  // namespace sluice::io
