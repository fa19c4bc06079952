// TzZone: the TimeZone seam (core/time_zone.h) over the system tz database (/usr/share/zoneinfo,
// read through Howard Hinnant's date/tz.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time_zone.h"

namespace govqm {

// An IANA zone. The UTC-offset intervals of years 1800-2200 are tabulated once in Make(), so a
// conversion is a guess-checked lookup in an immutable table: cheap per row and thread-safe.
// Instants outside that span are answered by the tz database directly (slower, still correct).
// Past the last transition stored in the tzfile (2037 in Debian's files) the file's POSIX rule
// is applied up to 2200, which date/tz.h 3.0.1 does not do by itself (after 2200: no DST).
class TzZone final : public TimeZone {
 public:
  // The zone named `iana_name` ("Asia/Shanghai", "America/New_York", "UTC").
  // Unknown name -> Status::Invalid("unknown time zone 'X'").
  static Result<std::unique_ptr<TzZone>> Make(std::string_view iana_name);
  ~TzZone() override;

  // Wall clock -> instant: an ambiguous reading takes the earlier instant, one inside a
  // spring-forward gap moves forward by the gap (read with the offset before the gap).
  int64_t LocalToUtc(int64_t local_ms) const override;
  // Instant -> wall clock.
  int64_t UtcToLocal(int64_t utc_ms) const override;
  // The name given to Make().
  std::string Name() const override { return name_; }

 private:
  struct Rules;  // the tz database entry and its POSIX footer, kept out of this header
  struct Interval {
    int64_t utc_begin_ms;    // the offset applies from this instant...
    int64_t local_begin_ms;  // ...and to wall-clock readings from this one (see Make)
    int64_t offset_ms;
  };

  explicit TzZone(std::string name);
  int64_t SlowLocalToUtc(int64_t local_ms) const;
  int64_t SlowUtcToLocal(int64_t utc_ms) const;

  std::string name_;
  std::unique_ptr<const Rules> rules_;
  // Sorted by both begin columns; table_.back() only closes the covered span.
  std::vector<Interval> table_;
  // Index of the last interval hit: a guess checked on every use, so relaxed order is enough.
  mutable std::atomic<uint32_t> utc_hint_{0};
  mutable std::atomic<uint32_t> local_hint_{0};
};

}  // namespace govqm
