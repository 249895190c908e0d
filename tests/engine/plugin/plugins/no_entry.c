/* A shared library that is not a sluice plugin: it exports no entry point. */
#include <sluice/plugin.h>

SLUICE_EXPORT int not_a_plugin(void) { return 1; }
