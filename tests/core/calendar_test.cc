#include "core/calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/time_zone.h"

namespace govqm {
namespace {

int64_t Day(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

WorkingCalendar Load(const std::string& name) {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/config/calendars/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  auto cal = WorkingCalendar::Parse(ss.str(), name);
  EXPECT_TRUE(cal.ok()) << cal.status().message();
  return cal.ok() ? cal.value() : WorkingCalendar();
}

int CountWorkingDays(const WorkingCalendar& cal, int year) {
  int n = 0;
  for (int64_t d = Day(year, 1, 1); d < Day(year + 1, 1, 1); ++d) n += cal.IsWorkingDay(d);
  return n;
}

TEST(WorkingCalendar, DefaultIsMondayToFriday) {
  WorkingCalendar cal;
  const int64_t mon = Day(2024, 3, 4);  // a Monday
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(cal.IsWorkingDay(mon + i));
  EXPECT_FALSE(cal.IsWorkingDay(mon + 5));
  EXPECT_FALSE(cal.IsWorkingDay(mon + 6));
  // Friday 2024-03-08 + 1 working day = Monday 03-11; its end is the start of 03-12.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 3, 8), 1), Day(2024, 3, 12));
  // Sunday review: the next working day is Monday.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 3, 10), 1), Day(2024, 3, 12));
  // n = 0: end of the review's own day.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 3, 10), 0), Day(2024, 3, 11));
}

TEST(WorkingCalendar, ParseFormatAndErrors) {
  auto cal = WorkingCalendar::Parse(
      "# holidays\n\n2024-03-05 off  # a Tuesday off\n2024-03-09 work\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status().message();
  EXPECT_FALSE(cal->IsWorkingDay(Day(2024, 3, 5)));
  EXPECT_TRUE(cal->IsWorkingDay(Day(2024, 3, 9)));   // Saturday made a working day
  EXPECT_TRUE(cal->IsWorkingDay(Day(2024, 3, 6)));
  EXPECT_FALSE(cal->IsWorkingDay(Day(2024, 3, 10)));  // ordinary Sunday

  auto bad_date = WorkingCalendar::Parse("2024-03-05 off\n2024-02-30 off\n", "x.cal");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bad_date.status().message().find("x.cal:2"), std::string::npos)
      << bad_date.status().message();
  auto bad_word = WorkingCalendar::Parse("\n\n2024-03-05 holiday\n", "y.cal");
  ASSERT_FALSE(bad_word.ok());
  EXPECT_NE(bad_word.status().message().find("y.cal:3"), std::string::npos);
  EXPECT_FALSE(WorkingCalendar::Parse("2024-03-05 off extra\n", "z.cal").ok());
  EXPECT_FALSE(WorkingCalendar::Parse("2024-03-05\n", "z.cal").ok());
}

TEST(WorkingCalendar, MergeLetsTheLaterWin) {
  auto a = WorkingCalendar::Parse("2024-03-05 off\n2024-03-06 off\n", "a");
  auto b = WorkingCalendar::Parse("2024-03-06 work\n2024-03-09 work\n", "b");
  ASSERT_TRUE(a.ok() && b.ok());
  WorkingCalendar cal = a.value();
  cal.Merge(b.value());
  EXPECT_FALSE(cal.IsWorkingDay(Day(2024, 3, 5)));
  EXPECT_TRUE(cal.IsWorkingDay(Day(2024, 3, 6)));
  EXPECT_TRUE(cal.IsWorkingDay(Day(2024, 3, 9)));
}

TEST(WorkingCalendar, OfficialCalendarsCountTheirWorkingDays) {
  // targets.md: 2024 has 251 working days, 2025 has 248.
  EXPECT_EQ(CountWorkingDays(Load("cn-2024.cal"), 2024), 251);
  EXPECT_EQ(CountWorkingDays(Load("cn-2025.cal"), 2025), 248);
  WorkingCalendar both = Load("cn-2024.cal");
  both.Merge(Load("cn-2025.cal"));
  EXPECT_EQ(CountWorkingDays(both, 2024), 251);
  EXPECT_EQ(CountWorkingDays(both, 2025), 248);
  // 2025-01-26 (Sunday) is a make-up working day; 2025-01-28 (除夕, Tuesday) is off.
  EXPECT_TRUE(both.IsWorkingDay(Day(2025, 1, 26)));
  EXPECT_FALSE(both.IsWorkingDay(Day(2025, 1, 28)));
}

TEST(WorkingCalendar, DeadlinesAcrossMakeUpWeekendAndNationalDay) {
  const WorkingCalendar cal = Load("cn-2024.cal");
  // Friday 2024-09-27: Sat 09-28 off, Sun 09-29 is 调休 work -> 1st working day is 09-29.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 9, 27), 1), Day(2024, 9, 30));
  // 2nd: Monday 09-30.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 9, 27), 2), Day(2024, 10, 1));
  // Monday 09-30, 1 working day: 10-01..10-07 are off -> Tuesday 10-08.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 9, 30), 1), Day(2024, 10, 9));
  // 15 working days from 09-30: 10-08,09,10,11,12(Sat, work),14,15,16,17,18,21,22,23,24,25.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 9, 30), 15), Day(2024, 10, 26));
  // Without the calendar: 10-01..04,07,08,09,10,11,14,15,16,17,18,21 -> end of 10-21.
  EXPECT_EQ(WorkingCalendar().DeadlineDay(Day(2024, 9, 30), 15), Day(2024, 10, 22));
}

// Spring Festival: 2024-02-10..17 off, Sundays 02-04 and 02-18 are 调休 working days.
TEST(WorkingCalendar, SpringFestival2024) {
  const WorkingCalendar cal = Load("cn-2024.cal");
  // Friday 02-09 (除夕, a working day in 2024): 1st working day after is Sunday 02-18.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 2, 9), 1), Day(2024, 2, 19));
  // Thursday 02-08: 02-09 then 02-18.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 2, 8), 2), Day(2024, 2, 19));
  // Saturday 02-03: Sunday 02-04 is a working day.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 2, 3), 1), Day(2024, 2, 5));
  // 15 from 02-09: 02-18,19,20,21,22,23,26,27,28,29, 03-01,04,05,06,07 -> end of 03-07.
  EXPECT_EQ(cal.DeadlineDay(Day(2024, 2, 9), 15), Day(2024, 3, 8));
}

// 2025: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 are working days.
TEST(WorkingCalendar, SpringFestival2025) {
  const WorkingCalendar cal = Load("cn-2025.cal");
  // Monday 01-27: the next working day is Wednesday 02-05.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 1, 27), 1), Day(2025, 2, 6));
  // Friday 01-24: Sunday 01-26 (work), Monday 01-27, then 02-05.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 1, 24), 1), Day(2025, 1, 27));
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 1, 24), 2), Day(2025, 1, 28));
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 1, 24), 3), Day(2025, 2, 6));
  // Friday 02-07: Saturday 02-08 is a working day.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 2, 7), 1), Day(2025, 2, 9));
  // 5 from 01-27: 02-05, 06, 07, 08 (Sat, work), 10 -> end of 02-10.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 1, 27), 5), Day(2025, 2, 11));
}

