/* sluice plugin ABI: the only stable contract between the engine and a plugin.
 *
 * A plugin is a shared library that exports one function, `sluice_plugin_entry`, returning a
 * static descriptor of what it provides: ops (node types), resource types and layer types (for
 * the nn plugin's models), each described by a schema that is plain data. Everything a plugin needs
 * from the engine (records, tensors, status objects, logging, metrics, resources) comes through the
 * `sluice_host` function table handed to the entry point, so a plugin never links against the
 * engine and may be built with another compiler, standard library or CUDA version.
 *
 * Versioning: every struct begins with `struct_size`; a later minor version only appends members,
 * so a reader checks `struct_size` before touching a member added after 1.0 (SLUICE_HAS_MEMBER).
 * The engine refuses a plugin whose `abi_major` differs from its own. 1.1 added the host's
 * node_resuming; 1.2 added layer types (sluice_layer_def, the descriptor's `layers`, the host's
 * find_layer, layer_args and param_free); 1.3 added layer buffers (sluice_layer_def's buffers and
 * init_buffers, sluice_layer_pass's buffer_count and buffers).
 *
 * Errors: every callback that can fail returns a `sluice_status`: NULL means success, anything
 * else is an error object made with `host->status_new` and owned by whoever receives it. No C++
 * exception may cross this boundary (the C++ SDK catches them for you).
 *
 * Threading: the host table is safe to call from any thread. An op without
 * SLUICE_OP_STATEFUL has `process` called concurrently from several threads on one instance;
 * a stateful op is called by one thread at a time, with records in stream order.
 */
#ifndef SLUICE_PLUGIN_H_
#define SLUICE_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SLUICE_ABI_MAJOR 1
#define SLUICE_ABI_MINOR 3

/* Whether `*p`, a struct of type `type` sized by whoever made it (its struct_size), holds
 * `member`: check it before reading a member added after 1.0. */
#define SLUICE_HAS_MEMBER(type, p, member) \
  ((p)->struct_size >= offsetof(type, member) + sizeof(((const type*)0)->member))

/* Name of the one symbol a plugin exports. */
#define SLUICE_PLUGIN_ENTRY_SYMBOL "sluice_plugin_entry"

#if defined(_WIN32)
#define SLUICE_EXPORT __declspec(dllexport)
#else
#define SLUICE_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Status ----------------------------------------------------------------------------- */

typedef enum sluice_code {
  SLUICE_OK = 0,
  SLUICE_INVALID_ARGUMENT = 1, /* bad params or usage */
  SLUICE_BAD_RECORD = 2,       /* this record cannot be processed; others may go on */
  SLUICE_NOT_FOUND = 3,
  SLUICE_IO_ERROR = 4,
  SLUICE_UNSUPPORTED = 5,
  SLUICE_OUT_OF_MEMORY = 6,
  SLUICE_CANCELLED = 7,
  SLUICE_INTERNAL = 8 /* a bug or an unexpected failure inside a plugin */
} sluice_code;

/* Opaque error object; NULL is success. */
typedef struct sluice_status_s* sluice_status;

/* ---- Data ------------------------------------------------------------------------------- */

typedef enum sluice_dtype {
  SLUICE_DTYPE_ANY = 0, /* only in schemas: any dtype accepted */
  SLUICE_DTYPE_BOOL = 1,
  SLUICE_DTYPE_UINT8 = 2,
  SLUICE_DTYPE_INT8 = 3,
  SLUICE_DTYPE_UINT16 = 4,
  SLUICE_DTYPE_INT16 = 5,
  SLUICE_DTYPE_INT32 = 6,
  SLUICE_DTYPE_INT64 = 7,
  SLUICE_DTYPE_FLOAT16 = 8,
  SLUICE_DTYPE_BFLOAT16 = 9,
  SLUICE_DTYPE_FLOAT32 = 10,
  SLUICE_DTYPE_FLOAT64 = 11
} sluice_dtype;

