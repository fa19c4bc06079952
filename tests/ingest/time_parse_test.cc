#include "ingest/time_parse.h"

#include <gtest/gtest.h>

#include "platform/tz.h"

namespace govqm {
namespace {

// Epoch values below are worked out by hand:
//   2024-01-01 = day 19723 (54 years of 365 days + 13 leap days since 1970);
//   2024-03-01 = 19723 + 31 + 29 = 19783  -> 1,709,251,200 s at 00:00Z;
//   2024-03-10 = 19792 -> 1,710,028,800 s;
//   2024-11-03 = 19723 + 305 + 2 = 20030 -> 1,730,592,000 s;
//   2011-03-02 = 14975 + 31 + 28 + 1 = 15035 -> 1,299,024,000 s.
constexpr int64_t kMar1 = 1709251200000;   // 2024-03-01T00:00Z
constexpr int64_t kMar10 = 1710028800000;  // 2024-03-10T00:00Z
constexpr int64_t kNov3 = 1730592000000;   // 2024-11-03T00:00Z
constexpr int64_t kH = 3600000;
constexpr int64_t kM = 60000;

class TimeParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sh = TzZone::Make("Asia/Shanghai");
    ASSERT_TRUE(sh.ok());
    shanghai_ = std::move(sh).value();
    auto ny = TzZone::Make("America/New_York");
    ASSERT_TRUE(ny.ok());
    new_york_ = std::move(ny).value();
  }

  int64_t Iso(std::string_view s, const TimeZone& zone,
              DateOnlyMeans d = DateOnlyMeans::kStartOfDay) {
    int64_t v = kNullTime;
    EXPECT_TRUE(ParseIsoInstant(s, zone, d, &v)) << s;
    return v;
  }
  bool IsoFails(std::string_view s) {
    int64_t v = 123;
    const bool ok = ParseIsoInstant(s, *shanghai_, DateOnlyMeans::kStartOfDay, &v);
    return !ok && v == 123;
  }
  int64_t Fmt(std::string_view s, std::string_view f, const TimeZone& zone,
              DateOnlyMeans d = DateOnlyMeans::kStartOfDay) {
    int64_t v = kNullTime;
    EXPECT_TRUE(ParseFormattedInstant(s, f, zone, d, &v)) << s << " / " << f;
    return v;
  }
  bool FmtFails(std::string_view s, std::string_view f) {
    int64_t v = 123;
    return !ParseFormattedInstant(s, f, *new_york_, DateOnlyMeans::kStartOfDay, &v) && v == 123;
  }

  std::unique_ptr<TzZone> shanghai_;
  std::unique_ptr<TzZone> new_york_;
  FixedOffsetZone utc_{0, "UTC"};
};

TEST_F(TimeParseTest, IsoEveryOffsetForm) {
  EXPECT_EQ(Iso("2024-03-01T10:00:00Z", *shanghai_), kMar1 + 10 * kH);
  EXPECT_EQ(Iso("2024-03-01T10:00:00z", *shanghai_), kMar1 + 10 * kH);
  EXPECT_EQ(Iso("2024-03-01T10:00:00+08:00", *new_york_), kMar1 + 2 * kH);
  EXPECT_EQ(Iso("2024-03-01T10:00:00+0800", *new_york_), kMar1 + 2 * kH);
  EXPECT_EQ(Iso("2024-03-01T10:00:00+08", *new_york_), kMar1 + 2 * kH);
  EXPECT_EQ(Iso("2024-03-01T10:00:00-05:30", *shanghai_), kMar1 + 15 * kH + 30 * kM);
  EXPECT_EQ(Iso("2024-03-01T10:00-0530", *shanghai_), kMar1 + 15 * kH + 30 * kM);
  EXPECT_EQ(Iso("2024-03-01T10:00:00+18:00", *shanghai_), kMar1 - 8 * kH);
  EXPECT_EQ(Iso("2024-03-01 10:00:00 +08:00", utc_), kMar1 + 2 * kH);
}

TEST_F(TimeParseTest, IsoLocalTimeUsesZone) {
  EXPECT_EQ(Iso("2024-03-01T10:00:00", *shanghai_), kMar1 + 2 * kH);
  EXPECT_EQ(Iso("2024-03-01 10:00", *shanghai_), kMar1 + 2 * kH);
  EXPECT_EQ(Iso("2024-03-01 10:00", utc_), kMar1 + 10 * kH);
  EXPECT_EQ(Iso("2024-03-01 10:00", *new_york_), kMar1 + 15 * kH);  // EST
  EXPECT_EQ(Iso("  2024-03-01 10:00:00  ", *shanghai_), kMar1 + 2 * kH);
}

