// load_pipeline_text/file: YAML -> Pipeline, with ${name} substitution and --set overrides.
#include "engine/config/overrides.h"
#include "engine/config/pipeline.h"
#include "engine/config/substitute.h"
#include "engine/config/yaml_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace sluice {
namespace {

using Entries = std::map<std::string, MapEntry>;

std::vector<std::string> top_level_keys() {
  return {"sluice", "name", "seed", "on_error", "params", "resources", "stages"};
}
std::vector<std::string> stage_keys() { return {"name", "nodes"}; }
std::vector<std::string> node_keys() {
  return {"id", "op", "params", "from", "inputs", "outputs", "on_error"};
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool is_name_char(char c) { return is_id_char(c) || c == '.'; }

// Rules for the names a pipeline gives things.
struct NameRule {
  bool (*allowed)(char);
  const char* description;
};
constexpr NameRule kNameRule{is_name_char, "letters, digits, '_', '-' and '.'"};
constexpr NameRule kIdRule{is_id_char, "letters, digits, '_' and '-'"};

class Loader {
 public:
  Loader(Pipeline& p, Diagnostics& diags) : p_(p), diags_(diags), subst_(p.params, diags) {}

  void load(const YAML::Node& root, const Overrides& overrides) {
    SourceLoc root_loc = loc_or(root, {1, 1});
    Entries top = entries(root, "the pipeline");
    report_unknown_keys(top, top_level_keys(), "the pipeline");
    read_version(find(top, "sluice"), root_loc);
    // Params first: every other value may refer to them.
    read_params(find(top, "params"), overrides);
    read_name(find(top, "name"), root_loc);
    read_seed(find(top, "seed"));
    if (const MapEntry* e = find(top, "on_error")) read_on_error(*e, "the pipeline", &p_.on_error);
    read_resources(find(top, "resources"));
    read_stages(find(top, "stages"), root_loc);
    std::vector<std::string> ids;
    for (const auto& [id, loc] : node_ids_) ids.push_back(id);
    report_unapplied(node_overrides_, ids, diags_);
  }

 private:
  static const MapEntry* find(const Entries& entries, const std::string& key) {
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : &it->second;
  }

  Entries entries(const YAML::Node& map, const std::string& where) {
    Entries out;
    for (MapEntry& e : map_entries(map, where, diags_)) {
      std::string key = e.key;
      out.emplace(std::move(key), std::move(e));
    }
    return out;
  }

  void report_unknown_keys(const Entries& entries, const std::vector<std::string>& allowed,
                           const std::string& where) {
    for (const auto& [key, e] : entries) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      diags_.error(e.key_loc, "unknown key '" + key + "' in " + where + did_you_mean(key, allowed) +
                                  "; expected one of: " + join(allowed));
    }
  }

  void missing(const std::string& key, const std::string& where, SourceLoc loc,
               const std::string& expected) {
    diags_.error(loc, where + ": missing key '" + key + "': expected " + expected);
  }

  // The value of `e` after substitution, as a string; reports anything but a scalar.
  std::optional<std::string> text(const MapEntry& e, const std::string& where,
                                  const std::string& expected) {
    YAML::Node v = subst_.value(e.value, e.value_loc);
    if (v.IsScalar()) return v.Scalar();
    diags_.error(e.value_loc,
                 where + ": '" + e.key + "': expected " + expected + ", found " + describe(v));
    return std::nullopt;
  }

  // text() that also follows `rule`.
  std::optional<std::string> name_text(const MapEntry& e, const std::string& where,
                                       const std::string& expected, const NameRule& rule) {
    std::optional<std::string> s = text(e, where, expected);
    if (s && !valid_name(*s, rule, e.value_loc, where + ": '" + e.key + "'")) return std::nullopt;
    return s;
  }

  bool valid_name(const std::string& s, const NameRule& rule, SourceLoc loc,
                  const std::string& what) {
    if (!s.empty() && std::all_of(s.begin(), s.end(), rule.allowed)) return true;
    diags_.error(loc, what + ": expected a name of " + rule.description + ", found '" + s + "'");
    return false;
  }

  // Records `name`, written at `loc`, in `seen`; reports it when it is there already.
  void check_unique(std::map<std::string, SourceLoc>& seen, const std::string& name, SourceLoc loc,
                    const std::string& what) {
    if (auto [first, added] = seen.emplace(name, loc); !added) {
      diags_.error(loc, fmt::format("duplicate {0} '{1}' (first at {2}:{3}); expected {0}s unique "
                                    "in the pipeline",
                                    what, name, first->second.line, first->second.col));
    }
  }

  void read_version(const MapEntry* e, SourceLoc root_loc) {
    if (e == nullptr) {
      missing("sluice", "the pipeline", root_loc, "the format version (sluice: 1)");
      return;
    }
    ParamTree v = param_from_yaml(e->value);  // written as is, never substituted
    if (v.kind == SLUICE_PARAM_INT && v.i == 1) {
      p_.version = 1;
    } else if (v.kind == SLUICE_PARAM_INT) {
      diags_.error(e->value_loc,
                   "unsupported format version: expected 1, found " + std::to_string(v.i));
    } else {
      diags_.error(e->value_loc,
                   "'sluice': expected the format version 1, found " + describe(e->value));
    }
  }

  void read_name(const MapEntry* e, SourceLoc root_loc) {
    if (e == nullptr) {
      missing("name", "the pipeline", root_loc, "the pipeline's name (name: my-pipeline)");
      return;
    }
    if (auto s = name_text(*e, "the pipeline", "a name", kNameRule)) p_.name = *s;
  }

  void read_seed(const MapEntry* e) {
    if (e == nullptr) return;
    std::optional<std::string> s = text(*e, "the pipeline", "an integer >= 0");
    if (!s) return;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), p_.seed);
    if (ec != std::errc() || end != s->data() + s->size() || s->empty()) {
      diags_.error(e->value_loc, "'seed': expected an integer in [0, 2^64), found '" + *s + "'");
    }
  }

  void read_on_error(const MapEntry& e, const std::string& where, OnError* out) {
    std::optional<std::string> s = text(e, where, "fail or skip");
    if (!s) return;
    if (*s == "fail") {
      *out = OnError::kFail;
    } else if (*s == "skip") {
      *out = OnError::kSkip;
    } else {
      diags_.error(e.value_loc, where + ": 'on_error': expected fail or skip, found '" + *s + "'" +
                                    did_you_mean(*s, {"fail", "skip"}));
    }
  }

  // A map value, or nothing for an empty value; reports anything else.
  bool is_map_or_empty(const MapEntry& e, const std::string& where, const std::string& expected) {
    if (e.value.IsMap() || e.value.IsNull()) return true;
    diags_.error(e.value_loc, where + ": '" + e.key + "': expected " + expected + ", found " +
                                  describe(e.value));
    return false;
  }

  void read_params(const MapEntry* e, const Overrides& overrides) {
    std::vector<MapEntry> raw;
    if (e != nullptr && is_map_or_empty(*e, "the pipeline", "a map of param names to values") &&
        e->value.IsMap()) {
      raw = map_entries(e->value, "params", diags_);
    }
    std::vector<std::string> declared;
    for (const MapEntry& r : raw) {
      if (valid_name(r.key, kNameRule, r.key_loc, "param '" + r.key + "'")) {
        declared.push_back(r.key);
      }
    }
    SortedOverrides sorted = sort_overrides(overrides, declared, diags_);
    node_overrides_ = std::move(sorted.nodes);
    std::vector<std::string> origins(raw.size());
    for (const auto& [key, value] : sorted.params) {
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i].key != key) continue;
        raw[i].value.reset(value);
        origins[i] = "--set " + key;
      }
    }
    // Each param sees those before it.
    for (size_t i = 0; i < raw.size(); ++i) {
      YAML::Node value = subst_.value(raw[i].value, raw[i].value_loc, origins[i]);
      p_.params.emplace_back(raw[i].key, value);
    }
  }

  std::vector<std::pair<std::string, ParamDecl>> read_param_decls(const MapEntry& e,
                                                                  const std::string& where) {
    std::vector<std::pair<std::string, ParamDecl>> decls;
    if (!is_map_or_empty(e, where, "a map of param names to values") || !e.value.IsMap()) {
      return decls;
    }
    for (const MapEntry& param : map_entries(e.value, where + " params", diags_)) {
      decls.emplace_back(param.key, ParamDecl{subst_.value(param.value, param.value_loc),
                                              param.value_loc, param.key_loc});
    }
    return decls;
  }

  void read_resources(const MapEntry* e) {
    if (e == nullptr ||
        !is_map_or_empty(*e, "the pipeline", "a map of resource names to their declarations") ||
        !e->value.IsMap()) {
      return;
    }
    for (const MapEntry& r : map_entries(e->value, "resources", diags_)) {
      const std::string where = "resource '" + r.key + "'";
      valid_name(r.key, kIdRule, r.key_loc, where);
      if (!r.value.IsMap()) {
        diags_.error(r.value_loc, where + ": expected a map with a 'type' key and params, found " +
                                      describe(r.value));
        continue;
      }
      ResourceDecl decl;
      decl.name = r.key;
      decl.loc = r.key_loc;
      for (const MapEntry& item : map_entries(r.value, where, diags_)) {
        if (item.key == "type") {
          decl.type_loc = item.value_loc;
          if (auto type = text(item, where, "a resource type name (plugin.type)")) {
            decl.type = *type;
          }
        } else {
          decl.params.emplace_back(item.key, ParamDecl{subst_.value(item.value, item.value_loc),
                                                       item.value_loc, item.key_loc});
        }
      }
      if (decl.type_loc.line == 0) {
        missing("type", where, r.key_loc, "the resource's type (type: plugin.type)");
      }
      p_.resources.push_back(std::move(decl));
    }
  }

  void read_stages(const MapEntry* e, SourceLoc root_loc) {
    if (e == nullptr) {
      missing("stages", "the pipeline", root_loc, "a list of stages");
      return;
    }
    if (!e->value.IsSequence() || e->value.size() == 0) {
      diags_.error(e->value_loc,
                   "'stages': expected a list of at least one stage, found " + describe(e->value));
      return;
    }
    std::map<std::string, SourceLoc> names;
    for (const YAML::Node& stage : e->value) read_stage(stage, e->value_loc, names);
  }

  void read_stage(const YAML::Node& node, SourceLoc list_loc,
                  std::map<std::string, SourceLoc>& names) {
    SourceLoc loc = loc_or(node, list_loc);
    const std::string position = "stage " + std::to_string(p_.stages.size() + 1);
    if (!node.IsMap()) {
      diags_.error(loc, position + ": expected a map with keys " + join(stage_keys()) + ", found " +
                            describe(node));
      return;
    }
    StageDecl stage;
    stage.loc = loc;
    Entries keys = entries(node, position);
    if (const MapEntry* name = find(keys, "name")) {
      if (auto s = name_text(*name, position, "a stage name", kNameRule)) {
        stage.name = *s;
        check_unique(names, *s, name->value_loc, "stage name");
      }
    } else {
      missing("name", position, loc, "the stage's name");
    }
    const std::string where = stage.name.empty() ? position : "stage '" + stage.name + "'";
    report_unknown_keys(keys, stage_keys(), where);
    const MapEntry* nodes = find(keys, "nodes");
    if (nodes == nullptr) {
      missing("nodes", where, loc, "a list of nodes");
    } else if (!nodes->value.IsSequence() || nodes->value.size() == 0) {
      diags_.error(nodes->value_loc, where + ": 'nodes': expected a list of at least one node, " +
                                         "found " + describe(nodes->value));
    } else {
      for (const YAML::Node& n : nodes->value) read_node(n, nodes->value_loc, where, stage);
    }
    p_.stages.push_back(std::move(stage));
  }

  void read_node(const YAML::Node& n, SourceLoc list_loc, const std::string& stage_where,
                 StageDecl& stage) {
    NodeDecl node;
    node.loc = loc_or(n, list_loc);
    node.on_error = p_.on_error;
    const std::string position =
        "node " + std::to_string(stage.nodes.size() + 1) + " of " + stage_where;
    if (!n.IsMap()) {
      diags_.error(node.loc, position + ": expected a map with keys " + join(node_keys()) +
                                 ", found " + describe(n));
      return;
    }
    Entries keys = entries(n, position);
    if (const MapEntry* id = find(keys, "id")) {
      if (auto s = name_text(*id, position, "a node id", kIdRule)) {
        node.id = *s;
        check_unique(node_ids_, *s, id->value_loc, "node id");
      }
    } else {
      missing("id", position, node.loc, "the node's id (id: my-node)");
    }
    const std::string where = node.id.empty() ? position : "node '" + node.id + "'";
    report_unknown_keys(keys, node_keys(), where);
    if (const MapEntry* op = find(keys, "op")) {
      node.op_loc = op->value_loc;
      if (auto s = text(*op, where, "an op name (plugin.op)")) node.op = *s;
    } else {
      missing("op", where, node.loc, "the node's op (op: plugin.op)");
    }
    if (const MapEntry* params = find(keys, "params")) {
      node.params = read_param_decls(*params, where);
    }
    apply_node_overrides(node);
    if (const MapEntry* from = find(keys, "from")) {
      node.from_loc = from->value_loc;
      if (auto s = text(*from, where, "the id of the upstream node")) node.from = *s;
    }
    if (const MapEntry* inputs = find(keys, "inputs")) read_bindings(*inputs, where, "in", node);
    if (const MapEntry* outputs = find(keys, "outputs")) {
      read_bindings(*outputs, where, "out", node);
    }
    if (const MapEntry* on_error = find(keys, "on_error")) {
      read_on_error(*on_error, where, &node.on_error);
    }
    stage.nodes.push_back(std::move(node));
  }

  void apply_node_overrides(NodeDecl& node) {
    for (NodeOverride& o : node_overrides_) {
      if (node.id.empty() || o.node != node.id) continue;
      o.applied = true;
      auto it = std::find_if(node.params.begin(), node.params.end(),
                             [&](const auto& param) { return param.first == o.param; });
      if (it == node.params.end()) {
        node.params.emplace_back(o.param, ParamDecl{YAML::Node(), node.loc, node.loc});
        it = std::prev(node.params.end());
      }
      it->second.value.reset(subst_.value(o.value, it->second.loc, o.origin));
    }
  }

  // `inputs:`/`outputs:`, a map of port -> field; `side` is "in" or "out".
  void read_bindings(const MapEntry& e, const std::string& where, const std::string& side,
                     NodeDecl& node) {
    if (!is_map_or_empty(e, where, "a map of port names to field names") || !e.value.IsMap()) {
      return;
    }
    auto& bindings = side == "in" ? node.input_bindings : node.output_bindings;
    for (const MapEntry& b : map_entries(e.value, where + " " + e.key, diags_)) {
      std::optional<std::string> field = text(b, where + " " + e.key, "a field name");
      if (!field) continue;
      bindings.emplace_back(b.key, *field);
      node.binding_locs[side + "." + b.key] = b.key_loc;
      node.binding_field_locs[side + "." + b.key] = b.value_loc;
    }
  }

  Pipeline& p_;
  Diagnostics& diags_;
  Substituter subst_;
  std::map<std::string, SourceLoc> node_ids_;  // where each id is first declared
  std::vector<NodeOverride> node_overrides_;
};

}  // namespace

std::optional<Pipeline> load_pipeline_text(const std::string& text, const std::string& file_name,
                                           const Overrides& overrides, Diagnostics& diags) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.error(loc_of(e.mark), "invalid YAML: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsMap()) {
    diags.error(loc_or(root, {1, 1}), "expected a pipeline (a map with keys " +
                                          join(top_level_keys()) + "), found " +
                                          (root.IsNull() ? "an empty document" : describe(root)));
    return std::nullopt;
  }
  Pipeline p;
  p.file = file_name;
  Loader(p, diags).load(root, overrides);
  return p;
}

std::optional<Pipeline> load_pipeline_file(const std::string& path, const Overrides& overrides,
                                           Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({}, "cannot read the pipeline file '" + path + "': " + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_pipeline_text(text.str(), path, overrides, diags);
}

}  // namespace sluice
