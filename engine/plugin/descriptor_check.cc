#include "engine/plugin/descriptor_check.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstring>
#include <set>
#include <string_view>
#include <type_traits>

namespace sluice {
namespace {

constexpr uint32_t kKnownOpFlags =
    SLUICE_OP_SOURCE | SLUICE_OP_SINK | SLUICE_OP_STATEFUL | SLUICE_OP_DEVICE | SLUICE_OP_REGROUP;

// The value stored in an enum member, read as an integer: a plugin may store any value there, and
// loading an out-of-range value as the enum type is undefined.
template <class E>
int64_t stored(const E& e) {
  std::underlying_type_t<E> v;
  std::memcpy(&v, &e, sizeof(v));
  return static_cast<int64_t>(v);
}

std::string hex(uint32_t v) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xf]);
    v >>= 4;
  } while (v);
  return "0x" + out;
}

class Checker {
 public:
  Checker(const sluice_plugin* p, const std::string& file) : p_(p), file_(file) {}

  Status run() {
    if (p_ == nullptr) {
      return fail(
          "sluice_plugin_entry returned NULL: the plugin cannot work with this host "
          "(engine ABI " +
          std::to_string(SLUICE_ABI_MAJOR) + "." + std::to_string(SLUICE_ABI_MINOR) + ")");
    }
    if (p_->abi_major != SLUICE_ABI_MAJOR) {
      return fail("plugin ABI major " + std::to_string(p_->abi_major) + ", engine ABI major " +
                  std::to_string(SLUICE_ABI_MAJOR) + ": rebuild the plugin against this SDK");
    }
    SLUICE_RETURN_IF_ERROR(size_at_least("plugin descriptor", p_->struct_size,
                                         offsetof(sluice_plugin, layer_count), "1.0"));
    if (p_->name == nullptr || !is_lower_snake(p_->name)) {
      return fail("plugin name: expected a lower snake name such as 'text', found " +
                  quoted(p_->name));
    }
    prefix_ = std::string(p_->name) + ".";
    SLUICE_RETURN_IF_ERROR(array("op", p_->op_count, p_->ops));
    std::set<std::string> names;
    for (size_t i = 0; i < p_->op_count; ++i) SLUICE_RETURN_IF_ERROR(op(i, p_->ops[i], names));
    SLUICE_RETURN_IF_ERROR(array("resource type", p_->resource_count, p_->resources));
    names.clear();
    for (size_t i = 0; i < p_->resource_count; ++i) {
      SLUICE_RETURN_IF_ERROR(resource(i, p_->resources[i], names));
    }
    if (!SLUICE_HAS_MEMBER(sluice_plugin, p_, layers)) return Status();  // built for 1.0 or 1.1
    SLUICE_RETURN_IF_ERROR(array("layer type", p_->layer_count, p_->layers));
    names.clear();
    for (size_t i = 0; i < p_->layer_count; ++i) {
      SLUICE_RETURN_IF_ERROR(layer(i, p_->layers[i], names));
    }
    return Status();
  }

 private:
  Status fail(const std::string& what) const { return Status::Invalid(file_ + ": " + what); }

  static std::string quoted(const char* s) {
    return s ? "'" + std::string(s) + "'" : std::string("none");
  }

  // `expected`: the struct's size in ABI `since`, the version that introduced it.
  Status size_at_least(const std::string& what, size_t found, size_t expected,
                       const char* since = "1.0") const {
    if (found >= expected) return Status();
    return fail(what + ": struct_size is " + std::to_string(found) + " bytes, expected at least " +
                std::to_string(expected) + " (its size in ABI " + since + ")");
  }

  template <class T>
  Status array(const std::string& what, size_t count, const T* const* items) const {
    if (count == 0 || items != nullptr) return Status();
    return fail("plugin '" + std::string(p_->name) + "' declares " + std::to_string(count) + " " +
                what + "s, expected an array of them, found NULL");
  }

  // "<plugin>.<lower_snake>", unique within the plugin.
  Status qualified_name(const std::string& what, const char* name,
                        std::set<std::string>& seen) const {
    if (name == nullptr)
      return fail(what + ": expected a name '" + prefix_ + "<name>', found none");
    std::string_view n(name);
    if (n.substr(0, prefix_.size()) != prefix_) {
      return fail(what + " '" + std::string(n) + "': expected a name starting with '" + prefix_ +
                  "' (the plugin's name)");
    }
    if (!is_lower_snake(n.substr(prefix_.size()))) {
      return fail(what + " '" + std::string(n) + "': expected '" + prefix_ +
                  "' followed by a lower snake name, found '" +
                  std::string(n.substr(prefix_.size())) + "'");
    }
    if (!seen.insert(std::string(n)).second) {
      return fail(what + " '" + std::string(n) + "' is declared twice in this plugin");
    }
    return Status();
  }