/* What a record field holds. */
typedef enum sluice_kind {
  SLUICE_KIND_ANY = 0, /* only in schemas */
  SLUICE_KIND_TENSOR = 1,
  SLUICE_KIND_STRING = 2, /* UTF-8 text (not checked) */
  SLUICE_KIND_BYTES = 3,
  SLUICE_KIND_INT = 4,   /* int64 scalar */
  SLUICE_KIND_FLOAT = 5, /* float64 scalar */
  SLUICE_KIND_BOOL = 6
} sluice_kind;

typedef enum sluice_device_type {
  SLUICE_DEVICE_CPU = 0,
  SLUICE_DEVICE_CUDA = 1
} sluice_device_type;

#define SLUICE_MAX_DIMS 8

/* Reference-counted, contiguous (row-major) tensor. Opaque; see host->tensor_* . */
typedef struct sluice_tensor_s sluice_tensor;

typedef struct sluice_tensor_info {
  size_t struct_size;
  sluice_dtype dtype;
  int32_t ndim;
  int64_t shape[SLUICE_MAX_DIMS];
  void* data; /* host or device pointer, per device_type */
  size_t nbytes;
  sluice_device_type device_type;
  int32_t device_index;
} sluice_tensor_info;

/* Frees the memory behind a wrapped tensor; called once, when its last reference goes. */
typedef void (*sluice_deleter)(void* data, void* deleter_ctx);

/* A record: named fields flowing on an edge. Opaque; owned by the host. */
typedef struct sluice_record_s sluice_record;

/* Interned field name; valid for the life of the process. */
typedef uint32_t sluice_field;

/* A borrowed view of one field's value: valid until the record is changed or released. */
typedef struct sluice_value_view {
  size_t struct_size;
  sluice_kind kind;
  const char* data;            /* STRING/BYTES: not NUL-terminated for BYTES */
  size_t size;                 /* STRING/BYTES: length in bytes */
  int64_t i;                   /* INT, BOOL (0 or 1) */
  double f;                    /* FLOAT */
  const sluice_tensor* tensor; /* TENSOR: borrowed; retain it to keep it */
} sluice_value_view;

/* Where records go when an op emits them. Opaque; owned by the host. */
typedef struct sluice_emitter_s sluice_emitter;

/* A node's view of the run: its id, bindings, seed, resources. Opaque; owned by the host. */
typedef struct sluice_node_context_s sluice_node_context;

/* Param values: a read-only tree (null, bool, int, float, string, list, map). Opaque. */
typedef struct sluice_param_s sluice_param;

typedef enum sluice_param_kind {
  SLUICE_PARAM_NULL = 0,
  SLUICE_PARAM_BOOL = 1,
  SLUICE_PARAM_INT = 2,
  SLUICE_PARAM_FLOAT = 3,
  SLUICE_PARAM_STRING = 4,
  SLUICE_PARAM_LIST = 5,
  SLUICE_PARAM_MAP = 6
} sluice_param_kind;

/* A set of field names with their kinds, used to check a pipeline's data flow at load. */
typedef struct sluice_field_set_s sluice_field_set;

/* A layer type a plugin provides (added in 1.2; defined below). */
typedef struct sluice_layer_def sluice_layer_def;

typedef enum sluice_log_level {
  SLUICE_LOG_DEBUG = 0,
  SLUICE_LOG_INFO = 1,
  SLUICE_LOG_WARN = 2,
  SLUICE_LOG_ERROR = 3
} sluice_log_level;

/* ---- Host services ---------------------------------------------------------------------- */

