#include "tools/sluice/pipeline_schema.h"

#include <string>

namespace sluice::cli {
namespace {

namespace json = boost::json;

json::object value_schema(sluice_param_type type, sluice_param_type element) {
  switch (type) {
    case SLUICE_PTYPE_BOOL: return {{"type", "boolean"}};
    case SLUICE_PTYPE_INT: return {{"type", "integer"}};
    case SLUICE_PTYPE_FLOAT: return {{"type", "number"}};
    case SLUICE_PTYPE_STRING:
    case SLUICE_PTYPE_RESOURCE: return {{"type", "string"}};
    case SLUICE_PTYPE_LIST:
      return {{"type", "array"}, {"items", value_schema(element, SLUICE_PTYPE_ANY)}};
    case SLUICE_PTYPE_MAP:
      return {{"type", "object"}, {"additionalProperties", value_schema(element, SLUICE_PTYPE_ANY)}};
    default: return {};
  }
}

// A param's schema; a "${name}" string is always accepted too.
json::object param_schema(const sluice_param_def& p) {
  json::object typed = value_schema(p.type, p.element);
  if (p.has_min) typed["minimum"] = p.min;
  if (p.has_max) typed["maximum"] = p.max;
  if (p.choices) {
    json::array choices;
    for (const char* const* c = p.choices; *c; ++c) choices.push_back(json::string(*c));
    typed["enum"] = std::move(choices);
  }
  json::object out{{"anyOf", json::array{typed, {{"type", "string"}, {"pattern", "\\$\\{"}}}}};
  if (p.doc) out["description"] = p.doc;
  if (p.default_value) out["$comment"] = std::string("default: ") + p.default_value;
  return out;
}

json::object params_schema(const sluice_param_def* const* params, size_t n) {
  json::object properties;
  json::array required;
  for (size_t i = 0; i < n; ++i) {
    properties[params[i]->name] = param_schema(*params[i]);
    if (!params[i]->default_value) required.push_back(json::string(params[i]->name));
  }
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

// {"if": {key: {"const": name}}, "then": then}
json::object when(const char* key, const std::string& name, json::object then) {
  return {{"if", {{"properties", {{key, {{"const", name}}}}}, {"required", json::array{key}}}},
          {"then", std::move(then)}};
}

json::object binding_map() {
  return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
}

}  // namespace

json::object pipeline_json_schema(const Registry& registry) {
  json::array op_names, node_rules, resource_names, resource_rules;
  for (const std::string& name : registry.op_names()) {
    const sluice_op_def& d = *registry.find_op(name)->def;
    op_names.push_back(json::string(name));
    node_rules.push_back(when(
        "op", name, {{"properties", {{"params", params_schema(d.params, d.param_count)}}}}));
  }
  for (const std::string& type : registry.resource_type_names()) {
    const sluice_resource_def& d = *registry.find_resource_type(type)->def;
    resource_names.push_back(json::string(type));
    json::object params = params_schema(d.params, d.param_count);
    params["properties"].as_object()["type"] = {{"const", type}};
    resource_rules.push_back(when("type", type, std::move(params)));
  }
  json::object on_error{{"enum", json::array{"fail", "skip"}}};
  json::object node{
      {"type", "object"},
      {"required", json::array{"id", "op"}},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"op", {{"enum", std::move(op_names)}}},
        {"params", {{"type", "object"}}},
        {"from", {{"type", "string"}, {"description", "Upstream node id"}}},
        {"inputs", binding_map()},
        {"outputs", binding_map()},
        {"on_error", on_error}}},
      {"additionalProperties", false},
      {"allOf", std::move(node_rules)}};
  json::object resource{{"type", "object"},
                        {"required", json::array{"type"}},
                        {"properties", {{"type", {{"enum", std::move(resource_names)}}}}},
                        {"allOf", std::move(resource_rules)}};
  json::object stage{{"type", "object"},
                     {"required", json::array{"name", "nodes"}},
                     {"properties",
                      {{"name", {{"type", "string"}}},
                       {"nodes", {{"type", "array"}, {"items", {{"$ref", "#/$defs/node"}}}}}}},
                     {"additionalProperties", false}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "sluice pipeline file"},
          {"type", "object"},
          {"required", json::array{"sluice", "name", "stages"}},
          {"properties",
           {{"sluice", {{"const", 1}}},
            {"name", {{"type", "string"}}},
            {"seed", {{"type", "integer"}, {"minimum", 0}}},
            {"on_error", on_error},
            {"params", {{"type", "object"}}},
            {"resources",
             {{"type", "object"}, {"additionalProperties", {{"$ref", "#/$defs/resource"}}}}},
            {"stages", {{"type", "array"}, {"items", {{"$ref", "#/$defs/stage"}}}}}}},
          {"additionalProperties", false},
          {"$defs", {{"node", std::move(node)}, {"resource", std::move(resource)},
                     {"stage", std::move(stage)}}}};
}

}  // namespace sluice::cli
