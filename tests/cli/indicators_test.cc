// govqm indicators through the real program: the output contract of architecture.md on a
// small store whose values are worked out by hand.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/engine/catalog.h"

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class IndicatorsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv",
          "code,name,parent_code,macro_region\n"
          "450000,广西,,west\n450100,南宁,450000,\n450102,兴宁区,450100,\n450200,柳州,450000,\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    // Four March transactions (local times). a: web, completed on time, 0 visits.
    // b: hall, completed late (due end of 03-05, completed 03-06), 1 visit, district 450102.
    // c: app, in progress, no visits field. d: hall in 柳州, completed, submitted 2024-03-31
    // 23:30 local = still March; its completion on 04-02 is outside March.
    Write("tx.csv",
          "id,region_code,channel,submitted_at,accepted_at,completed_at,due_at,status,visits\n"
          "a,450100,web,2024-03-01 09:00,2024-03-01 10:00,2024-03-02 10:00,2024-03-05,completed,0\n"
          "b,450102,hall,2024-03-01 09:00,2024-03-01 09:00,2024-03-06 09:00,2024-03-05,completed,1\n"
          "c,450100,app,2024-03-10T01:00:00Z,,,,in_progress,\n"
          "d,450200,hall,2024-03-31 23:30,2024-03-31 23:40,2024-04-02 08:00,2024-04-10,completed,2\n");
    ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
  }
};

TEST_F(IndicatorsTest, LongCsvByCity) {
  RunResult r = Run("indicators --from 2024-03-01 --to 2024-04-01 --by city --only volume,online_rate,one_visit_rate,completed,on_time_rate,avg_handling_days");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 南宁 city = 450100 (a, c) + district 450102 (b): volume 3, online 2/3 (web, app),
  // one_visit_rate over visits not null: a 0, b 1 -> 2/2 = 1. Completed in March: a, b;
  // on time: a (03-02 <= end of 03-05), b late (03-06 > 03-05 24:00) -> 0.5;
  // handling days: a 1.0 (24 h), b 5.0 (120 h) -> mean 3.
  // 柳州 450200: d submitted in March (volume 1, online 0, one_visit 0/1 = 0), completed in
  // April -> completed 0, on_time_rate and avg_handling_days null (empty).
  EXPECT_EQ(r.out,
            "city,indicator,value\n"
            "450100,volume,3\n"
            "450100,online_rate,0.6666666666666666\n"
            "450100,one_visit_rate,1\n"
            "450100,completed,2\n"
            "450100,on_time_rate,0.5\n"
            "450100,avg_handling_days,3\n"
            "450200,volume,1\n"
            "450200,online_rate,0\n"
            "450200,one_visit_rate,0\n"
            "450200,completed,0\n"
            "450200,on_time_rate,\n"
            "450200,avg_handling_days,\n");
}

TEST_F(IndicatorsTest, JsonHasTheSameFieldsAndNulls) {
  RunResult r = Run("indicators --from 2024-03-01 --to 2024-04-01 --by region --only avg_visits --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // avg_visits: 450100 a only (c has no visits) = 0; 450102 b = 1; 450200 d = 2.
  EXPECT_EQ(r.out,
            "[\n"
            "{\"region\":\"450100\",\"indicator\":\"avg_visits\",\"value\":0},\n"
            "{\"region\":\"450102\",\"indicator\":\"avg_visits\",\"value\":1},\n"
            "{\"region\":\"450200\",\"indicator\":\"avg_visits\",\"value\":2}\n"
            "]\n");
}

TEST_F(IndicatorsTest, MonthKeyAndTimeZoneOverride) {
  // In UTC, d (2024-03-31 23:30 +08:00 = 15:30Z) is still March; c (01:00Z on 03-10) too.
  RunResult r = Run("indicators --from 2024-03-01 --to 2024-05-01 --by month --only volume,completed");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // March: 4 submitted, a and b completed; April: d completed, nothing submitted.
  EXPECT_EQ(r.out,
            "month,indicator,value\n"
            "2024-03,volume,4\n"
            "2024-03,completed,2\n"
            "2024-04,volume,0\n"
            "2024-04,completed,1\n");
}

// Every code asked for alone (--only, which loads only the kinds and columns it reads) gives
// exactly the rows the whole catalog gives for it, on a generated province.
TEST_F(IndicatorsTest, EachCodeAloneEqualsTheWholeCatalog) {
  ASSERT_EQ(Run("generate --out gen --scale 4000 --seed 5").exit_code, 0);
  ASSERT_EQ(Run("init --db p.db --tz Asia/Shanghai").exit_code, 0);
  for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                           "rectifications", "probes", "guides", "org"}) {
    ASSERT_EQ(Run(std::string("import ") + kind + " gen/" + kind + ".csv --db p.db").exit_code, 0)
        << kind;
  }
  const std::string period = " --db p.db --from 2024-01-01 --to 2025-01-01 --by city";
  RunResult all = Run("indicators" + period);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::map<std::string, std::string> by_code;  // code -> its lines, in order
  std::istringstream lines(all.out);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    const size_t a = line.find(','), b = line.find(',', a + 1);
    by_code[line.substr(a + 1, b - a - 1)] += line + "\n";
  }
  ASSERT_EQ(by_code.size(), Catalog().size());
  for (const auto& [code, expected] : by_code) {
    RunResult one = Run("indicators" + period + " --only " + code);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(one.out.substr(one.out.find('\n') + 1), expected) << code;
  }
}

TEST_F(IndicatorsTest, UsageAndBadInputExitCodes) {
  EXPECT_EQ(Run("indicators --from 2024-03-01").exit_code, 2);
  EXPECT_EQ(Run("indicators --from 2024-03-01 --to 2024-04-01 --by planet").exit_code, 2);
  EXPECT_EQ(Run("indicators --from 2024-03-01 --to 2024-04-01 --format xml").exit_code, 2);
  EXPECT_EQ(Run("indicators --from 2024-04-01 --to 2024-03-01").exit_code, 2);
  EXPECT_EQ(Run("indicators --from 2024-03-01 --to 2024-04-01 --only volume,nonsense").exit_code, 2);
  EXPECT_EQ(Run("indicators --from 2024-03-01 --to 2024-04-01 --db nowhere.db").exit_code, 1);
}

}  // namespace
}  // namespace govqm::testing
