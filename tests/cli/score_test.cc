// govqm score / weights / explain / disparity through the real program. The golden file
// tests/cli/data/score_small.expected.csv was worked out by hand (not copied from the output):
//
// Framework score_small.toml: cells s1/d1 (on_time_rate, floor .95 → target 1), s1/d2
// (positive_rate .9 → 1, weight 1; top2_rate .5 → 1, weight 3), s2/d2 (online_rate, min-max);
// block org (staff_per_window 1 → 2). Cell weight = stage × dimension weight = 1, 3, 3 → 1/7,
// 3/7, 3/7; the index = matrix 3 : org 1 = 0.75 : 0.25.
//  B: n = 20 < min_sample 30: listed with its values only — no scores, no grade, no rank — and
//     left out of the others' comparison (online_rate's min-max range is A's and C's alone).
//  A: scores 60, 50, 60, (0.5−0.5)/(0.7−0.5) = 0, 50. s1/d2 = (50 + 3·60)/4 = 57.5;
//     matrix = (60 + 3·57.5 + 3·0)/7 = 232.5/7 = 33.214286; index = .75·33.214286 + .25·50 =
//     37.410714 (低); s1 = (60 + 3·57.5)/4 = 58.125, s2 = 0, d1 = 60, d2 = (3·57.5 + 3·0)/6 = 28.75.
//  C: 0, 100, 100, 100, 100 → matrix = 600/7 = 85.714286; index = .75·85.714286 + 25 =
//     89.285714 (高); s1 = 300/4 = 75.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

std::string Source(const std::string& rel) { return std::string(GOVQM_SOURCE_DIR) + "/" + rel; }

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cur;
    for (char c : line) {
      if (c == ',') {
        f.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    f.push_back(cur);
    rows.push_back(f);
  }
  return rows;
}

bool IsNumber(const std::string& s, double* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  *v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

class ScoreTest : public CliTest {};

TEST_F(ScoreTest, GoldenSmallValuesTable) {
  const std::string args = "score --values " + Source("tests/cli/data/score_small.values.csv") +
                           " --framework " + Source("tests/cli/data/score_small.toml") + " --format csv";
  RunResult r = Run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(Source("tests/cli/data/score_small.expected.csv"));
  std::stringstream ss;
  ss << f.rdbuf();
  const auto want = ParseCsv(ss.str()), got = ParseCsv(r.out);
  ASSERT_EQ(got.size(), want.size()) << r.out;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size()) << "line " << i + 1;
    for (size_t j = 0; j < want[i].size(); ++j) {
      double a, b;
      if (IsNumber(want[i][j], &b) && IsNumber(got[i][j], &a)) {
        EXPECT_NEAR(a, b, 1e-6) << "line " << i + 1 << " field " << j + 1;
      } else {
        EXPECT_EQ(got[i][j], want[i][j]) << "line " << i + 1 << " field " << j + 1;
      }
    }
  }
}

TEST_F(ScoreTest, JsonSaysWhatIsMissingAndIgnored) {
  RunResult r = Run("score --values " + Source("tests/cli/data/score_small.values.csv") + " --framework " +
                    Source("tests/cli/data/score_small.toml") + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"indicators not in the framework, ignored: unknown_thing\""), std::string::npos);
  // B is below the minimum sample: values only, marked.
  EXPECT_NE(r.out.find("{\"unit\":\"B\",\"name\":null,\"sample\":20,\"index\":null,\"grade\":null,"
                       "\"grade_en\":null,\"rank\":null,\"rank_note\":\"not ranked: n < 30\","
                       "\"below_min_sample\":true,"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"code\":\"online_rate\",\"parent\":\"s2/d2\",\"value\":0.3,\"score\":null,"),
            std::string::npos);
  EXPECT_EQ(r.out.find("\"below_min_sample\":true", r.out.find("\"unit\":\"C\"")), std::string::npos);
}

TEST_F(ScoreTest, UncertaintyIsSeeded) {
  const std::string args = "score --values " + Source("tests/cli/data/score_small.values.csv") + " --framework " +
                           Source("tests/cli/data/score_small.toml") + " --format csv --uncertainty 200 --seed 5";
  RunResult a = Run(args), b = Run(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  // C leads A by 52 points: no ±25% weight change reverses that.
  EXPECT_NE(a.out.find("C,index,index,,50,"), std::string::npos);
  EXPECT_NE(a.out.find("rank median 1 (5-95%: 1-1)"), std::string::npos) << a.out;
}

TEST_F(ScoreTest, Errors) {
  const std::string fw = " --framework " + Source("tests/cli/data/score_small.toml");
  EXPECT_EQ(Run("score --values v.csv --by city" + fw).exit_code, 2);
  EXPECT_EQ(Run("score --values v.csv --format xml" + fw).exit_code, 2);
  EXPECT_EQ(Run("score --values v.csv --seed 3" + fw).exit_code, 2);
  RunResult r = Run("score --values v.csv" + fw);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm score: v.csv: no such file\n");
  Write("v.csv", "unit,indicator,value\nA,on_time_rate,high\n");
  r = Run("score --values v.csv" + fw);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm score: v.csv:2: value 'high' is not a number\n");
  Write("v.csv", "unit,indicator,value\nA,on_time_rate,1\nA,on_time_rate,0.9\n");
  EXPECT_EQ(Run("score --values v.csv" + fw).err,
            "govqm score: v.csv:3: unit 'A' indicator 'on_time_rate' repeats line 2\n");
  Write("bad.toml", "[framework]\nshape = \"tree\"\n[[indicator]]\ncode = \"x\"\nparent = \"index\"\nweight = -2\n");
  r = Run("score --values v.csv --framework bad.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm score: bad.toml:6: [[indicator]].weight must be >= 0\n");
}

TEST_F(ScoreTest, WeightsPrintsAhpConsistency) {
  // Saaty's classic 3×3 example: weights 0.637, 0.258, 0.105; λmax 3.039, CI 0.019, CR 0.033.
  RunResult r = Run("weights --ahp \"1,3,5;1/3,1,3;1/5,1/3,1\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "w1  0.636986\nw2  0.258285\nw3  0.104729\n"
            "  lambda_max = 3.038511  CI = 0.019256  RI = 0.58  CR = 0.0332 (consistent: CR < 0.10)\n");
  r = Run("weights --ahp \"1,9,9;1/9,1,9;1/9,1/9,1\"");
  EXPECT_EQ(r.exit_code, 1);
  r = Run("weights --framework " + Source("config/framework.toml") + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ahp\":{\"n\":4,\"lambda_max\":4"), std::string::npos) << r.out.substr(0, 600);
}