TEST_F(TimeParseTest, IsoFractionsKeepMilliseconds) {
  EXPECT_EQ(Iso("2024-03-01T10:00:00.5Z", utc_), kMar1 + 10 * kH + 500);
  EXPECT_EQ(Iso("2024-03-01T10:00:00.25Z", utc_), kMar1 + 10 * kH + 250);
  EXPECT_EQ(Iso("2024-03-01T10:00:00.123Z", utc_), kMar1 + 10 * kH + 123);
  EXPECT_EQ(Iso("2024-03-01T10:00:00.123999Z", utc_), kMar1 + 10 * kH + 123);
  EXPECT_EQ(Iso("2024-03-01T10:00:00,75", utc_), kMar1 + 10 * kH + 750);
  EXPECT_EQ(Iso("1969-12-31T23:59:59.999Z", utc_), -1);
}

TEST_F(TimeParseTest, IsoDateOnly) {
  // Local midnight in Shanghai is 16:00Z the day before.
  EXPECT_EQ(Iso("2024-03-01", *shanghai_), kMar1 - 8 * kH);
  EXPECT_EQ(Iso("2024-03-01", *shanghai_, DateOnlyMeans::kEndOfDay), kMar1 + 16 * kH);
  EXPECT_EQ(Iso("2024-02-29", utc_, DateOnlyMeans::kEndOfDay), kMar1);
  EXPECT_EQ(Iso("2024-12-31", utc_, DateOnlyMeans::kEndOfDay), 1735689600000);  // 2025-01-01
}

TEST_F(TimeParseTest, IsoNewYorkDaylightSaving) {
  // Spring forward 2024-03-10 02:00 EST -> 03:00 EDT: 02:30 is skipped, moves to 03:30 EDT.
  EXPECT_EQ(Iso("2024-03-10 01:59", *new_york_), kMar10 + 6 * kH + 59 * kM);
  EXPECT_EQ(Iso("2024-03-10 02:30", *new_york_), kMar10 + 7 * kH + 30 * kM);
  EXPECT_EQ(Iso("2024-03-10 03:00", *new_york_), kMar10 + 7 * kH);
  EXPECT_EQ(Iso("2024-03-10 03:30", *new_york_), kMar10 + 7 * kH + 30 * kM);
  // Fall back 2024-11-03 02:00 EDT -> 01:00 EST: 01:30 happens twice, the earlier is EDT.
  EXPECT_EQ(Iso("2024-11-03 00:59", *new_york_), kNov3 + 4 * kH + 59 * kM);
  EXPECT_EQ(Iso("2024-11-03 01:30", *new_york_), kNov3 + 5 * kH + 30 * kM);
  EXPECT_EQ(Iso("2024-11-03 02:00", *new_york_), kNov3 + 7 * kH);
  // Date-only in New York: EDT midnight on 2024-07-01 (day 19723 + 182 = 19905) is 04:00Z.
  EXPECT_EQ(Iso("2024-07-01", *new_york_), 19905 * 86400000LL + 4 * kH);
}

TEST_F(TimeParseTest, IsoRejectsImpossibleValuesAndGarbage) {
  for (const char* s : {"", "   ", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
                        "2024-04-31", "2024-03-00", "2024-03-01T24:00", "2024-03-01T24:00:00",
                        "2024-03-01T10:60", "2024-03-01T10:00:60", "2024-03-01T10:00+19:00",
                        "2024-03-01T10:00+08:60", "2024-03-01T10:00:00Zjunk", "2024-3-1",
                        "2024-03-01T", "2024-03-01T10", "2024-03-01T10:00:00.", "24-03-01",
                        "2024/03/01", "2024-03-01X10:00", "2024-03-01T10:00:00+8",
                        "x2024-03-01", "2024-03-01T10:00:00 +"}) {
    EXPECT_TRUE(IsoFails(s)) << s;
  }
  EXPECT_EQ(Iso("2024-02-29", utc_), kMar1 - 24 * kH);
  EXPECT_EQ(Iso("2000-02-29", utc_), 951782400000);  // day 11016
}

