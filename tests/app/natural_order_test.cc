// The order the indicators renderers print in (app/render/natural_order.h): codes naturally
// ("2" before "10", "区2" before "区10"), age bands youngest first, null first, and the
// indicators of --only in the order given. Expected orders written out by hand.
#include "app/render/natural_order.h"

#include <gtest/gtest.h>

#include "app/render/indicators.h"

namespace govqm::render {
namespace {

TEST(NaturalCompare, NumbersByValueTheRestByBytes) {
  EXPECT_LT(NaturalCompare("2", "10"), 0);
  EXPECT_LT(NaturalCompare("区2", "区10"), 0);
  EXPECT_LT(NaturalCompare("R9", "R10"), 0);
  EXPECT_LT(NaturalCompare("a10b2", "a10b10"), 0);
  EXPECT_LT(NaturalCompare("450100", "450102"), 0);
  EXPECT_LT(NaturalCompare("2024-03", "2024-10"), 0);
  EXPECT_LT(NaturalCompare("2024-03-07", "2024-03-10"), 0);
  EXPECT_LT(NaturalCompare("abc", "abd"), 0);
  EXPECT_LT(NaturalCompare("ab", "abc"), 0);
  EXPECT_LT(NaturalCompare("", "0"), 0);        // a null key first
  EXPECT_LT(NaturalCompare("2", "02"), 0);      // the same number: fewer zeros first
  EXPECT_LT(NaturalCompare("02", "3"), 0);
  EXPECT_GT(NaturalCompare("区2", "区"), 0);    // a prefix first
  EXPECT_GT(NaturalCompare("区10", "区2"), 0);
  EXPECT_EQ(NaturalCompare("区10", "区10"), 0);
  EXPECT_EQ(NaturalCompare("", ""), 0);
  // Past a digit run's end the rest still decides.
  EXPECT_LT(NaturalCompare("10a", "10b"), 0);
  EXPECT_GT(NaturalCompare("99999999999999999999", "9"), 0);  // longer than any integer type
}

IndicatorRow Row(std::string key, std::string_view code, double v) {
  return IndicatorRow{{std::move(key)}, code, v, std::nullopt};
}

app::IndicatorsResult ByRegion() {
  app::IndicatorsResult r;
  r.keys = {GroupKey::kRegion};
  // The engine's order: labels as strings.
  r.rows = {Row("", "volume", 1),    Row("区10", "online_rate", 0.5), Row("区10", "volume", 3),
            Row("区2", "online_rate", 1), Row("区2", "volume", 2)};
  return r;
}

TEST(IndicatorRowOrder, GroupsNaturallyThenCatalogOrder) {
  const app::IndicatorsResult r = ByRegion();
  // (none), 区2, 区10; volume before online_rate in the catalog.
  EXPECT_EQ(IndicatorRowOrder(r), (std::vector<size_t>{0, 4, 3, 2, 1}));
  EXPECT_EQ(IndicatorsCsv(r),
            "region,indicator,value\n"
            ",volume,1\n"
            "区2,volume,2\n"
            "区2,online_rate,1\n"
            "区10,volume,3\n"
            "区10,online_rate,0.5\n");
}

TEST(IndicatorRowOrder, OnlyInTheOrderGiven) {
  app::IndicatorsResult r = ByRegion();
  r.only = {"online_rate", "volume"};
  EXPECT_EQ(IndicatorsCsv(r),
            "region,indicator,value\n"
            ",volume,1\n"
            "区2,online_rate,1\n"
            "区2,volume,2\n"
            "区10,online_rate,0.5\n"
            "区10,volume,3\n");
  EXPECT_EQ(IndicatorsJson(r),
            "[\n"
            "{\"region\":null,\"indicator\":\"volume\",\"value\":1},\n"
            "{\"region\":\"区2\",\"indicator\":\"online_rate\",\"value\":1},\n"
            "{\"region\":\"区2\",\"indicator\":\"volume\",\"value\":2},\n"
            "{\"region\":\"区10\",\"indicator\":\"online_rate\",\"value\":0.5},\n"
            "{\"region\":\"区10\",\"indicator\":\"volume\",\"value\":3}\n"
            "]\n");
  // The table's columns follow --only, its rows the groups' natural order.
  EXPECT_EQ(IndicatorColumns(r), (std::vector<std::string_view>{"online_rate", "volume"}));
  const std::string table = IndicatorsTable(r);
  const size_t header = table.find("online_rate");
  ASSERT_NE(header, std::string::npos) << table;
  EXPECT_LT(header, table.find("volume")) << table;
  const size_t none = table.find("(none)"), two = table.find("区2"), ten = table.find("区10");
  EXPECT_LT(none, two) << table;
  EXPECT_LT(two, ten) << table;
  // A code of --only that has no row still gets its column (empty); one the keys do not
  // allow has none (probes have no channel, so no availability by channel).
  r.only = {"positive_rate", "volume"};
  EXPECT_EQ(IndicatorColumns(r), (std::vector<std::string_view>{"positive_rate", "volume"}));
  r.keys = {GroupKey::kChannel};
  r.only = {"availability", "volume"};
  EXPECT_EQ(IndicatorColumns(r), (std::vector<std::string_view>{"volume"}));
}

TEST(IndicatorRowOrder, ThePublicViewInTheSameOrder) {
  app::PublicIndicatorsResult r;
  r.keys = {GroupKey::kRegion};
  r.rows = {{{"区10"}, "volume", 30, false}, {{"区2"}, "volume", std::nullopt, true}};
  EXPECT_EQ(PublicIndicatorsJson(r),
            "[\n"
            "{\"region\":\"区2\",\"indicator\":\"volume\",\"value\":null,\"suppressed\":true},\n"
            "{\"region\":\"区10\",\"indicator\":\"volume\",\"value\":30,\"suppressed\":false}\n"
            "]\n");
}

TEST(IndicatorRowOrder, AgeBandsYoungestFirstAndMonthsInOrder) {
  app::IndicatorsResult r;
  r.keys = {GroupKey::kAgeBand, GroupKey::kMonth};
  r.rows = {Row("30-44", "volume", 1), Row("70+", "volume", 2), Row("<30", "volume", 3),
            Row("", "volume", 4), Row("45-59", "volume", 5)};
  for (IndicatorRow& row : r.rows) row.keys.push_back("2024-03");
  r.rows.push_back(IndicatorRow{{"<30", "2024-02"}, "volume", 6, std::nullopt});
  // (none), <30 (February, then March), 30-44, 45-59, 70+.
  EXPECT_EQ(IndicatorRowOrder(r), (std::vector<size_t>{3, 5, 2, 0, 4, 1}));
}

}  // namespace
}  // namespace govqm::render