  Status op(size_t index, const sluice_op_def* d, std::set<std::string>& names) const {
    std::string at = "op #" + std::to_string(index);
    if (d == nullptr) return fail(at + ": expected an op definition, found NULL");
    SLUICE_RETURN_IF_ERROR(size_at_least(at, d->struct_size, sizeof(*d)));
    SLUICE_RETURN_IF_ERROR(qualified_name(at, d->name, names));
    std::string what = "op '" + std::string(d->name) + "'";
    if (d->flags & ~kKnownOpFlags) {
      return fail(what + ": unknown flags " + hex(d->flags & ~kKnownOpFlags) +
                  " (this engine knows " + hex(kKnownOpFlags) + ")");
    }
    bool source = d->flags & SLUICE_OP_SOURCE;
    if (d->create == nullptr || d->destroy == nullptr) {
      return fail(what + ": expected create and destroy callbacks, found " +
                  (d->create    ? "no destroy"
                   : d->destroy ? "no create"
                                : "neither"));
    }
    if (source && d->produce == nullptr) {
      return fail(what + ": a source op needs a produce callback, found none");
    }
    if (!source && d->process == nullptr) {
      return fail(what + ": an op that is not a source needs a process callback, found none");
    }
    if (source && d->input_count != 0) {
      return fail(what + ": a source op has no inputs, found " + std::to_string(d->input_count));
    }
    SLUICE_RETURN_IF_ERROR(ports(what + " input", d->input_count, d->inputs));
    SLUICE_RETURN_IF_ERROR(ports(what + " output", d->output_count, d->outputs));
    return params(what, d->param_count, d->params);
  }

  Status resource(size_t index, const sluice_resource_def* d, std::set<std::string>& types) const {
    std::string at = "resource type #" + std::to_string(index);
    if (d == nullptr) return fail(at + ": expected a resource definition, found NULL");
    SLUICE_RETURN_IF_ERROR(size_at_least(at, d->struct_size, sizeof(*d)));
    SLUICE_RETURN_IF_ERROR(qualified_name(at, d->type, types));
    std::string what = "resource type '" + std::string(d->type) + "'";
    if (d->create == nullptr || d->destroy == nullptr) {
      return fail(what + ": expected create and destroy callbacks, found " +
                  (d->create    ? "no destroy"
                   : d->destroy ? "no create"
                                : "neither"));
    }
    return params(what, d->param_count, d->params);
  }

  Status layer(size_t index, const sluice_layer_def* d, std::set<std::string>& types) const {
    std::string at = "layer type #" + std::to_string(index);
    if (d == nullptr) return fail(at + ": expected a layer definition, found NULL");
    SLUICE_RETURN_IF_ERROR(
        size_at_least(at, d->struct_size, offsetof(sluice_layer_def, buffers), "1.2"));
    SLUICE_RETURN_IF_ERROR(qualified_name(at, d->type, types));
    std::string what = "layer type '" + std::string(d->type) + "'";
    std::string missing;
    for (auto [name, set] : {std::pair{"create", d->create != nullptr},
                             {"destroy", d->destroy != nullptr},
                             {"output_shape", d->output_shape != nullptr},
                             {"forward", d->forward != nullptr},
                             {"backward", d->backward != nullptr}}) {
      if (!set) missing += std::string(missing.empty() ? "" : ", ") + name;
    }
    if (!missing.empty()) {
      return fail(what +
                  ": expected create, destroy, output_shape, forward and backward callbacks, "
                  "found no " +
                  missing);
    }
    SLUICE_RETURN_IF_ERROR(pair(what, "parameters", d->parameters != nullptr, "init_parameters",
                                d->init_parameters != nullptr));
    SLUICE_RETURN_IF_ERROR(pair(what, "forward_cuda", d->forward_cuda != nullptr, "backward_cuda",
                                d->backward_cuda != nullptr));
    if (SLUICE_HAS_MEMBER(sluice_layer_def, d, init_buffers)) {
      SLUICE_RETURN_IF_ERROR(
          pair(what, "buffers", d->buffers != nullptr, "init_buffers", d->init_buffers != nullptr));
    }
    SLUICE_RETURN_IF_ERROR(params(what, d->arg_count, d->args, "arg"));
    for (size_t i = 0; i < d->arg_count; ++i) {
      if (std::string_view(d->args[i]->name) == "type") {
        return fail(what +
                    ": expected args other than 'type' (a layer list entry's 'type' names "
                    "the layer), found one named 'type'");
      }
    }
    return Status();
  }

