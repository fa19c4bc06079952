// Time representation and the time-zone seam.
//
// An instant is int64 milliseconds since 1970-01-01T00:00:00Z (kNullTime = unknown).
// "Local milliseconds" are the same count for a wall-clock reading, as if the zone were UTC.
// The core never reads the zone database itself: it is handed a TimeZone (the adapter in
// ingest/tz.h wraps the system tzdata; tests use FixedOffsetZone).
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace govqm {

inline constexpr int64_t kNullTime = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMsPerSecond = 1000;
inline constexpr int64_t kMsPerMinute = 60 * kMsPerSecond;
inline constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
inline constexpr int64_t kMsPerDay = 24 * kMsPerHour;

class TimeZone {
 public:
  virtual ~TimeZone() = default;
  // Wall clock -> instant. An ambiguous reading takes the earlier instant; a skipped one
  // (inside a spring-forward gap) moves forward by the gap.
  virtual int64_t LocalToUtc(int64_t local_ms) const = 0;
  // Instant -> wall clock.
  virtual int64_t UtcToLocal(int64_t utc_ms) const = 0;
  virtual std::string Name() const = 0;
};

// A zone with one constant offset (no daylight saving); for tests and for "+08:00"-style zones.
class FixedOffsetZone final : public TimeZone {
 public:
  explicit FixedOffsetZone(int64_t offset_ms, std::string name = "fixed")
      : offset_ms_(offset_ms), name_(std::move(name)) {}
  int64_t LocalToUtc(int64_t local_ms) const override { return local_ms - offset_ms_; }
  int64_t UtcToLocal(int64_t utc_ms) const override { return utc_ms + offset_ms_; }
  std::string Name() const override { return name_; }

 private:
  int64_t offset_ms_;
  std::string name_;
};

// Civil-date arithmetic (proleptic Gregorian), exact for any int64 day count we use.
// Days since 1970-01-01 of y-m-d (m 1..12, d 1..31).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

constexpr CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// Floor division of milliseconds into days (works for negative instants).
constexpr int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 0 = Monday ... 6 = Sunday, for a day count since 1970-01-01 (a Thursday).
constexpr int WeekdayFromDays(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

}  // namespace govqm
