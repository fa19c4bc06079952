// The column mapping file (TOML) that lets a user's own export load without editing it
// (domain.md §2, "Column mapping"):
//
//   timezone = "America/New_York"            # times without an offset; "" = the store's zone
//   [columns]   submitted_at = "Created Date"  # canonical column = source column
//   [values.channel]   PHONE = "hotline"       # source value = canonical value ("" = null)
//   [formats]   submitted_at = "%m/%d/%Y %I:%M:%S %p"
//   [constants] region_code = "450300"
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/schema.h"
#include "core/status.h"

namespace govqm {

struct ColumnMapping {
  // canonical column -> source column name
  std::unordered_map<std::string, std::string> columns;
  // canonical column -> (source value -> canonical value; "" = null)
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> values;
  // canonical time column -> strftime format (see ParseFormattedInstant)
  std::unordered_map<std::string, std::string> formats;
  // canonical column -> constant value for every row
  std::unordered_map<std::string, std::string> constants;
  // IANA zone for times without an offset; "" = the store's zone
  std::string timezone;
};

// Parses and checks a mapping for `kind`. Errors are one line naming the file and line:
// "map.toml:3:7: <TOML syntax error>", "map.toml:5: transactions has no column 'submited_at'",
// unknown keys or sections, non-string values, a format on a non-time column or with an
// unusable directive, a column both mapped and constant, an unknown time zone.
Result<ColumnMapping> ParseMapping(std::string_view toml_text, std::string_view file_name,
                                   const KindDef& kind);

}  // namespace govqm
