// sluice C++ SDK: read-only access to a node's or resource's params.
//
// The engine checks params against the schema (types, ranges, choices, required) and fills in
// defaults before an op sees them, so get<T>() on a declared param only fails for a param
// declared optional (default null) and left unset; use get_optional<T>() for those.
// Param is a view into host-owned data, valid for the call it was passed to (copy what you keep).
#ifndef SLUICE_PARAMS_HPP_
#define SLUICE_PARAMS_HPP_

#include <sluice/record.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace sluice {

class Param {
 public:
  explicit Param(const sluice_param* p) : p_(p) {}
  const sluice_param* raw() const { return p_; }
  sluice_param_kind kind() const { return p_ ? host().param_kind(p_) : SLUICE_PARAM_NULL; }
  bool is_null() const { return kind() == SLUICE_PARAM_NULL; }
  size_t size() const { return host().param_size(p_); }
  Param at(size_t i) const { return Param(host().param_at(p_, i)); }
  std::string key_at(size_t i) const { return host().param_key_at(p_, i); }
  // NULL-kind Param when absent.
  Param get(const char* key) const { return Param(p_ ? host().param_get(p_, key) : nullptr); }

  // Converts to bool, integers, float/double, std::string, std::vector<T>, std::map<string,T>.
  template <class T>
  T as() const {
    if constexpr (std::is_same_v<T, bool>) {
      expect(SLUICE_PARAM_BOOL, "bool");
      return host().param_bool(p_) != 0;
    } else if constexpr (std::is_integral_v<T>) {
      expect(SLUICE_PARAM_INT, "int");
      const int64_t v = host().param_int(p_);
      if (!fits<T>(v)) {  // rather than a value wrapped into T
        throw Error(Status::Invalid(
            "expected an int in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
            std::to_string(std::numeric_limits<T>::max()) + "], found " + std::to_string(v)));
      }
      return static_cast<T>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (kind() != SLUICE_PARAM_INT) expect(SLUICE_PARAM_FLOAT, "float");
      return static_cast<T>(host().param_float(p_));
    } else if constexpr (std::is_same_v<T, std::string>) {
      expect(SLUICE_PARAM_STRING, "string");
      return host().param_string(p_);
    } else if constexpr (is_vector<T>::value) {
      expect(SLUICE_PARAM_LIST, "list");
      T out;
      for (size_t i = 0; i < size(); ++i) out.push_back(at(i).template as<typename T::value_type>());
      return out;
    } else {
      static_assert(is_string_map<T>::value, "unsupported param type");
      expect(SLUICE_PARAM_MAP, "map");
      T out;
      for (size_t i = 0; i < size(); ++i) {
        out.emplace(key_at(i), at(i).template as<typename T::mapped_type>());
      }
      return out;
    }
  }

 private:
  // Whether `v` is a value of the integer type T.
  template <class T>
  static bool fits(int64_t v) {
    if constexpr (std::is_signed_v<T>) {
      return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
    } else {
      return v >= 0 && static_cast<uint64_t>(v) <= std::numeric_limits<T>::max();
    }
  }
  template <class T> struct is_vector : std::false_type {};
  template <class T> struct is_vector<std::vector<T>> : std::true_type {};
  template <class T> struct is_string_map : std::false_type {};
  template <class T> struct is_string_map<std::map<std::string, T>> : std::true_type {};

  void expect(sluice_param_kind k, const char* what) const {
    if (kind() != k) throw Error(Status::Invalid(std::string("param: expected ") + what));
  }
  const sluice_param* p_;
};

class Params {
 public:
  explicit Params(const sluice_param* p) : root_(p) {}
  const sluice_param* raw() const { return root_.raw(); }
  bool has(const char* name) const { return !root_.get(name).is_null(); }
  Param raw(const char* name) const { return root_.get(name); }

  // The value of `name`; throws Error (INVALID_ARGUMENT naming the param) when unset or of
  // another type.
  template <class T>
  T get(const char* name) const {
    Param p = root_.get(name);
    if (p.is_null()) throw Error(Status::Invalid(std::string("param '") + name + "' is not set"));
    try {
      return p.as<T>();
    } catch (const Error& e) {
      throw Error(Status::Invalid(std::string("param '") + name + "': " + e.what()));
    }
  }
  template <class T>
  std::optional<T> get_optional(const char* name) const {
    if (!has(name)) return std::nullopt;
    return get<T>(name);
  }

 private:
  Param root_;
};

}  // namespace sluice

#endif  // SLUICE_PARAMS_HPP_
