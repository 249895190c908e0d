#include "engine/plugin/descriptor_check.h"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>

using sluice::check_descriptor;

namespace {

sluice_status noop_create(const sluice_host*, const sluice_param*, sluice_node_context*, void**) {
  return nullptr;
}
sluice_status noop_process(void*, sluice_node_context*, sluice_record*, sluice_emitter*) {
  return nullptr;
}
sluice_status noop_produce(void*, sluice_node_context*, sluice_emitter*, int*) { return nullptr; }
void noop_destroy(void*) {}
sluice_status noop_resource_create(const sluice_host*, const sluice_param*, void**) {
  return nullptr;
}
sluice_status noop_layer_create(const sluice_host*, const sluice_param*, uint64_t, void**) {
  return nullptr;
}
sluice_status noop_output_shape(void*, int32_t, const int64_t*, int32_t*, int64_t*) {
  return nullptr;
}
sluice_status noop_parameters(void*, size_t, size_t*, sluice_layer_param*) { return nullptr; }
sluice_status noop_init(void*, size_t, const sluice_layer_param*) { return nullptr; }
sluice_status noop_forward(void*, const sluice_layer_pass*, const sluice_tensor_info*,
                           sluice_tensor_info*) {
  return nullptr;
}
sluice_status noop_backward(void*, const sluice_layer_pass*, const sluice_tensor_info*,
                            const sluice_tensor_info*, const sluice_tensor_info*,
                            sluice_tensor_info*) {
  return nullptr;
}

// A valid plugin with one op, one resource type and one layer type that each test breaks in one
// place.
struct Descriptor {
  sluice_port_def port{sizeof(sluice_port_def), "text", SLUICE_KIND_STRING,
                       SLUICE_DTYPE_ANY,        0,      "doc"};
  const sluice_port_def* ports[1] = {&port};
  sluice_param_def param{};
  const sluice_param_def* params[1] = {&param};
  sluice_op_def op{};
  const sluice_op_def* ops[1] = {&op};
  sluice_resource_def resource{};
  const sluice_resource_def* resources[1] = {&resource};
  sluice_param_def arg{};
  const sluice_param_def* args[1] = {&arg};
  sluice_layer_def layer{};
  const sluice_layer_def* layers[1] = {&layer};
  sluice_plugin plugin{};

  Descriptor() {
    param.struct_size = sizeof(param);
    param.name = "width";
    param.type = SLUICE_PTYPE_INT;
    param.default_value = "224";
    op.struct_size = sizeof(op);
    op.name = "img.resize";
    op.input_count = 1;
    op.inputs = ports;
    op.output_count = 1;
    op.outputs = ports;
    op.param_count = 1;
    op.params = params;
    op.create = &noop_create;
    op.process = &noop_process;
    op.destroy = &noop_destroy;
    resource.struct_size = sizeof(resource);
    resource.type = "img.palette";
    resource.create = &noop_resource_create;
    resource.destroy = &noop_destroy;
    arg.struct_size = sizeof(arg);
    arg.name = "features";
    arg.type = SLUICE_PTYPE_INT;
    layer.struct_size = sizeof(layer);
    layer.type = "img.swish";
    layer.arg_count = 1;
    layer.args = args;
    layer.create = &noop_layer_create;
    layer.destroy = &noop_destroy;
    layer.output_shape = &noop_output_shape;
    layer.parameters = &noop_parameters;
    layer.init_parameters = &noop_init;
    layer.forward = &noop_forward;
    layer.backward = &noop_backward;
    plugin.struct_size = sizeof(plugin);
    plugin.abi_major = SLUICE_ABI_MAJOR;
    plugin.abi_minor = SLUICE_ABI_MINOR;
    plugin.name = "img";
    plugin.version = "1.0";
    plugin.op_count = 1;
    plugin.ops = ops;
    plugin.resource_count = 1;
    plugin.resources = resources;
    plugin.layer_count = 1;
    plugin.layers = layers;
  }

  std::string check() const { return check_descriptor(&plugin, "lib/img.so").message(); }
};

}  // namespace