// 2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 are working days.
TEST(WorkingCalendar, NationalDay2025) {
  const WorkingCalendar cal = Load("cn-2025.cal");
  // Friday 09-26: Saturday off, Sunday 09-28 works.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 9, 26), 1), Day(2025, 9, 29));
  // Tuesday 09-30: next working day Thursday 10-09.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 9, 30), 1), Day(2025, 10, 10));
  // 15 from 09-30: 10-09,10,11(Sat),13,14,15,16,17,20,21,22,23,24,27,28 -> end of 10-28.
  EXPECT_EQ(cal.DeadlineDay(Day(2025, 9, 30), 15), Day(2025, 10, 29));
}

int64_t At(int y, unsigned m, unsigned d, int h, int min) {
  return Day(y, m, d) * kMsPerDay + h * kMsPerHour + min * kMsPerMinute;
}

TEST(WorkingDeadline, LocalDateDecidesAt2359And0000) {
  const WorkingCalendar cal = Load("cn-2024.cal");
  const FixedOffsetZone shanghai(8 * kMsPerHour, "+08:00");
  // Thursday 2024-02-08 23:59 local = 15:59Z: 1 working day -> end of Friday 02-09 local,
  // 2024-02-10 00:00+08 = 2024-02-09 16:00Z.
  EXPECT_EQ(WorkingDeadline(cal, shanghai, At(2024, 2, 8, 15, 59), 1), At(2024, 2, 9, 16, 0));
  // One minute later it is Friday 02-09 00:00 local: the 1st working day is Sunday 02-18,
  // ending 2024-02-19 00:00+08 = 2024-02-18 16:00Z.
  EXPECT_EQ(WorkingDeadline(cal, shanghai, At(2024, 2, 8, 16, 0), 1), At(2024, 2, 18, 16, 0));
  // The same instant read in UTC is still Thursday 02-08: the end of 02-09 UTC.
  const FixedOffsetZone utc(0, "UTC");
  EXPECT_EQ(WorkingDeadline(cal, utc, At(2024, 2, 8, 16, 0), 1), At(2024, 2, 10, 0, 0));
  EXPECT_EQ(LocalDayOf(shanghai, At(2024, 2, 8, 16, 0)), Day(2024, 2, 9));
  EXPECT_EQ(LocalDayOf(shanghai, At(2024, 2, 8, 15, 59)), Day(2024, 2, 8));
}

