#include "json_parse.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <string>

namespace sluice {
namespace {

namespace json = boost::json;
using boost::system::error_code;

// Builds the value as Boost.JSON's own parser does (on a value_stack), taking doubles from the
// text of their numbers.
struct ExactHandler {
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_key_size = json::string::max_size();
  static constexpr size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::string number;  // the parts of the number being read

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(size_t n, error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(size_t n, error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t, error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t v, json::string_view, error_code&) {
    number.clear();
    stack.push_int64(v);
    return true;
  }
  bool on_uint64(uint64_t v, json::string_view, error_code&) {
    number.clear();
    stack.push_uint64(v);
    return true;
  }
  bool on_double(double v, json::string_view s, error_code&) {
    number.append(s.data(), s.size());
    double exact = 0;
    const auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), exact);
    // Out of range (1e400): Boost.JSON's value stands.
    if (err == std::errc() && end == number.data() + number.size()) v = exact;
    number.clear();
    stack.push_double(v);
    return true;
  }
  bool on_bool(bool v, error_code&) {
    stack.push_bool(v);
    return true;
  }
  bool on_null(error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }
};

}  // namespace

json::value parse_json_exactly(std::string_view text, const json::parse_options& options,
                               error_code& ec, size_t& consumed) {
  json::basic_parser<ExactHandler> parser(options);
  parser.handler().stack.reset();
  consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return nullptr;
  if (consumed < text.size()) {  // the parser stops at what follows the value and its white space
    ec = json::error::extra_data;
    return nullptr;
  }
  return parser.handler().stack.release();
}

}  // namespace sluice
