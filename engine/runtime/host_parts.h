// Internal to the runtime: the host table (host.cc) is assembled from parts grouped by what they
// serve. Every function in the table is called from C: none throws (an allocation failure
// terminates), and each tolerates NULL and out-of-range arguments.
#pragma once

#include <sluice/plugin.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace sluice::host_parts {

void fill_data(sluice_host& t);    // tensors, records, emit
void fill_nodes(sluice_host& t);   // params, node contexts, field sets
void fill_layers(sluice_host& t);  // find_layer, layer_args, param_free (host_layers.cc)

// An error status owned by the caller.
sluice_status error(sluice_code code, std::string message);
// Whether `f` is an interned field id.
bool known_field(sluice_field f);

// Copies as much of `full` as the caller's struct (of `out->struct_size` bytes) holds.
template <class T>
void fill_prefix(T* out, T full) {
  full.struct_size = out->struct_size;
  std::memcpy(out, &full, std::min(out->struct_size, sizeof(T)));
}

}  // namespace sluice::host_parts