/* Function table the engine gives a plugin. Valid for the life of the process. */
typedef struct sluice_host {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  /* Status. The message is copied. */
  sluice_status (*status_new)(sluice_code code, const char* message);
  sluice_code (*status_code)(sluice_status status);
  const char* (*status_message)(sluice_status status);
  void (*status_free)(sluice_status status);

  /* Fields: interning is thread-safe; the same name always gives the same id. */
  sluice_field (*field_intern)(const char* name, size_t length);
  const char* (*field_name)(sluice_field field);

  /* Tensors. New tensors start with one reference, owned by the caller. `tensor_new` allocates
   * zeroed memory; `tensor_wrap` adopts `data` and calls `deleter(data, deleter_ctx)` when the
   * last reference goes (deleter may be NULL for memory that outlives every record). */
  sluice_status (*tensor_new)(sluice_dtype dtype, int32_t ndim, const int64_t* shape,
                              sluice_device_type device_type, int32_t device_index,
                              sluice_tensor** out);
  sluice_status (*tensor_wrap)(sluice_dtype dtype, int32_t ndim, const int64_t* shape,
                               sluice_device_type device_type, int32_t device_index, void* data,
                               sluice_deleter deleter, void* deleter_ctx, sluice_tensor** out);
  void (*tensor_retain)(const sluice_tensor* tensor);
  void (*tensor_release)(const sluice_tensor* tensor);
  /* Fills `info` (set info->struct_size first). */
  void (*tensor_info)(const sluice_tensor* tensor, sluice_tensor_info* info);
  /* 1 when the caller holds the only reference, so writing in place is safe. */
  int (*tensor_is_unique)(const sluice_tensor* tensor);

  /* Records. A new record is owned by the caller until emitted or freed. */
  sluice_record* (*record_new)(void);
  sluice_record* (*record_clone)(const sluice_record* record); /* shares tensor buffers */
  void (*record_free)(sluice_record* record);
  /* Returns 1 and fills `out` (set out->struct_size first) when the field exists, else 0. */
  int (*record_get)(const sluice_record* record, sluice_field field, sluice_value_view* out);
  size_t (*record_size)(const sluice_record* record);
  /* The i-th field, in insertion order; 0 when i is out of range. */
  int (*record_at)(const sluice_record* record, size_t i, sluice_field* field,
                   sluice_value_view* out);
  void (*record_set_string)(sluice_record* record, sluice_field field, const char* data,
                            size_t size);
  void (*record_set_bytes)(sluice_record* record, sluice_field field, const void* data,
                           size_t size);
  void (*record_set_int)(sluice_record* record, sluice_field field, int64_t value);
  void (*record_set_float)(sluice_record* record, sluice_field field, double value);
  void (*record_set_bool)(sluice_record* record, sluice_field field, int value);
  /* Adds a reference to `tensor`; the caller keeps its own. */
  void (*record_set_tensor)(sluice_record* record, sluice_field field, const sluice_tensor* tensor);
  void (*record_remove)(sluice_record* record, sluice_field field);
  /* Per-record seed for random ops: derived from the run seed and the record's position in its
   * source, so results do not depend on thread count. */
  uint64_t (*record_seed)(const sluice_record* record);
  /* Position in the source (0-based record index, or the line for line-based sources). */
  int64_t (*record_position)(const sluice_record* record);
  /* Sources set the position they report in diagnostics (e.g. the line number). */
  void (*record_set_position)(sluice_record* record, int64_t position);

  /* Hands `record` to the host (ownership moves). */
  sluice_status (*emit)(sluice_emitter* emitter, sluice_record* record);

  /* Params: a node's params are a MAP. Lookups return NULL when absent. */
  sluice_param_kind (*param_kind)(const sluice_param* param);
  int (*param_bool)(const sluice_param* param);
  int64_t (*param_int)(const sluice_param* param);
  double (*param_float)(const sluice_param* param); /* INT converts */
  const char* (*param_string)(const sluice_param* param);
  size_t (*param_size)(const sluice_param* param); /* LIST, MAP */
  const sluice_param* (*param_at)(const sluice_param* param, size_t i);
  const char* (*param_key_at)(const sluice_param* param, size_t i); /* MAP */
  const sluice_param* (*param_get)(const sluice_param* param, const char* key);

  /* Node context. */
  const char* (*node_id)(const sluice_node_context* ctx);
  /* The field an op's port is bound to (its own name unless the pipeline rebinds it). */
  sluice_field (*node_port_field)(const sluice_node_context* ctx, const char* port);
  uint64_t (*node_seed)(const sluice_node_context* ctx); /* run seed mixed with the node id */
  int32_t (*node_threads)(const sluice_node_context* ctx);
  /* Absolute run directory; relative output paths in a pipeline resolve against it. */
  const char* (*node_run_dir)(const sluice_node_context* ctx);
  /* Resolves `path` against the run directory (absolute paths are returned as given). The
   * returned string lives as long as the node context. */
  const char* (*node_output_path)(sluice_node_context* ctx, const char* path);
  /* The instance of the resource named `name`; fails when it does not exist or is of another
   * type than `type` (e.g. "text.vocabulary"). */
  sluice_status (*node_resource)(const sluice_node_context* ctx, const char* name, const char* type,
                                 void** out);
  /* Records a metric reported as `<node id>.<name>` in report.json (last value wins). */
  void (*node_metric)(sluice_node_context* ctx, const char* name, double value);
  void (*node_log)(const sluice_node_context* ctx, sluice_log_level level, const char* message);
  /* 1 once the run is cancelled; long loops should poll it. */
  int (*node_cancelled)(const sluice_node_context* ctx);

  /* Field sets (load-time data-flow checks). */
  size_t (*field_set_size)(const sluice_field_set* set);
  int (*field_set_at)(const sluice_field_set* set, size_t i, sluice_field* field,
                      sluice_kind* kind);
  /* 1 and its kind when present. */
  int (*field_set_find)(const sluice_field_set* set, sluice_field field, sluice_kind* kind);
  void (*field_set_put)(sluice_field_set* set, sluice_field field, sluice_kind kind);
  void (*field_set_remove)(sluice_field_set* set, sluice_field field);
  void (*field_set_clear)(sluice_field_set* set);
  /* An open set may hold fields not listed (e.g. after io.read_jsonl): reading an unlisted field
   * is then not a load-time error. Sets start closed. */
  void (*field_set_set_open)(sluice_field_set* set, int open);
  int (*field_set_is_open)(const sluice_field_set* set);

  /* A source calls this before returning SLUICE_BAD_RECORD from produce to give the rejected
   * input's position (e.g. its line number) for rejected.jsonl; without it the rejection takes
   * the position of the next record. */
  void (*node_reject_position)(sluice_node_context* ctx, int64_t position);

  /* ---- Added in 1.1 (check struct_size before use) ---- */

  /* 1 when this run continues an earlier one in the same run directory (sluice run --resume):
   * an op that writes checkpoints there restores its state from the last one. */
  int (*node_resuming)(const sluice_node_context* ctx);

  /* ---- Added in 1.2 (check struct_size before use) ---- */

  /* The layer type `type` (e.g. "mylayers.swish") that a plugin provides, for the models of the
   * nn plugin. When no loaded plugin provides it, the library named after its prefix
   * (`mylayers.so`) is loaded from the plugin search path, then, if the type is still unknown,
   * every library there. NOT_FOUND naming the type when none provides it. *out stays valid while
   * the engine runs. Thread-safe; not to be called from a plugin entry point. */
  sluice_status (*find_layer)(const char* type, const sluice_layer_def** out);
  /* A layer's arguments, `args` (a MAP as the pipeline file gives them, whose key `type`, the
   * layer's type, is skipped), checked against def->args as an op's params are (unknown names,
   * types, ranges, choices, required ones) and returned with the defaults filled in: *out is a
   * new MAP owned by the caller, freed with param_free. An error names the layer type and the
   * argument, with what was expected and found. */
  sluice_status (*layer_args)(const sluice_layer_def* def, const sluice_param* args,
                              sluice_param** out);
  /* Frees a tree made by layer_args (NULL is ignored). */
  void (*param_free)(sluice_param* param);
} sluice_host;

