// The column mapping file (TOML) that lets a user's own export load without editing it
// (domain.md §2, "Column mapping"; the syntax in docs/MAPPING.md):
//
//   timezone = "America/New_York"            # times without an offset; "" = the store's zone
//   [columns]   submitted_at = "Created Date"  # canonical column = source column
//               completed_at = ["Closed Date", "Resolution Action Updated Date"]  # first non-blank
//               item_code = { join = ["Agency", "Complaint Type"], separator = ":" }
//   [values.channel]   PHONE = "hotline"       # source value = canonical value ("" = null)
//   [values.region_code] "" = "UNKNOWN"        # a blank cell (or one of spaces) = a value
//   [formats]   submitted_at = "%m/%d/%Y %I:%M:%S %p"
//   [end_of_day] due_at = true                # a midnight time means the end of that day
//   [constants] region_code = "450300"
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/schema.h"
#include "core/status.h"

namespace govqm {

// Where one canonical column's value comes from.
struct ColumnSource {
  // One source column (or JSON key); several: fallbacks in order (the first whose cell is not
  // blank wins), or with `join` the parts joined by `separator`.
  std::vector<std::string> names;
  // The parts' trimmed cells joined by `separator`; a blank part leaves an empty segment
  // ("DOT:" ), all parts blank = a blank value (null, or [values.X] ""). Code and text only.
  bool join = false;
  std::string separator = ":";

  ColumnSource() = default;
  ColumnSource(std::string name) : names{std::move(name)} {}  // NOLINT: a plain source column
  ColumnSource(const char* name) : names{name} {}            // NOLINT
};

struct ColumnMapping {
  // canonical column -> its source
  std::unordered_map<std::string, ColumnSource> columns;
  // canonical column -> (source value -> canonical value; "" = null). A key "" maps a blank
  // source cell (empty or spaces). Written in the file under the canonical name or under the
  // source column [columns] maps to it; stored under the canonical name.
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> values;
  // canonical time column -> strftime format (see ParseFormattedInstant)
  std::unordered_map<std::string, std::string> formats;
  // canonical time columns where an exact local midnight (00:00:00.000) means the end of that
  // day (the next day's 00:00), and so does a date without a time
  std::unordered_set<std::string> end_of_day;
  // canonical column -> constant value for every row
  std::unordered_map<std::string, std::string> constants;
  // IANA zone for times without an offset; "" = the store's zone
  std::string timezone;
};

// Parses and checks a mapping for `kind`. Errors are one line naming the file and line:
// "map.toml:3:7: <TOML syntax error>", "map.toml:5: transactions has no column 'submited_at'",
// unknown keys or sections, values of the wrong type, an empty or repeated source, a join on
// a column that is not code or text, a format or end_of_day on a non-time column, a format
// with an unusable directive, a [values.X] naming neither a column nor a source mapped to one
// (the message lists what is accepted), a column both mapped and constant, an unknown zone.
Result<ColumnMapping> ParseMapping(std::string_view toml_text, std::string_view file_name,
                                   const KindDef& kind);

}  // namespace govqm
