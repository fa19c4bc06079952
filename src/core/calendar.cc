#include "core/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/time_zone.h"

namespace govqm {
namespace {

bool ParseDigits(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// "YYYY-MM-DD" -> local day, or false.
bool ParseDate(std::string_view s, int64_t* day) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int64_t y, m, d;
  if (!ParseDigits(s.substr(0, 4), &y) || !ParseDigits(s.substr(5, 2), &m) ||
      !ParseDigits(s.substr(8, 2), &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  // Reject 2024-02-30 and the like: the round trip must give the same date.
  const CivilDate back = CivilFromDays(days);
  if (back.year != y || back.month != m || back.day != d) return false;
  *day = days;
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view NextToken(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && IsSpace((*s)[i])) ++i;
  size_t j = i;
  while (j < s->size() && !IsSpace((*s)[j])) ++j;
  std::string_view tok = s->substr(i, j - i);
  s->remove_prefix(j);
  return tok;
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::Parse(std::string_view text, std::string_view file_name) {
  WorkingCalendar cal;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::string_view date = NextToken(&line);
    if (date.empty()) continue;
    if (line_no == 1 && date.substr(0, 3) == "\xEF\xBB\xBF") date.remove_prefix(3);  // BOM
    std::string_view what = NextToken(&line);
    std::string_view extra = NextToken(&line);
    int64_t day;
    if (!ParseDate(date, &day)) {
      return Status::Invalid(fmt::format("{}:{}: not a date YYYY-MM-DD: '{}'", file_name,
                                         line_no, date));
    }
    if (what != "off" && what != "work") {
      return Status::Invalid(fmt::format("{}:{}: expected 'off' or 'work' after the date, got '{}'",
                                         file_name, line_no, what));
    }
    if (!extra.empty()) {
      return Status::Invalid(fmt::format("{}:{}: unexpected '{}' (comments start with '#')",
                                         file_name, line_no, extra));
    }
    cal.overrides_[day] = (what == "work");
  }
  return cal;
}

void WorkingCalendar::Merge(const WorkingCalendar& other) {
  for (const auto& [day, working] : other.overrides_) overrides_[day] = working;
}

bool WorkingCalendar::IsWorkingDay(int64_t local_day) const {
  if (!overrides_.empty()) {
    auto it = overrides_.find(local_day);
    if (it != overrides_.end()) return it->second;
  }
  return WeekdayFromDays(local_day) < 5;
}

int64_t WorkingCalendar::DeadlineDay(int64_t local_day, int n) const {
  int64_t d = local_day;
  // Terminates: a calendar lists finitely many days, beyond them Monday–Friday work.
  for (int counted = 0; counted < n;) {
    ++d;
    if (IsWorkingDay(d)) ++counted;
  }
  return d + 1;
}

int64_t LocalDayOf(const TimeZone& zone, int64_t at) {
  return FloorDiv(zone.UtcToLocal(at), kMsPerDay);
}

int64_t WorkingDeadline(const WorkingCalendar& calendar, const TimeZone& zone, int64_t at,
                        int n) {
  return zone.LocalToUtc(calendar.DeadlineDay(LocalDayOf(zone, at), n) * kMsPerDay);
}

std::string WorkingCalendar::Canonical() const {
  std::vector<std::pair<int64_t, bool>> entries(overrides_.begin(), overrides_.end());
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& [day, working] : entries) {
    out += std::to_string(day);
    out += working ? ":1\n" : ":0\n";
  }
  return out;
}

}  // namespace govqm
