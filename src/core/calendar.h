// Working-day calendars for the closed loop's deadlines (domain.md §4, targets.md).
// A day is working when it is listed as `work` (调休上班), or it is Monday–Friday and not
// listed as `off`. Days are local-day numbers: days since 1970-01-01 in the store's zone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "core/time_zone.h"

namespace govqm {

class WorkingCalendar {
 public:
  WorkingCalendar() = default;  // Monday–Friday, no holidays.

  // Text format, one entry per line: "YYYY-MM-DD off|work [# comment]"; '#' starts a
  // comment, blank lines are ignored. An error names file and line.
  static Result<WorkingCalendar> Parse(std::string_view text, std::string_view file_name);

  // Adds the other calendar's entries; on the same date the other's entry wins.
  void Merge(const WorkingCalendar& other);

  bool IsWorkingDay(int64_t local_day) const;

  // The end (24:00 local, as a local-day number: that day + 1) of the n-th working day after
  // local_day, which itself does not count. n <= 0 gives the end of local_day itself.
  int64_t DeadlineDay(int64_t local_day, int n) const;

  // Number of dated entries (for diagnostics).
  size_t size() const { return overrides_.size(); }
  // The dated entries in date order, one "DAY:0|1" per entry (local-day number, working?):
  // equal calendars give equal text (federation compares the cities' calendars by it).
  std::string Canonical() const;

 private:
  std::unordered_map<int64_t, bool> overrides_;  // local day -> working?
};

// The local-day number (days since 1970-01-01 on the zone's wall clock) of instant `at` (UTC ms).
int64_t LocalDayOf(const TimeZone& zone, int64_t at);

// "Within n working days" of a step at instant `at` (UTC ms), domain.md §4: the instant of the
// end (24:00 local) of the n-th working day after the step's local date, which does not count.
// A step at 23:59 and one at 00:00 the next day belong to different local dates.
int64_t WorkingDeadline(const WorkingCalendar& calendar, const TimeZone& zone, int64_t at, int n);

}  // namespace govqm
