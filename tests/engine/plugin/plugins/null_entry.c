/* A test plugin whose entry point declines to work with the host. */
#include <sluice/plugin.h>

SLUICE_EXPORT const sluice_plugin* sluice_plugin_entry(const sluice_host* host) {
  (void)host;
  return NULL;
}
