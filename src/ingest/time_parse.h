// Reading instants from text: ISO 8601 as in domain.md §2, and strftime-style formats given by
// a column mapping. Neither allocates; both return false for anything they cannot read exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/schema.h"
#include "core/time_zone.h"

namespace govqm {

// The years an imported time may carry (the import rejects others; the parsers themselves read
// 0000-9999). 1900 is the earliest date real exports use on purpose, as a placeholder for
// "unknown" (Excel's epoch; NYC 311 closes cases on 1900-01-01), and nothing the system
// monitors predates it; 0000/0001 are the zero values of other systems' date types, never
// real. 2999 leaves any real deadline in while refusing 9999-12-31 style "never" sentinels,
// which would turn into durations of millennia.
constexpr int kMinInputYear = 1900;
constexpr int kMaxInputYear = 2999;

// How a date-time of exactly 00:00:00.000 local (as written: in its own offset, or in `zone`)
// is read: as written, or as the end of that day — the next day's midnight, what a date alone
// means with DateOnlyMeans::kEndOfDay (a mapping's [end_of_day], for deadlines exported as
// "2024-03-05 00:00:00" meaning "by the end of March 5").
enum class MidnightMeans : uint8_t { kAsWritten, kEndOfDay };

// YYYY-MM-DD, optionally 'T' or ' ' and hh:mm[:ss[.fraction]], then optionally Z, ±hh:mm,
// ±hhmm or ±hh. Without an offset the reading is local time in `zone`; a date alone is local
// midnight (kEndOfDay: the next day's). Milliseconds kept, finer digits truncated. Leading and
// trailing ASCII spaces are tolerated; impossible values and trailing garbage return false.
// On success *year (when given) is the year as written, for range checks (kMinInputYear), and
// *had_offset (when given) whether the text carried its offset (else `zone` was used).
bool ParseIsoInstant(std::string_view s, const TimeZone& zone, DateOnlyMeans date_only,
                     int64_t* out_utc_ms, int* year = nullptr, bool* had_offset = nullptr,
                     MidnightMeans midnight = MidnightMeans::kAsWritten);

// Reads `s` by a strftime-style format (no locale): %Y %y %m %d %e %b/%h/%B (English month
// names) %H %I %M %S (optionally followed by .fraction) %f %p %z %T %F %%; a space matches any
// run of spaces, other characters match themselves. Numeric fields take 1-2 digits (%Y: 4).
// With %z the zone is not used. A format with no time field reads a date (date_only applies).
bool ParseFormattedInstant(std::string_view s, std::string_view strftime_format,
                           const TimeZone& zone, DateOnlyMeans date_only, int64_t* out_utc_ms,
                           int* year = nullptr, bool* had_offset = nullptr,
                           MidnightMeans midnight = MidnightMeans::kAsWritten);

// Whether ParseFormattedInstant can use `strftime_format`: known directives only, and a year,
// month and day. On false, *error says why ("unknown directive %Q", "no day (%d or %e)").
bool CheckTimeFormat(std::string_view strftime_format, std::string* error);

}  // namespace govqm
