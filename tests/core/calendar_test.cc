#include "core/calendar.h"

#include <gtest/gtest.h>

#include <fstream>
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

}  // namespace
}  // namespace govqm
