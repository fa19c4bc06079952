// The minimum-sample guard (docs/FRAMEWORK.md, "Ranking"): a unit with fewer records than
// min_sample — the province itself with only platform probes, a region with 5 transactions —
// is listed with its values only: no scores, no grade, no rank, marked; and it takes no part
// in the others' comparison. (Before, the province was graded 非常高 from its probes alone,
// and the small region widened the others' min-max range.)
#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

// Framework: index = online_rate (min-max, higher better) and availability (target 0.9 → 1),
// weights 1 each, min_sample 30 transactions (volume).
constexpr const char* kFramework = R"(
[framework]
name = "guard"
version = "1"
shape = "tree"
min_sample = 30
sample_indicator = "volume"
[index]
code = "index"
aggregation = "arithmetic"
[[grade]]
label = "非常高"
label_en = "very high"
min = 90
[[grade]]
label = "低"
label_en = "low"
[[node]]
code = "all"
parent = "index"
[[indicator]]
code = "online_rate"
parent = "all"
rule = "minmax"
[[indicator]]
code = "availability"
parent = "all"
floor = 0.9
target = 1.0
)";

class MinSampleTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
    Write("fw.toml", kFramework);
    Write("regions.csv",
          "code,name,parent_code,macro_region,key_city\n450000,广西,,,\n450100,A,450000,,\n"
          "450200,B,450000,,\n450300,C,450000,,\n");
    // A: 30 transactions, all online. B: 30, 15 online and 15 in the hall. C: 5, all in the
    // hall. The province itself (450000): none, only 4 platform probes, all ok.
    std::string tx = "id,region_code,channel,submitted_at,status\n";
    auto add = [&](const std::string& region, const std::string& channel, int n,
                   const std::string& prefix) {
      for (int i = 0; i < n; ++i) {
        tx += prefix + std::to_string(i) + "," + region + "," + channel +
              ",2024-03-01T09:00:00+08:00,in_progress\n";
      }
    };
    add("450100", "web", 30, "a");
    add("450200", "web", 15, "b");
    add("450200", "hall", 15, "bh");
    add("450300", "hall", 5, "c");
    Write("t.csv", tx);
    std::string probes = "target,region_code,checked_at,ok,latency_ms\n";
    for (int i = 0; i < 4; ++i)
      probes += "portal,450000,2024-03-0" + std::to_string(i + 1) + "T10:00:00+08:00,true,100\n";
    Write("p.csv", probes);
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    ASSERT_EQ(Run("import transactions t.csv").exit_code, 0);
    ASSERT_EQ(Run("import probes p.csv").exit_code, 0);
  }
  std::string Score(const std::string& format) {
    RunResult r =
        Run("score --from 2024-03-01 --to 2024-04-01 --by region --framework fw.toml --format " +
            format);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
};

// Worked out by hand. Compared units: A and B only (C has 5 < 30 transactions, the province
// 0). online_rate min-max over A = 1, B = 0.5: A 100, B 0. No availability in A or B (the
// probes are the province's), so its weight goes to online_rate: index A = 100 (非常高),
// B = 0 (低). Had C been compared, B's online score would be (0.5 − 0)/(1 − 0) = 50.
TEST_F(MinSampleTest, JsonGradesAndRanksOnlyTheUnitsWithEnoughRecords) {
  const std::string out = Score("json");
  EXPECT_NE(
      out.find("{\"unit\":\"450000\",\"name\":\"广西\",\"sample\":0,\"index\":null,\"grade\":null,"
               "\"grade_en\":null,\"rank\":null,\"rank_note\":\"not ranked: n < 30\","
               "\"below_min_sample\":true,"),
      std::string::npos)
      << out;
  // Its values are still there: availability 4/4 = 1, unscored.
  EXPECT_NE(out.find("{\"code\":\"availability\",\"parent\":\"all\",\"value\":1,\"score\":null,"),
            std::string::npos);
  EXPECT_NE(
      out.find(
          "{\"unit\":\"450100\",\"name\":\"A\",\"sample\":30,\"index\":100,\"grade\":\"非常高\","
          "\"grade_en\":\"very high\",\"rank\":1,\"rank_note\":null,"),
      std::string::npos)
      << out;
  EXPECT_NE(
      out.find("{\"unit\":\"450200\",\"name\":\"B\",\"sample\":30,\"index\":0,\"grade\":\"低\","
               "\"grade_en\":\"low\",\"rank\":2,\"rank_note\":null,"),
      std::string::npos)
      << out;
  EXPECT_NE(
      out.find("{\"unit\":\"450300\",\"name\":\"C\",\"sample\":5,\"index\":null,\"grade\":null,"
               "\"grade_en\":null,\"rank\":null,\"rank_note\":\"not ranked: n < 30\","
               "\"below_min_sample\":true,"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("{\"code\":\"online_rate\",\"parent\":\"all\",\"value\":0,\"score\":null,"),
            std::string::npos);
}

TEST_F(MinSampleTest, CsvAndTableMarkTheUnitsBelowTheMinimum) {
  const std::string csv = Score("csv");
  EXPECT_NE(csv.find("450000,index,index,,0,,1,,not ranked: n < 30,below min_sample 30: values "
                     "only (not scored)\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("450000,indicator,availability,all,1,,0.5,,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("450100,index,index,,30,100,1,非常高,1,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("450200,indicator,online_rate,all,0.5,0,0.5,,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("450300,index,index,,5,,1,,not ranked: n < 30,below min_sample 30: values "
                     "only (not scored)\n"),
            std::string::npos)
      << csv;
  const std::string table = Score("table");
  EXPECT_NE(table.find("n<min  450000 广西"), std::string::npos) << table;
  EXPECT_NE(table.find("not ranked: 450000 (n < 30); 450300 (n < 30);"), std::string::npos)
      << table;
  EXPECT_NE(table.find("n<min  450000 广西     0       -       -       -\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find("1      450100 A       30  100.00  非常高  100.00\n"), std::string::npos)
      << table;
}

}  // namespace
}  // namespace govqm::testing
