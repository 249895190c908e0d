// The `delimiter` and `quote` params shared by io.read_csv and io.write_csv.
#pragma once

#include "io/csv.h"

#include <sluice/sdk.hpp>

namespace sluice::io {

ParamSpec delimiter_param();
ParamSpec quote_param();
// The dialect the params give; INVALID_ARGUMENT naming the param when one is not a single
// character (the quote may be empty) or both are the same.
Expected<CsvDialect> dialect_from(const Params& params);

}  // namespace sluice::io