/* ---- Schemas ---------------------------------------------------------------------------- */

typedef struct sluice_port_def {
  size_t struct_size;
  const char* name; /* also the default field it binds to */
  sluice_kind kind;
  sluice_dtype dtype; /* for TENSOR ports; SLUICE_DTYPE_ANY when any */
  int optional;       /* inputs only: the op works without it */
  const char* doc;
} sluice_port_def;

typedef enum sluice_param_type {
  SLUICE_PTYPE_BOOL = 1,
  SLUICE_PTYPE_INT = 2,
  SLUICE_PTYPE_FLOAT = 3, /* an int is accepted */
  SLUICE_PTYPE_STRING = 4,
  SLUICE_PTYPE_LIST = 5,     /* of `element` */
  SLUICE_PTYPE_MAP = 6,      /* string keys to `element` */
  SLUICE_PTYPE_RESOURCE = 7, /* a string naming a pipeline resource of `resource_type` */
  SLUICE_PTYPE_ANY = 8       /* any YAML value; the op checks it */
} sluice_param_type;

typedef struct sluice_param_def {
  size_t struct_size;
  const char* name;
  sluice_param_type type;
  sluice_param_type element; /* LIST and MAP */
  const char* default_value; /* YAML text, e.g. "224", "[0.5, 0.5]"; NULL: required */
  int has_min, has_max;      /* numeric bounds, inclusive; for lists, on every element */
  double min, max;
  const char* const* choices; /* NULL-terminated allowed strings, or NULL */
  const char* resource_type;  /* RESOURCE: e.g. "text.vocabulary" */
  const char* doc;
} sluice_param_def;

