/* A test plugin written against a future ABI major version, in plain C. */
#include <sluice/plugin.h>

static const sluice_plugin kPlugin = {
    sizeof(sluice_plugin), 2, 0, "future", "2.0.0", "Built for ABI 2", 0, NULL, 0, NULL};

SLUICE_EXPORT const sluice_plugin* sluice_plugin_entry(const sluice_host* host) {
  (void)host;
  return &kPlugin;
}
