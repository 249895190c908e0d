// Parses JSON text as boost::json::parse does, except that every number with a fraction or an
// exponent is the double nearest to its text (std::from_chars): Boost.JSON 1.81's own conversion
// can land one unit in the last place away from it (5.555555000555555e+43 read back as
// ...554e+43), so a float written with the shortest text that reads back exactly would not.
// Pure function; thread-safe.
#pragma once

#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace sluice {

// The JSON value of `text` (the whole of it: trailing characters other than white space are an
// error). `ec` is set, and `consumed` says how far the parser got, on an error.
boost::json::value parse_json_exactly(std::string_view text,
                                      const boost::json::parse_options& options,
                                      boost::system::error_code& ec, size_t& consumed);

}  // namespace sluice