enum sluice_op_flags {
  SLUICE_OP_SOURCE = 1u << 0,   /* produces records; has no input */
  SLUICE_OP_SINK = 1u << 1,     /* writes records out; emits what it wrote */
  SLUICE_OP_STATEFUL = 1u << 2, /* one thread at a time, records in stream order */
  SLUICE_OP_DEVICE = 1u << 3,   /* can run on an accelerator */
  SLUICE_OP_REGROUP = 1u << 4   /* emits a number of records unrelated to its input count
                                   (batch, unbatch); exempt from the filtered-count rule */
};

/* Op lifecycle, for one node in one run:
 *   check (at load, optional) -> create -> process* | produce* -> finish -> destroy.
 * `create` may open files and resolve resources; `destroy` is always called after a successful
 * create, also when the run fails. A record passed to `process` is owned by the host: emit it
 * (possibly changed) to pass it on, or return without emitting to filter it out. */
typedef struct sluice_op_def {
  size_t struct_size;
  const char* name; /* "plugin.op", lower snake */
  const char* doc;
  uint32_t flags;
  size_t input_count;
  const sluice_port_def* const* inputs;
  size_t output_count;
  const sluice_port_def* const* outputs;
  size_t param_count;
  const sluice_param_def* const* params;

  /* Optional: op-specific checks of params at load (no side effects). */
  sluice_status (*check)(const sluice_host* host, const sluice_param* params);
  /* Optional: the fields downstream of this node, given those upstream (`fields` holds them on
   * entry and is changed in place). Without it: upstream fields plus the output ports. */
  sluice_status (*infer_fields)(const sluice_host* host, const sluice_param* params,
                                const sluice_node_context* ctx, sluice_field_set* fields);
  sluice_status (*create)(const sluice_host* host, const sluice_param* params,
                          sluice_node_context* ctx, void** instance);
  /* Non-source ops. */
  sluice_status (*process)(void* instance, sluice_node_context* ctx, sluice_record* record,
                           sluice_emitter* out);
  /* Source ops: emit zero or more records per call (a few, to keep memory bounded) and set
   * *done to 1 at the end. Returning SLUICE_BAD_RECORD rejects one bad input record (say where
   * in the message, e.g. "data.csv:12: expected 2 columns, found 3"); under the node's
   * `on_error: skip` the run goes on and produce is called again. */
  sluice_status (*produce)(void* instance, sluice_node_context* ctx, sluice_emitter* out,
                           int* done);
  /* Optional: end of stream; may emit what the op still holds. */
  sluice_status (*finish)(void* instance, sluice_node_context* ctx, sluice_emitter* out);
  void (*destroy)(void* instance);
  /* Optional, sources: records this source will produce, or -1 when unknown (for ETA). */
  int64_t (*size_hint)(void* instance);
} sluice_op_def;

/* A resource: a long-lived named object declared at pipeline level and shared by nodes. */
typedef struct sluice_resource_def {
  size_t struct_size;
  const char* type; /* "plugin.type", e.g. "text.vocabulary" */
  const char* doc;
  size_t param_count;
  const sluice_param_def* const* params;
  sluice_status (*check)(const sluice_host* host, const sluice_param* params); /* optional */
  sluice_status (*create)(const sluice_host* host, const sluice_param* params, void** instance);
  void (*destroy)(void* instance);
} sluice_resource_def;

/* ---- Layers (added in 1.2) -------------------------------------------------------------- */

