/* A test plugin written against a future ABI major version, in plain C. */
#include <sluice/plugin.h>

static const sluice_plugin kPlugin = {
    .struct_size = sizeof(sluice_plugin),
    .abi_major = 2,
    .abi_minor = 0,
    .name = "future",
    .version = "2.0.0",
    .doc = "Built for ABI 2",
};

SLUICE_EXPORT const sluice_plugin* sluice_plugin_entry(const sluice_host* host) {
  (void)host;
  return &kPlugin;
}
