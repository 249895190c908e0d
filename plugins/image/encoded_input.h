// What the ops that decode share: the `bytes`/`path` inputs and `mode`/`max_pixels` params of
// their schemas, and reading the encoded image of a record. Thread-safe (no state).
#pragma once

#include "image/codec.h"

#include <sluice/sdk.hpp>

#include <string>
#include <string_view>

namespace sluice::image {

// Adds the `bytes` and `path` inputs and the `mode` and `max_pixels` params. With `unchanged`
// the mode choices include it.
OpSchema& add_decode_schema(OpSchema& schema, bool unchanged);

ColorMode parse_color_mode(const std::string& mode);

// The encoded image of a record: field `bytes`, else the file at `path`. `name` is set to what
// rejections call the input (the path when the record has one); `storage` holds a file's
// contents and must outlive the returned view. BAD_RECORD naming the input when neither field
// is there or the file cannot be read.
class EncodedInput {
 public:
  void open(Context& ctx);
  Expected<std::string_view> read(const Record& record, std::string& storage,
                                  std::string& name) const;

 private:
  Field bytes_, path_;
};

}  // namespace sluice::image