TEST(WorkingDeadline, AnotherOffset) {
  const WorkingCalendar cal = Load("cn-2025.cal");
  const FixedOffsetZone minus5(-5 * kMsPerHour, "-05:00");
  const FixedOffsetZone shanghai(8 * kMsPerHour, "+08:00");
  // 2025-01-27 03:00Z is Sunday 01-26 22:00 at -05:00 (a 调休 working day, not counted):
  // 1st working day Monday 01-27, ending 01-28 00:00-05 = 01-28 05:00Z.
  EXPECT_EQ(WorkingDeadline(cal, minus5, At(2025, 1, 27, 3, 0), 1), At(2025, 1, 28, 5, 0));
  // At +08:00 the same instant is Monday 01-27 11:00: next working day 02-05, ending
  // 02-06 00:00+08 = 02-05 16:00Z.
  EXPECT_EQ(WorkingDeadline(cal, shanghai, At(2025, 1, 27, 3, 0), 1), At(2025, 2, 5, 16, 0));
  // With no calendar (Monday–Friday), Sunday 01-26 -05:00 + 1 = Monday 01-27 as well,
  // and Monday 01-27 +08:00 + 1 = Tuesday 01-28, ending 01-29 00:00+08 = 01-28 16:00Z.
  EXPECT_EQ(WorkingDeadline(WorkingCalendar(), minus5, At(2025, 1, 27, 3, 0), 1),
            At(2025, 1, 28, 5, 0));
  EXPECT_EQ(WorkingDeadline(WorkingCalendar(), shanghai, At(2025, 1, 27, 3, 0), 1),
            At(2025, 1, 28, 16, 0));
  // Negative instants floor to the earlier day: 1969-12-31 23:00Z is Wednesday.
  const FixedOffsetZone utc(0, "UTC");
  EXPECT_EQ(LocalDayOf(utc, -kMsPerHour), -1);
}


// An independent reference: the calendar files read line by line here, weekdays from
// std::chrono, and each deadline found by walking day by day. Every start day from December
// 2023 to the end of 2025 (Spring Festivals, National Days, every 调休 weekend, and the
// weekday rule past the files' years) and every usual number of days agree.
TEST(WorkingCalendar, EveryDeadlineOf2024And2025AgreesWithADayByDayWalk) {
  using namespace std::chrono;
  std::map<sys_days, bool> listed;  // date -> working?
  for (const char* name : {"cn-2024.cal", "cn-2025.cal"}) {
    std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/config/calendars/" + name);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const int y = std::stoi(line.substr(0, 4));
      const unsigned m = std::stoul(line.substr(5, 2)), d = std::stoul(line.substr(8, 2));
      const std::string what = line.substr(11, 4);
      ASSERT_TRUE(what == "off " || what == "off" || what == "work") << line;
      listed[sys_days(year(y) / month(m) / day(d))] = what == "work";
    }
  }
  ASSERT_GT(listed.size(), 60u);
  auto working = [&](sys_days d) {
    auto it = listed.find(d);
    if (it != listed.end()) return it->second;
    const weekday w{d};
    return w != Saturday && w != Sunday;
  };
  WorkingCalendar cal = Load("cn-2024.cal");
  cal.Merge(Load("cn-2025.cal"));
  const sys_days first = sys_days(year(2023) / December / 1);
  const sys_days last = sys_days(year(2025) / December / 31);
  int checked = 0;
  for (sys_days start = first; start <= last; start += days(1)) {
    const int64_t start_day = start.time_since_epoch().count();
    EXPECT_EQ(cal.IsWorkingDay(start_day), working(start)) << start_day;
    for (int n : {1, 2, 3, 5, 10, 15, 20, 30}) {
      sys_days d = start;
      for (int k = 0; k < n;) {
        d += days(1);
        if (working(d)) ++k;
      }
      const int64_t want_end = (d + days(1)).time_since_epoch().count();
      ASSERT_EQ(cal.DeadlineDay(start_day, n), want_end)
          << "start " << start_day << " + " << n << " working days";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * (int)((last - first).count() + 1));
}

}  // namespace
}  // namespace govqm