  // Two callbacks that come together: both set or neither.
  Status pair(const std::string& what, const char* a, bool has_a, const char* b, bool has_b) const {
    if (has_a == has_b) return Status();
    return fail(what + ": expected " + a + " and " + b +
                " callbacks both set or both NULL, found " + "only " + (has_a ? a : b));
  }

  Status ports(const std::string& what, size_t count, const sluice_port_def* const* defs) const {
    if (count != 0 && defs == nullptr) {
      return fail(what + "s: " + std::to_string(count) + " declared, found no array");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < count; ++i) {
      std::string at = what + " #" + std::to_string(i);
      const sluice_port_def* d = defs[i];
      if (d == nullptr) return fail(at + ": expected a port definition, found NULL");
      SLUICE_RETURN_IF_ERROR(size_at_least(at, d->struct_size, sizeof(*d)));
      if (d->name == nullptr || *d->name == '\0') return fail(at + ": expected a name, found none");
      at = what + " '" + d->name + "'";
      if (!seen.insert(d->name).second) return fail(at + " is declared twice");
      if (stored(d->kind) < SLUICE_KIND_ANY || stored(d->kind) > SLUICE_KIND_BOOL) {
        return fail(at + ": expected a kind from 0 (any) to 6 (bool), found " +
                    std::to_string(stored(d->kind)));
      }
      if (stored(d->dtype) < SLUICE_DTYPE_ANY || stored(d->dtype) > SLUICE_DTYPE_FLOAT64) {
        return fail(at + ": expected a dtype from 0 (any) to 11 (float64), found " +
                    std::to_string(stored(d->dtype)));
      }
    }
    return Status();
  }

  static bool valid_type(const sluice_param_type& t) {
    return stored(t) >= SLUICE_PTYPE_BOOL && stored(t) <= SLUICE_PTYPE_ANY;
  }

  // `noun`: what the owner calls them ("param"; a layer type's are its "arg"s).
  Status params(const std::string& owner, size_t count, const sluice_param_def* const* defs,
                const std::string& noun = "param") const {
    if (count != 0 && defs == nullptr) {
      return fail(owner + ": " + std::to_string(count) + " " + noun + "s declared, found no array");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < count; ++i) {
      std::string at = owner + " " + noun + " #" + std::to_string(i);
      const sluice_param_def* d = defs[i];
      if (d == nullptr) return fail(at + ": expected its definition, found NULL");
      SLUICE_RETURN_IF_ERROR(size_at_least(at, d->struct_size, sizeof(*d)));
      if (d->name == nullptr || !is_lower_snake(d->name)) {
        return fail(at + ": expected a lower snake name, found " + quoted(d->name));
      }
      at = owner + " " + noun + " '" + d->name + "'";
      if (!seen.insert(d->name).second) return fail(at + " is declared twice");
      if (!valid_type(d->type)) {
        return fail(at + ": expected a type from 1 (bool) to 8 (any), found " +
                    std::to_string(stored(d->type)));
      }
      bool container = d->type == SLUICE_PTYPE_LIST || d->type == SLUICE_PTYPE_MAP;
      if (container && !valid_type(d->element)) {
        return fail(at + ": expected an element type from 1 (bool) to 8 (any), found " +
                    std::to_string(stored(d->element)));
      }
      bool names_resource =
          d->type == SLUICE_PTYPE_RESOURCE || (container && d->element == SLUICE_PTYPE_RESOURCE);
      if (names_resource && (d->resource_type == nullptr || *d->resource_type == '\0')) {
        return fail(at + ": expected the resource type it names, found none");
      }
      if (d->has_min && d->has_max && d->min > d->max) {
        return fail(
            fmt::format("{}: expected min <= max, found min {} and max {}", at, d->min, d->max));
      }
      if (d->default_value != nullptr) {
        try {
          YAML::Load(d->default_value);
        } catch (const YAML::Exception& e) {
          return fail(at + ": expected a YAML default value, found '" + d->default_value +
                      "': " + e.msg);
        }
      }
    }
    return Status();
  }

  const sluice_plugin* p_;
  const std::string& file_;
  std::string prefix_;
};

}  // namespace

bool is_lower_snake(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Status check_descriptor(const sluice_plugin* plugin, const std::string& file) {
  return Checker(plugin, file).run();
}

}  // namespace sluice
