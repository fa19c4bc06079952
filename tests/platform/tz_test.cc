#include "platform/tz.h"

#include <algorithm>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace govqm {
namespace {

constexpr int64_t kH = 3600000;
constexpr int64_t kM = 60000;
constexpr int64_t kDay = 86400000;

std::unique_ptr<TzZone> MakeZone(std::string_view name) {
  auto r = TzZone::Make(name);
  EXPECT_TRUE(r.ok()) << name;
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(TzZoneTest, UnknownName) {
  auto r = TzZone::Make("Mars/Olympus_Mons");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(), "unknown time zone 'Mars/Olympus_Mons'");
  EXPECT_FALSE(TzZone::Make("").ok());
}

TEST(TzZoneTest, Name) {
  EXPECT_EQ(MakeZone("Asia/Shanghai")->Name(), "Asia/Shanghai");
  EXPECT_EQ(MakeZone("UTC")->Name(), "UTC");
}

TEST(TzZoneTest, ShanghaiIsEightHoursAhead) {
  auto z = MakeZone("Asia/Shanghai");
  const int64_t mar1 = 19783 * kDay;  // 2024-03-01
  EXPECT_EQ(z->LocalToUtc(mar1 + 10 * kH), mar1 + 2 * kH);
  EXPECT_EQ(z->UtcToLocal(mar1 + 2 * kH), mar1 + 10 * kH);
  // China kept daylight saving 1986-1991: 1988-07-01 (day 6756) 12:00 was UTC+9.
  const int64_t jul1_1988 = 6756 * kDay;
  EXPECT_EQ(z->LocalToUtc(jul1_1988 + 12 * kH), jul1_1988 + 3 * kH);
  EXPECT_EQ(z->UtcToLocal(jul1_1988 + 3 * kH), jul1_1988 + 12 * kH);
}

TEST(TzZoneTest, NewYorkTransitions) {
  auto z = MakeZone("America/New_York");
  const int64_t mar10 = 19792 * kDay;  // 2024-03-10
  const int64_t nov3 = 20030 * kDay;   // 2024-11-03
  // Gap: 02:00-03:00 local does not exist; a reading in it moves forward by the hour.
  EXPECT_EQ(z->LocalToUtc(mar10 + 2 * kH + 30 * kM), mar10 + 7 * kH + 30 * kM);
  EXPECT_EQ(z->LocalToUtc(mar10 + 2 * kH), mar10 + 7 * kH);
  EXPECT_EQ(z->LocalToUtc(mar10 + 2 * kH - 1), mar10 + 7 * kH - 1);  // 01:59:59.999 EST
  EXPECT_EQ(z->LocalToUtc(mar10 + 3 * kH), mar10 + 7 * kH);
  // Overlap: 01:00-02:00 local happens twice; the earlier (EDT) instant is taken.
  EXPECT_EQ(z->LocalToUtc(nov3 + 1 * kH), nov3 + 5 * kH);
  EXPECT_EQ(z->LocalToUtc(nov3 + 1 * kH + 30 * kM), nov3 + 5 * kH + 30 * kM);
  EXPECT_EQ(z->LocalToUtc(nov3 + 2 * kH - 1), nov3 + 6 * kH - 1);
  EXPECT_EQ(z->LocalToUtc(nov3 + 2 * kH), nov3 + 7 * kH);
  EXPECT_EQ(z->LocalToUtc(nov3 + 1 * kH - 1), nov3 + 5 * kH - 1);
  // Both 05:30Z (EDT) and 06:30Z (EST) read 01:30 on the wall.
  EXPECT_EQ(z->UtcToLocal(nov3 + 5 * kH + 30 * kM), nov3 + 1 * kH + 30 * kM);
  EXPECT_EQ(z->UtcToLocal(nov3 + 6 * kH + 30 * kM), nov3 + 1 * kH + 30 * kM);
  EXPECT_EQ(z->UtcToLocal(mar10 + 7 * kH - 1), mar10 + 2 * kH - 1);
  EXPECT_EQ(z->UtcToLocal(mar10 + 7 * kH), mar10 + 3 * kH);
}

TEST(TzZoneTest, FarFutureAndPast) {
  auto z = MakeZone("America/New_York");
  // 2100-07-01 (day 47663) 12:00 EDT = 16:00Z: past the tzfile's explicit transitions.
  const int64_t jul1_2100 = 47663 * kDay;
  EXPECT_EQ(z->LocalToUtc(jul1_2100 + 12 * kH), jul1_2100 + 16 * kH);
  EXPECT_EQ(z->UtcToLocal(jul1_2100 + 16 * kH), jul1_2100 + 12 * kH);
  // 2400-01-01 (day 157054) is outside the table: EST, from the database directly.
  const int64_t jan1_2400 = 157054 * kDay;
  EXPECT_EQ(z->LocalToUtc(jan1_2400), jan1_2400 + 5 * kH);
  EXPECT_EQ(z->UtcToLocal(jan1_2400 + 5 * kH), jan1_2400);
  // 1700 is before the table and before standard time: local mean time, -4:56:02.
  const int64_t jan1_1700 = -98615 * kDay;
  const int64_t lmt = -(4 * kH + 56 * kM + 2000);
  EXPECT_EQ(z->LocalToUtc(jan1_1700), jan1_1700 - lmt);
  EXPECT_EQ(z->UtcToLocal(jan1_1700 - lmt), jan1_1700);
}

// After 2037 the tzfiles list no transitions; the POSIX rule at their end takes over.
TEST(TzZoneTest, RulesAfter2037) {
  // 2040-03-01 (day 25627) is a Thursday: DST starts Sunday 2040-03-11 (day 25637) at 02:00.
  auto ny = MakeZone("America/New_York");
  const int64_t mar11 = 25637 * kDay;
  EXPECT_EQ(ny->LocalToUtc(mar11 + 1 * kH + 59 * kM), mar11 + 6 * kH + 59 * kM);
  EXPECT_EQ(ny->LocalToUtc(mar11 + 2 * kH + 30 * kM), mar11 + 7 * kH + 30 * kM);
  EXPECT_EQ(ny->UtcToLocal(mar11 + 7 * kH), mar11 + 3 * kH);
  // Sydney (AEST-10AEDT,M10.1.0,M4.1.0/3): DST ends Sunday 2040-04-01 (day 25658) at 03:00
  // AEDT, so 02:30 is ambiguous (earlier = +11); it starts Sunday 2040-10-07 (day 25847) at
  // 02:00 AEST, so 02:30 is skipped (read with +10).
  auto syd = MakeZone("Australia/Sydney");
  const int64_t apr1 = 25658 * kDay;
  const int64_t oct7 = 25847 * kDay;
  EXPECT_EQ(syd->LocalToUtc(apr1 + 1 * kH + 59 * kM), apr1 + 1 * kH + 59 * kM - 11 * kH);
  EXPECT_EQ(syd->LocalToUtc(apr1 + 2 * kH + 30 * kM), apr1 + 2 * kH + 30 * kM - 11 * kH);
  EXPECT_EQ(syd->LocalToUtc(apr1 + 3 * kH), apr1 + 3 * kH - 10 * kH);
  EXPECT_EQ(syd->LocalToUtc(oct7 + 2 * kH + 30 * kM), oct7 + 2 * kH + 30 * kM - 10 * kH);
  EXPECT_EQ(syd->LocalToUtc(oct7 + 3 * kH), oct7 + 3 * kH - 11 * kH);
  EXPECT_EQ(syd->UtcToLocal(oct7 - 8 * kH), oct7 + 3 * kH);  // 16:00Z Oct 6 = 03:00 AEDT
}

// Every quarter hour of 2024, visited in order and shuffled (the lookup hint must not matter):
// UtcToLocal then LocalToUtc returns the instant, except in the repeated hour after fall-back,
// where the earlier instant comes back; LocalToUtc then UtcToLocal returns the reading except in
// the skipped hour, where it moves forward by one hour.
TEST(TzZoneTest, RoundTripsOverAYear) {
  auto z = MakeZone("America/New_York");
  const int64_t jan1 = 19723 * kDay;
  const int64_t nov3 = 20030 * kDay;
  const int64_t mar10 = 19792 * kDay;
  std::vector<int64_t> times;
  for (int64_t t = jan1; t < jan1 + 366 * kDay; t += 15 * kM) times.push_back(t);
  std::vector<int64_t> shuffled = times;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(42));
  for (const auto* order : {&times, &shuffled}) {
    for (int64_t t : *order) {
      const int64_t back = z->LocalToUtc(z->UtcToLocal(t));
      const bool second_pass = t >= nov3 + 6 * kH && t < nov3 + 7 * kH;
      ASSERT_EQ(back, second_pass ? t - kH : t) << t;
      const int64_t local_back = z->UtcToLocal(z->LocalToUtc(t));
      const bool skipped = t >= mar10 + 2 * kH && t < mar10 + 3 * kH;
      ASSERT_EQ(local_back, skipped ? t + kH : t) << t;
    }
  }
}

}  // namespace
}  // namespace govqm
