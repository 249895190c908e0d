// Reading a Hugging Face tokenizer.json (text/hf_tokenizer.h): a reader whose errors name the
// file, the key (a dotted path), what was expected and what was found, and the readers of the
// special-token parts of the file. Internal to the text plugin.
#pragma once

#include "text/special_tokens.h"

#include <sluice/status.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <string>

namespace sluice::text::hf {

namespace json = boost::json;

// A value in the file, for errors: "none" when absent, else its JSON (cut at 80 characters).
inline std::string found(const json::value* v) {
  if (v == nullptr) return "none";
  std::string text = json::serialize(*v);
  return text.size() <= 80 ? text : text.substr(0, 80) + "...";
}

// Reads one file; every error names it and the key (a dotted path) it is about.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  Status fail(const std::string& key, const std::string& expected, const json::value* v) const {
    return Status::Invalid(path_ + ": " + key + ": expected " + expected + ", found " + found(v));
  }
  Status fail(const std::string& key, const std::string& message) const {
    return Status::Invalid(path_ + ": " + key + ": " + message);
  }

  // Member `name` of `o`; null when absent.
  static const json::value* find(const json::object& o, const char* name) {
    return o.if_contains(name);
  }
  // Member `name` of `o` as an object; null when absent or JSON null.
  Expected<const json::object*> object(const json::object& o, const char* name,
                                       const std::string& key) const {
    const json::value* v = find(o, name);
    if (v == nullptr || v->is_null()) return static_cast<const json::object*>(nullptr);
    if (!v->is_object()) return fail(key, "an object", v);
    return &v->as_object();
  }
  // The "type" of `o`.
  std::string type(const json::object& o) const {
    const json::value* v = find(o, "type");
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
  }
  Expected<bool> flag(const json::object& o, const char* name, const std::string& key,
                      bool fallback) const {
    const json::value* v = find(o, name);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_bool()) return fail(key + "." + name, "true or false", v);
    return v->as_bool();
  }
  Expected<std::string> string(const json::object& o, const char* name, const std::string& key,
                               const std::string& fallback) const {
    const json::value* v = find(o, name);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_string()) return fail(key + "." + name, "a string", v);
    return std::string(v->as_string());
  }
  Expected<int32_t> id(const json::value& v, const std::string& key) const {
    // A uint64 is one above INT64_MAX.
    if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() >= INT32_MAX) {
      return fail(key, "a token id from 0 to 2147483646", &v);
    }
    const int64_t id = v.as_int64();
    return static_cast<int32_t>(id);
  }
  // A member that must be null, absent or `off` (false, "").
  Status off(const json::object& o, const char* name, const std::string& key) const {
    const json::value* v = find(o, name);
    if (v == nullptr || v->is_null() || (v->is_bool() && !v->as_bool()) ||
        (v->is_string() && v->as_string().empty())) {
      return {};
    }
    return fail(key + "." + name, "null or off (not supported)", v);
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// added_tokens into rules.specials; `normalizer`: the file has one (then normalized must be
// false).
Status read_added_tokens(const Reader& r, const json::object& root, bool normalizer,
                         SpecialTokenRules& rules);

// post_processor (`processor`, null when none, at `key`): what it puts around a sequence, into
// rules.prefix, rules.suffix and rules.added_by_default.
Status read_post_processor(const Reader& r, const json::object* processor, const std::string& key,
                           SpecialTokenRules& rules);

}  // namespace sluice::text::hf