/* A layer type that a plugin adds to the nn plugin's models: a pipeline file names it in a
 * model's layer list (`layers: [{type: mylayers.swish, features: 8}]`, the other keys being its
 * `args`). A layer is a differentiable function of float32 tensors with trained parameters.
 *
 * The engine owns every tensor: each pass's input and output and their gradients, the
 * parameters' values and gradients (so optimizers, checkpoints and .safetensors files treat them
 * as any layer's, named "<layer index>.<name>" in the model's state_dict), and the buffers a
 * forward pass keeps for its backward pass. An instance holds only what create() made of its
 * args. Tensors are sluice_tensor_info views: dtype float32, contiguous row-major, the first
 * dimension the batch, on the CPU for the CPU entry points.
 *
 * Lifecycle, per layer of a model: create -> parameters -> init_parameters -> buffers ->
 * init_buffers -> any number of output_shape, saved_shapes, forward and backward calls -> destroy.
 * Threading: output_shape, saved_shapes and forward may run on several threads at once on one
 * instance (each pass has its own tensors) and must not change it; backward (which adds into the
 * parameters' gradients) is called by one thread at a time. */

/* A parameter (a trained tensor) of a layer. */
typedef struct sluice_layer_param {
  size_t struct_size;
  const char* name; /* its state_dict name in the layer ("weight"), unique in it; owned by the
                       instance, valid until destroy */
  int32_t ndim;     /* 0 (a scalar) to SLUICE_MAX_DIMS */
  int64_t shape[SLUICE_MAX_DIMS];
  float* value; /* engine-owned values, contiguous; NULL in parameters() */
  float* grad;  /* engine-owned gradient of the same shape; backward adds into it */
} sluice_layer_param;

/* One pass of a layer: what forward and backward see besides their tensors. Owned by the engine,
 * valid for the call. */
typedef struct sluice_layer_pass {
  size_t struct_size;
  int training;  /* 1 in a training pass (dropout-like layers draw), 0 at inference */
  uint64_t seed; /* this layer's seed for this pass, the same for its backward pass: draws made
                    from it do not depend on the thread count */
  size_t param_count;
  const sluice_layer_param* params; /* as parameters() described them, value set, grad set in
                                       backward (in forward it may be NULL: forward only reads
                                       the values) */
  size_t saved_count;
  const sluice_tensor_info* saved; /* the buffers saved_shapes() asked for, zeroed before
                                      forward, which fills them; backward reads them */
  void* stream; /* CUDA entry points: the cudaStream_t to queue the work on; NULL on the CPU */

  /* ---- Added in 1.3 (check struct_size before use) ---- */
  size_t buffer_count;
  /* As buffers() described them, value set (grad NULL): forward reads them; the backward pass of
   * a training pass (training 1) may update them in place, and nothing else does. */
  const sluice_layer_param* buffers;
} sluice_layer_pass;

typedef sluice_status (*sluice_layer_forward_fn)(void* instance, const sluice_layer_pass* pass,
                                                 const sluice_tensor_info* in,
                                                 sluice_tensor_info* out);
typedef sluice_status (*sluice_layer_backward_fn)(void* instance, const sluice_layer_pass* pass,
                                                  const sluice_tensor_info* in,
                                                  const sluice_tensor_info* out,
                                                  const sluice_tensor_info* dout,
                                                  sluice_tensor_info* din);

struct sluice_layer_def {
  size_t struct_size;
  const char* type; /* "plugin.name", lower snake: "mylayers.swish" */
  const char* doc;
  size_t arg_count; /* what a layer list entry may give besides `type` (so none is "type") */
  const sluice_param_def* const* args;

