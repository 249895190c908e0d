/* A plugin built for ABI 1.1, in plain C: its descriptor ends before the members 1.2 added
 * (layer_count, layers), so the loader must not read them; they hold garbage here to prove it. */
#include <sluice/plugin.h>

static sluice_status noop_create(const sluice_host* host, const sluice_param* params,
                                 sluice_node_context* ctx, void** instance) {
  (void)host;
  (void)params;
  (void)ctx;
  *instance = (void*)1;
  return NULL;
}

static sluice_status pass_on(void* instance, sluice_node_context* ctx, sluice_record* record,
                             sluice_emitter* out) {
  (void)instance;
  (void)ctx;
  (void)record;
  (void)out;
  return NULL;
}

static void noop_destroy(void* instance) { (void)instance; }

static const sluice_op_def kNoop = {
    .struct_size = sizeof(sluice_op_def),
    .name = "old.noop",
    .doc = "Drops every record",
    .create = noop_create,
    .process = pass_on,
    .destroy = noop_destroy,
};
static const sluice_op_def* const kOps[] = {&kNoop};

static const sluice_plugin kPlugin = {
    .struct_size = offsetof(sluice_plugin, layer_count),
    .abi_major = 1,
    .abi_minor = 1,
    .name = "old",
    .version = "1.1.0",
    .doc = "Built for ABI 1.1",
    .op_count = 1,
    .ops = kOps,
    .layer_count = 3,
    .layers = (const sluice_layer_def* const*)8,
};

SLUICE_EXPORT const sluice_plugin* sluice_plugin_entry(const sluice_host* host) {
  (void)host;
  return &kPlugin;
}