TEST_F(TimeParseTest, FormattedNycExport) {
  const char* f = "%m/%d/%Y %I:%M:%S %p";
  const int64_t mar2_2011 = 1299024000000;  // EST (UTC-5) until 2011-03-13
  EXPECT_EQ(Fmt("03/02/2011 12:05:00 AM", f, *new_york_), mar2_2011 + 5 * kH + 5 * kM);
  EXPECT_EQ(Fmt("03/02/2011 12:05:00 PM", f, *new_york_), mar2_2011 + 17 * kH + 5 * kM);
  EXPECT_EQ(Fmt("03/02/2011 01:30:45 pm", f, *new_york_),
            mar2_2011 + 18 * kH + 30 * kM + 45000);
  EXPECT_EQ(Fmt("3/2/2011 1:30:45 AM", f, *new_york_), mar2_2011 + 6 * kH + 30 * kM + 45000);
  EXPECT_TRUE(FmtFails("13/02/2011 12:05:00 AM", f));
  EXPECT_TRUE(FmtFails("02/30/2011 12:05:00 AM", f));
  EXPECT_TRUE(FmtFails("03/02/2011 13:05:00 PM", f));
  EXPECT_TRUE(FmtFails("03/02/2011 00:05:00 AM", f));
  EXPECT_TRUE(FmtFails("03/02/2011 12:05:00", f));
  EXPECT_TRUE(FmtFails("03/02/2011 12:05:00 AMx", f));
  EXPECT_TRUE(FmtFails("", f));
}

TEST_F(TimeParseTest, FormattedOtherLayouts) {
  EXPECT_EQ(Fmt("2024-03-01 10:00:00", "%Y-%m-%d %H:%M:%S", *shanghai_), kMar1 + 2 * kH);
  EXPECT_EQ(Fmt("2024-03-01 10:00:00.250", "%Y-%m-%d %H:%M:%S", *shanghai_), kMar1 + 2 * kH + 250);
  EXPECT_EQ(Fmt("2024-03-01 10:00:00.250", "%Y-%m-%d %H:%M:%S.%f", *shanghai_),
            kMar1 + 2 * kH + 250);
  EXPECT_EQ(Fmt("01.03.2024", "%d.%m.%Y", *shanghai_), kMar1 - 8 * kH);
  EXPECT_EQ(Fmt("01.03.2024", "%d.%m.%Y", *shanghai_, DateOnlyMeans::kEndOfDay), kMar1 + 16 * kH);
  EXPECT_EQ(Fmt("1 Mar 2024", "%e %b %Y", utc_), kMar1);
  EXPECT_EQ(Fmt("01 march 2024", "%d %B %Y", utc_), kMar1);
  EXPECT_EQ(Fmt("Mar  1 2024", "%b %e %Y", utc_), kMar1);
  EXPECT_EQ(Fmt("240301", "%y%m%d", utc_), kMar1);
  EXPECT_EQ(Fmt("2024-03-01T10:00:00+0800", "%Y-%m-%dT%H:%M:%S%z", *new_york_), kMar1 + 2 * kH);
  EXPECT_EQ(Fmt("2024-03-01T10:00:00Z", "%Y-%m-%dT%H:%M:%S%z", *new_york_), kMar1 + 10 * kH);
  EXPECT_EQ(Fmt("2024-03-01 10:00:00", "%F %T", utc_), kMar1 + 10 * kH);
  EXPECT_EQ(Fmt("100% 2024-03-01", "100%% %F", utc_), kMar1);
  EXPECT_EQ(Fmt("2024-03-10 02:30", "%Y-%m-%d %H:%M", *new_york_), kMar10 + 7 * kH + 30 * kM);
  EXPECT_TRUE(FmtFails("2024-03-01", "%Y-%m-%d %H:%M"));
  EXPECT_TRUE(FmtFails("2024-03-01 25:00", "%Y-%m-%d %H:%M"));
  EXPECT_TRUE(FmtFails("2024-03-01", "%Y-%m-%Q"));
  EXPECT_TRUE(FmtFails("Foo 1 2024", "%b %e %Y"));
}

TEST(CheckTimeFormatTest, ReportsWhy) {
  std::string why;
  EXPECT_TRUE(CheckTimeFormat("%m/%d/%Y %I:%M:%S %p", &why));
  EXPECT_TRUE(CheckTimeFormat("%F %T", &why));
  EXPECT_FALSE(CheckTimeFormat("%Y-%m-%Q", &why));
  EXPECT_EQ(why, "unknown directive %Q");
  EXPECT_FALSE(CheckTimeFormat("%H:%M", &why));
  EXPECT_EQ(why, "no year (%Y or %y)");
  EXPECT_FALSE(CheckTimeFormat("%Y-%m", &why));
  EXPECT_EQ(why, "no day (%d or %e)");
  EXPECT_FALSE(CheckTimeFormat("%Y-%m-%d %", &why));
  EXPECT_EQ(why, "format ends with a lone %");
}

}  // namespace
}  // namespace govqm