  /* A new instance for `args` (a MAP checked against `args`, defaults filled in). `seed` is this
   * layer's initialisation seed (from the model's seed and the layer's index). */
  sluice_status (*create)(const sluice_host* host, const sluice_param* args, uint64_t seed,
                          void** instance);
  void (*destroy)(void* instance);
  /* The output shape for an input of shape in_shape[0..in_ndim): sets *out_ndim (1 to
   * SLUICE_MAX_DIMS) and out_shape[0..*out_ndim) (room for SLUICE_MAX_DIMS). An error says what
   * the layer expected and what it found ("expected 8 features, found 5"). */
  sluice_status (*output_shape)(void* instance, int32_t in_ndim, const int64_t* in_shape,
                                int32_t* out_ndim, int64_t* out_shape);
  /* Optional (NULL: no parameters; then init_parameters is NULL too): describes the parameters,
   * in their state_dict order: sets *count to their number and fills the name, ndim and shape
   * of the first min(capacity, *count) entries of `params` (struct_size is set by the engine).
   * The engine calls it with capacity 0 first. */
  sluice_status (*parameters)(void* instance, size_t capacity, size_t* count,
                              sluice_layer_param* params);
  /* Writes the parameters' initial values (e.g. drawn from create's seed) into params[i].value,
   * CPU memory the engine zeroed (params[i].grad is NULL); values loaded from a file or a
   * checkpoint replace them later. */
  sluice_status (*init_parameters)(void* instance, size_t count, const sluice_layer_param* params);
  /* Optional (NULL: none): the float32 buffers forward keeps for backward for an input of this
   * shape, as parameters() does: sets *count and the ndim and shape of the first
   * min(capacity, *count) entries of `saved`. */
  sluice_status (*saved_shapes)(void* instance, int32_t in_ndim, const int64_t* in_shape,
                                size_t capacity, size_t* count, sluice_tensor_info* saved);
  /* out = layer(in); `out` is shaped as output_shape() said. */
  sluice_layer_forward_fn forward;
  /* The backward pass of the forward pass that `pass` (the same seed and saved buffers) made:
   * given dout (shaped as out), adds each parameter's gradient into params[i].grad and, when
   * `din` is not NULL, writes the gradient of the input into it (shaped as in). */
  sluice_layer_backward_fn backward;
  /* The layer on a CUDA device, for models placed on one (nn.model `device: cuda`): as forward
   * and backward, with device pointers for every tensor (input, output, their gradients, the
   * parameters' values and gradients, the saved buffers, the layer's buffers: copies the engine
   * makes for the pass and, after a training pass's backward, copies back) and pass->stream the
   * cudaStream_t to queue the work on; they return once it is queued (the engine synchronises the
   * stream).
   * NULL: the layer runs on the CPU only, and a model using it cannot be placed on a device.
   * Set both or neither. */
  sluice_layer_forward_fn forward_cuda;
  sluice_layer_backward_fn backward_cuda;

  /* ---- Added in 1.3 (read only when struct_size covers them) ---- */
  /* Optional (NULL: no buffers; then init_buffers is NULL too): the layer's buffers, float32
   * tensors of its state that the optimizer does not train, PyTorch's module buffers (a running
   * mean): named, in their state_dict order, as parameters() describes parameters (value and grad
   * unused here). The engine owns them: it saves them with the parameters (`<index>.<name>` in
   * .safetensors files and checkpoints) and hands them to forward and backward in the pass. The
   * backward pass of a training pass folds what its forward pass measured (kept in a saved
   * buffer) into them, once per training forward-backward pair; inference passes leave them
   * unchanged, so results do not depend on the thread count. */
  sluice_status (*buffers)(void* instance, size_t capacity, size_t* count,
                           sluice_layer_param* buffers);
  /* Writes the buffers' initial values into buffers[i].value (CPU memory the engine zeroed);
   * values loaded from a file or a checkpoint replace them later. */
  sluice_status (*init_buffers)(void* instance, size_t count, const sluice_layer_param* buffers);
};

typedef struct sluice_plugin {
  size_t struct_size;
  uint32_t abi_major; /* must be SLUICE_ABI_MAJOR of the engine */
  uint32_t abi_minor;
  const char* name; /* prefix of its ops, e.g. "text" */
  const char* version;
  const char* doc;
  size_t op_count;
  const sluice_op_def* const* ops;
  size_t resource_count;
  const sluice_resource_def* const* resources;

  /* ---- Added in 1.2 (read only when struct_size covers them) ---- */
  size_t layer_count;
  const sluice_layer_def* const* layers;
} sluice_plugin;

/* The one exported symbol. Called once, after loading; returns a descriptor that stays valid
 * until the library is unloaded, or NULL when the plugin cannot work with this host. */
typedef const sluice_plugin* (*sluice_plugin_entry_fn)(const sluice_host* host);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLUICE_PLUGIN_H_ */
