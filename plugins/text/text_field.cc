#include "text/text_field.h"

#include "text/unicode.h"

namespace sluice::text {

Expected<std::string_view> utf8_field(const Record& r, Field f) {
  Expected<std::string_view> text = r.get_string(f);
  if (!text.ok()) return text;
  Status utf8 = check_utf8(*text);
  if (!utf8.ok()) return Status::BadRecord(std::string("field '") + f.name() + "': " + utf8.message());
  return text;
}

}  // namespace sluice::text