TEST_F(ScoreTest, ExplainOverValues) {
  RunResult r = Run("explain --unit B --cell s1/d2 --values " + Source("tests/cli/data/score_small.values.csv") +
                    " --framework " + Source("tests/cli/data/score_small.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cell s1/d2"), std::string::npos) << r.out;
  // B is below the minimum sample: its values, no scores.
  EXPECT_NE(r.out.find("unit B: index -, grade -, not ranked: n < 30"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("value 0.99 → score -"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no value for this unit: left out, its weight shared within s1/d2"), std::string::npos);
  r = Run("explain --unit A --cell s1/d2 --values " + Source("tests/cli/data/score_small.values.csv") +
          " --framework " + Source("tests/cli/data/score_small.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("value 0.95 → score 50.00"), std::string::npos) << r.out;  // (.95 − .9)/(1 − .9)
  EXPECT_NE(r.out.find("value 0.8 → score 60.00"), std::string::npos) << r.out;   // (.8 − .5)/(1 − .5)
  EXPECT_EQ(Run("explain --unit Z --values " + Source("tests/cli/data/score_small.values.csv") + " --framework " +
                Source("tests/cli/data/score_small.toml"))
                .err,
            "govqm explain: no unit 'Z' in the scored data\n");
}

TEST_F(ScoreTest, DisparityOfScores) {
  // Index scores A 37.410714 = .75·232.5/7 + 12.5 and C 89.285714 = .75·600/7 + 25 (B is below
  // the minimum sample: no score, left out): max/min = (450 + 175)/(174.375 + 87.5) = 625/261.875.
  RunResult r = Run("disparity --score index --values " + Source("tests/cli/data/score_small.values.csv") +
                    " --framework " + Source("tests/cli/data/score_small.toml") + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"units\":2,\"left_out\":1,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"grades\":{\"非常高\":0,\"高\":1,\"中\":0,\"低\":1}"), std::string::npos) << r.out;
  const size_t at = r.out.find("\"max_min_ratio\":");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NEAR(std::stod(r.out.substr(at + 16)), 625 / 261.875, 1e-9);
}

// The default framework over the store: a tiny province scored by region.
TEST_F(ScoreTest, DefaultFrameworkFromTheStore) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("regions.csv", "code,name,parent_code,macro_region,key_city\n450000,广西,,west,\n450100,南宁市,450000,,\n");
  // Two completed transactions in 450100 (one on time, one late), both online.
  Write("t.csv",
        "id,item_code,dept_code,region_code,channel,applicant_type,applicant_age,submitted_at,accepted_at,"
        "completed_at,due_at,promised_days,statutory_days,status,visits,materials_required,"
        "materials_exempted,cross_region,wait_minutes,reported_at,window_code\n"
        "T1,I1,D1,450100,web,person,40,2024-03-01T09:00,2024-03-01T09:00,2024-03-02T09:00,2024-03-05,"
        "3,20,completed,0,2,1,false,,2024-03-01T10:00,\n"
        "T2,I1,D1,450100,app,person,70,2024-03-01T09:00,2024-03-01T09:00,2024-03-10T09:00,2024-03-05,"
        "3,20,completed,1,2,1,false,,2024-03-01T10:00,\n");
  ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
  ASSERT_EQ(Run("import transactions t.csv").exit_code, 0);
  RunResult r = Run("score --from 2024-03-01 --to 2024-04-01 --by region --format csv --framework " +
                    Source("config/framework.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // on_time_rate = 1/2; n = 2 < min_sample 30 → its values only: no score, grade or rank.
  EXPECT_NE(r.out.find("450100,indicator,on_time_rate,handling/timeliness,0.5,,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("450100,index,index,,2,,1,,not ranked: n < 30,below min_sample 30: values only (not scored)\n"),
            std::string::npos) << r.out;
  // explain traces on_time_rate to its base measures and record ids.
  r = Run("explain --from 2024-03-01 --to 2024-04-01 --by region --unit 450100 --cell handling/timeliness "
          "--framework " + Source("config/framework.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("base: 1 completed_at <= due_at / 2 completed with due_at = 0.5 (agrees with govqm "
                       "indicators)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("records counted in: T1"), std::string::npos);
  EXPECT_NE(r.out.find("records not counted in: T2"), std::string::npos);
}

}  // namespace
}  // namespace govqm::testing
