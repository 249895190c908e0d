#include "image/encoded_input.h"

#include <fstream>
#include <sstream>

namespace sluice::image {
namespace {

Expected<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRecord("cannot open the file");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return Status::BadRecord("cannot read the file");
  return std::move(s).str();
}

}  // namespace

OpSchema& add_decode_schema(OpSchema& schema, bool unchanged) {
  std::vector<std::string> modes = {"rgb", "bgr", "gray"};
  if (unchanged) modes.push_back("unchanged");
  return schema.optional_input("bytes", SLUICE_KIND_BYTES, "The encoded image")
      .optional_input("path", SLUICE_KIND_STRING,
                      "The image file, read when there is no `bytes`; names the input in "
                      "rejections")
      .param(ParamSpec::String("mode", unchanged
                                           ? "rgb, bgr (3 channels), gray (1) or unchanged (as "
                                             "stored: OpenCV's B G R (A) order, 8 or 16 bits)"
                                           : "rgb, bgr (3 channels) or gray (1)")
                 .choices(modes)
                 .default_value("rgb"))
      .param(ParamSpec::Int("max_pixels", "Largest width * height accepted")
                 .min(1)
                 .default_value(int64_t{1} << 28));
}

ColorMode parse_color_mode(const std::string& m) {
  return m == "bgr"         ? ColorMode::kBgr
         : m == "gray"      ? ColorMode::kGray
         : m == "unchanged" ? ColorMode::kUnchanged
                            : ColorMode::kRgb;
}

void EncodedInput::open(Context& ctx) {
  bytes_ = ctx.port("bytes");
  path_ = ctx.port("path");
}

Expected<std::string_view> EncodedInput::read(const Record& record, std::string& storage,
                                              std::string& name) const {
  name = "the image in field 'bytes'";
  Expected<std::string_view> path = record.get_string(path_);
  if (path.ok()) name = std::string(*path);
  if (record.has(bytes_)) return record.get_bytes(bytes_);
  if (!path.ok()) {
    return Status::BadRecord("the record has neither field '" + std::string(bytes_.name()) +
                             "' nor '" + path_.name() + "'");
  }
  Expected<std::string> data = read_whole_file(name);
  if (!data.ok()) return Status::BadRecord(name + ": " + data.status().message());
  storage = std::move(*data);
  return std::string_view(storage);
}

}  // namespace sluice::image