TEST_CASE("a complete descriptor passes", "[plugin][descriptor]") {
  Descriptor d;
  CHECK(check_descriptor(&d.plugin, "lib/img.so").ok());
  d.op.flags = SLUICE_OP_SOURCE;
  d.op.input_count = 0;
  d.op.process = nullptr;
  d.op.produce = &noop_produce;
  CHECK(d.check() == "");
}

TEST_CASE("NULL, a foreign ABI major and a short struct are refused", "[plugin][descriptor]") {
  sluice::Status null = check_descriptor(nullptr, "lib/img.so");
  CHECK(null.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(null.message() ==
        "lib/img.so: sluice_plugin_entry returned NULL: the plugin cannot work with this host "
        "(engine ABI 1.3)");
  Descriptor d;
  d.plugin.abi_major = 2;
  CHECK(d.check() ==
        "lib/img.so: plugin ABI major 2, engine ABI major 1: rebuild the plugin against this SDK");
  Descriptor s;
  s.plugin.struct_size = 24;
  CHECK(s.check() == "lib/img.so: plugin descriptor: struct_size is 24 bytes, expected at least " +
                         std::to_string(offsetof(sluice_plugin, layer_count)) +
                         " (its size in ABI 1.0)");
}

TEST_CASE("names must be lower snake and ops prefixed with the plugin", "[plugin][descriptor]") {
  Descriptor no_name;
  no_name.plugin.name = nullptr;
  CHECK(no_name.check() ==
        "lib/img.so: plugin name: expected a lower snake name such as 'text', found none");
  Descriptor upper;
  upper.plugin.name = "Img";
  CHECK(upper.check() ==
        "lib/img.so: plugin name: expected a lower snake name such as 'text', found 'Img'");
  Descriptor foreign;
  foreign.op.name = "image.resize";
  CHECK(foreign.check() ==
        "lib/img.so: op #0 'image.resize': expected a name starting with 'img.' (the plugin's "
        "name)");
  Descriptor camel;
  camel.op.name = "img.reSize";
  CHECK(camel.check() ==
        "lib/img.so: op #0 'img.reSize': expected 'img.' followed by a lower snake name, found "
        "'reSize'");
  Descriptor unnamed;
  unnamed.op.name = nullptr;
  CHECK(unnamed.check() == "lib/img.so: op #0: expected a name 'img.<name>', found none");
  Descriptor twice;
  const sluice_op_def* both[2] = {&twice.op, &twice.op};
  twice.plugin.op_count = 2;
  twice.plugin.ops = both;
  CHECK(twice.check() == "lib/img.so: op #1 'img.resize' is declared twice in this plugin");
  Descriptor resource;
  resource.resource.type = "palette";
  CHECK(resource.check() ==
        "lib/img.so: resource type #0 'palette': expected a name starting with 'img.' (the "
        "plugin's name)");
}

TEST_CASE("missing callbacks are refused", "[plugin][descriptor]") {
  Descriptor no_process;
  no_process.op.process = nullptr;
  CHECK(no_process.check() ==
        "lib/img.so: op 'img.resize': an op that is not a source needs a process callback, found "
        "none");
  Descriptor no_produce;
  no_produce.op.flags = SLUICE_OP_SOURCE;
  no_produce.op.input_count = 0;
  CHECK(no_produce.check() ==
        "lib/img.so: op 'img.resize': a source op needs a produce callback, found none");
  Descriptor no_create;
  no_create.op.create = nullptr;
  CHECK(no_create.check() ==
        "lib/img.so: op 'img.resize': expected create and destroy callbacks, found no create");
  Descriptor no_destroy;
  no_destroy.resource.destroy = nullptr;
  CHECK(no_destroy.check() ==
        "lib/img.so: resource type 'img.palette': expected create and destroy callbacks, found "
        "no destroy");
}

TEST_CASE("flags, ports and source inputs are checked", "[plugin][descriptor]") {
  Descriptor flags;
  flags.op.flags = 1u << 7;
  CHECK(flags.check() ==
        "lib/img.so: op 'img.resize': unknown flags 0x80 (this engine knows 0x1f)");
  Descriptor source;
  source.op.flags = SLUICE_OP_SOURCE;
  source.op.produce = &noop_produce;
  CHECK(source.check() == "lib/img.so: op 'img.resize': a source op has no inputs, found 1");
  Descriptor kind;
  kind.port.kind = static_cast<sluice_kind>(9);
  CHECK(kind.check() ==
        "lib/img.so: op 'img.resize' input 'text': expected a kind from 0 (any) to 6 (bool), "
        "found 9");
  Descriptor no_ports;
  no_ports.op.inputs = nullptr;
  CHECK(no_ports.check() == "lib/img.so: op 'img.resize' inputs: 1 declared, found no array");
  Descriptor null_port;
  null_port.ports[0] = nullptr;
  CHECK(null_port.check() ==
        "lib/img.so: op 'img.resize' input #0: expected a port definition, found NULL");
}

TEST_CASE("param definitions are checked", "[plugin][descriptor]") {
  Descriptor type;
  type.param.type = static_cast<sluice_param_type>(0);
  CHECK(type.check() ==
        "lib/img.so: op 'img.resize' param 'width': expected a type from 1 (bool) to 8 (any), "
        "found 0");
  Descriptor element;
  element.param.type = SLUICE_PTYPE_LIST;
  element.param.element = static_cast<sluice_param_type>(12);
  CHECK(element.check() ==
        "lib/img.so: op 'img.resize' param 'width': expected an element type from 1 (bool) to 8 "
        "(any), found 12");
  Descriptor resource;
  resource.param.type = SLUICE_PTYPE_RESOURCE;
  CHECK(resource.check() ==
        "lib/img.so: op 'img.resize' param 'width': expected the resource type it names, found "
        "none");
  Descriptor range;
  range.param.has_min = range.param.has_max = 1;
  range.param.min = 5;
  range.param.max = 1.5;
  CHECK(range.check() ==
        "lib/img.so: op 'img.resize' param 'width': expected min <= max, found min 5 and max 1.5");
  Descriptor yaml;
  yaml.param.default_value = "[1, 2";
  CHECK(yaml.check().find("lib/img.so: op 'img.resize' param 'width': expected a YAML default "
                          "value, found '[1, 2': ") == 0);
  Descriptor name;
  name.param.name = "Width";
  CHECK(name.check() ==
        "lib/img.so: op 'img.resize' param #0: expected a lower snake name, found 'Width'");
  Descriptor small;
  small.param.struct_size = 8;
  CHECK(small.check() ==
        "lib/img.so: op 'img.resize' param #0: struct_size is 8 bytes, expected "
        "at least " +
            std::to_string(sizeof(sluice_param_def)) + " (its size in ABI 1.0)");
  Descriptor resource_param;
  resource_param.resource.param_count = 1;
  resource_param.resource.params = resource_param.params;
  resource_param.op.param_count = 0;
  resource_param.param.type = static_cast<sluice_param_type>(99);
  CHECK(resource_param.check().find("lib/img.so: resource type 'img.palette' param 'width'") == 0);
}

TEST_CASE("a descriptor built for 1.0 or 1.1 ends before the layers, which are not read",
          "[plugin][descriptor][layer]") {
  Descriptor d;
  d.plugin.struct_size = offsetof(sluice_plugin, layer_count);
  d.plugin.abi_minor = 1;
  d.plugin.layer_count = 5;  // beyond struct_size: garbage the checker must not read
  d.plugin.layers = nullptr;
  CHECK(d.check() == "");
  d.plugin.struct_size = sizeof(sluice_plugin);
  CHECK(d.check() ==
        "lib/img.so: plugin 'img' declares 5 layer types, expected an array of them, found NULL");
}

TEST_CASE("layer types: names, struct size, callbacks and args are checked",
          "[plugin][descriptor][layer]") {
  Descriptor foreign;
  foreign.layer.type = "mylayers.swish";
  CHECK(foreign.check() ==
        "lib/img.so: layer type #0 'mylayers.swish': expected a name starting with 'img.' (the "
        "plugin's name)");
  Descriptor camel;
  camel.layer.type = "img.Swish";
  CHECK(camel.check() ==
        "lib/img.so: layer type #0 'img.Swish': expected 'img.' followed by a lower snake name, "
        "found 'Swish'");
  Descriptor twice;
  const sluice_layer_def* both[2] = {&twice.layer, &twice.layer};
  twice.plugin.layer_count = 2;
  twice.plugin.layers = both;
  CHECK(twice.check() == "lib/img.so: layer type #1 'img.swish' is declared twice in this plugin");
  Descriptor null_layer;
  null_layer.layers[0] = nullptr;
  CHECK(null_layer.check() == "lib/img.so: layer type #0: expected a layer definition, found NULL");
  Descriptor small;
  small.layer.struct_size = offsetof(sluice_layer_def, forward_cuda);
  CHECK(small.check() == "lib/img.so: layer type #0: struct_size is " +
                             std::to_string(offsetof(sluice_layer_def, forward_cuda)) +
                             " bytes, expected at least " +
                             std::to_string(offsetof(sluice_layer_def, buffers)) +
                             " (its size in ABI 1.2)");
  Descriptor abi12;  // a 1.2 layer type, without 1.3's buffers, loads
  abi12.layer.struct_size = offsetof(sluice_layer_def, buffers);
  CHECK(abi12.check() == "");
  Descriptor no_forward;
  no_forward.layer.forward = nullptr;
  no_forward.layer.output_shape = nullptr;
  CHECK(no_forward.check() ==
        "lib/img.so: layer type 'img.swish': expected create, destroy, output_shape, forward "
        "and backward callbacks, found no output_shape, forward");
  Descriptor no_init;
  no_init.layer.init_parameters = nullptr;
  CHECK(no_init.check() ==
        "lib/img.so: layer type 'img.swish': expected parameters and init_parameters callbacks "
        "both set or both NULL, found only parameters");
  Descriptor no_params;
  no_params.layer.parameters = nullptr;
  no_params.layer.init_parameters = nullptr;
  CHECK(no_params.check() == "");
  Descriptor half_cuda;
  half_cuda.layer.backward_cuda = &noop_backward;
  CHECK(half_cuda.check() ==
        "lib/img.so: layer type 'img.swish': expected forward_cuda and backward_cuda callbacks "
        "both set or both NULL, found only backward_cuda");
  Descriptor cuda;
  cuda.layer.forward_cuda = &noop_forward;
  cuda.layer.backward_cuda = &noop_backward;
  CHECK(cuda.check() == "");
  Descriptor half_buffers;
  half_buffers.layer.buffers = &noop_parameters;
  CHECK(half_buffers.check() ==
        "lib/img.so: layer type 'img.swish': expected buffers and init_buffers callbacks both set "
        "or both NULL, found only buffers");
  Descriptor buffers;
  buffers.layer.buffers = &noop_parameters;
  buffers.layer.init_buffers = &noop_init;
  CHECK(buffers.check() == "");
}

TEST_CASE("layer type args are checked as params are, and none is named 'type'",
          "[plugin][descriptor][layer]") {
  Descriptor type;
  type.arg.type = static_cast<sluice_param_type>(0);
  CHECK(type.check() ==
        "lib/img.so: layer type 'img.swish' arg 'features': expected a type from 1 (bool) to 8 "
        "(any), found 0");
  Descriptor no_array;
  no_array.layer.args = nullptr;
  CHECK(no_array.check() == "lib/img.so: layer type 'img.swish': 1 args declared, found no array");
  Descriptor named_type;
  named_type.arg.name = "type";
  CHECK(named_type.check() ==
        "lib/img.so: layer type 'img.swish': expected args other than 'type' (a layer list "
        "entry's 'type' names the layer), found one named 'type'");
  Descriptor null_arg;
  null_arg.args[0] = nullptr;
  CHECK(null_arg.check() ==
        "lib/img.so: layer type 'img.swish' arg #0: expected its definition, found NULL");
}
