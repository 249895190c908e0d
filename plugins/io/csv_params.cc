#include "io/csv_params.h"

namespace sluice::io {

ParamSpec delimiter_param() {
  return ParamSpec::String("delimiter", "Field separator, one character (\"\\t\" for TSV)")
      .default_value(",");
}

ParamSpec quote_param() {
  return ParamSpec::String("quote",
                           "Quote character of RFC 4180 quoted fields; \"\" turns quoting off "
                           "(plain TSV, where a '\"' is an ordinary character)")
      .default_value("\"");
}

Expected<CsvDialect> dialect_from(const Params& params) {
  const auto delimiter = params.get<std::string>("delimiter");
  const auto quote = params.get<std::string>("quote");
  if (delimiter.size() != 1) {
    return Status::Invalid("param 'delimiter': expected one character, found '" + delimiter +
                           "' (" + std::to_string(delimiter.size()) + " bytes)");
  }
  if (quote.size() > 1) {
    return Status::Invalid("param 'quote': expected one character or \"\", found '" + quote +
                           "'");
  }
  if (quote == delimiter) {
    return Status::Invalid("param 'quote': expected a character other than the delimiter, found '" +
                           quote + "' for both");
  }
  return CsvDialect{delimiter[0], quote.empty() ? std::nullopt : std::optional<char>(quote[0])};
}

}  // namespace sluice::io
