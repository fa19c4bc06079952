#include "core/calendar.h"

#include "core/time_zone.h"

#include <gtest/gtest.h>

namespace govqm {
namespace {

TEST(WorkingCalendar, DefaultIsMondayToFriday) {
  WorkingCalendar cal;
  // 2024-03-04 is a Monday.
  const int64_t mon = DaysFromCivil(2024, 3, 4);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(cal.IsWorkingDay(mon + i));
  EXPECT_FALSE(cal.IsWorkingDay(mon + 5));
  EXPECT_FALSE(cal.IsWorkingDay(mon + 6));
}

}  // namespace
}  // namespace govqm
