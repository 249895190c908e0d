// JSON files (tokenizer.json, GPT-2's encoder.json) parsed with Boost.JSON, and the lookups their
// loaders make, with errors that name the file and where in it the problem is.
#pragma once

#include <sluice/status.hpp>

#include <boost/json.hpp>

#include <string>

namespace sluice::text {

// The JSON value of the file at `path` (`what` names the kind of file in errors). Malformed JSON
// fails as "PATH:LINE:COLUMN: expected JSON, found <Boost.JSON's message>", the position being
// where parsing stopped.
Expected<boost::json::value> read_json_file(const std::string& path, const char* what);

}  // namespace sluice::text
