// A kind that was never loaded (a 311 export has no evaluations) leaves the indicators that
// read it empty, with a note, instead of 0 or 1; and `score` leaves the feedback stage out
// instead of scoring it 0. Values worked out by hand from the few rows below.
#include <gtest/gtest.h>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class AbsentKindsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
    Write("regions.csv", "code,name\nR1,One\nR2,Two\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    // a, b (R1) and c (R2) completed in March, each on time.
    Write("tx.csv",
          "id,region_code,channel,submitted_at,completed_at,due_at,status\n"
          "a,R1,web,2024-03-01 09:00,2024-03-02 09:00,2024-03-05,completed\n"
          "b,R1,hall,2024-03-01 09:00,2024-03-03 09:00,2024-03-05,completed\n"
          "c,R2,hall,2024-03-01 09:00,2024-03-04 09:00,2024-03-05,completed\n");
    ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
  }
  static constexpr const char* kPeriod = "--from 2024-03-01 --to 2024-04-01";
};

TEST_F(AbsentKindsTest, NoEvaluationsLeavesUnratedRateEmptyWithOneNote) {
  RunResult r = Run(std::string("indicators ") + kPeriod +
                    " --by region --only completed,unrated_rate,positive_rate");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Without any evaluation, unrated_rate would read 2/2 and 1/1 (nobody rated): empty
  // instead. positive_rate has no group (no evaluation in any): no row, as before.
  EXPECT_EQ(r.out,
            "region,indicator,value\n"
            "R1,completed,2\n"
            "R1,unrated_rate,\n"
            "R2,completed,1\n"
            "R2,unrated_rate,\n");
  EXPECT_EQ(r.err,
            "note: no evaluations loaded: the 2 indicators that read them are empty "
            "(positive_rate, unrated_rate)\n");  // in catalog order
  // The table says it once too, beside the table.
  r = Run(std::string("indicators ") + kPeriod + " --by region --only completed,unrated_rate --format table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "note: no evaluations loaded: the indicator that reads them is empty (unrated_rate)\n");
  // No note when nothing asked reads the absent kind.
  r = Run(std::string("indicators ") + kPeriod + " --only completed");
  EXPECT_EQ(r.err, "");
}

TEST_F(AbsentKindsTest, JsonRowsSayWhy) {
  RunResult r = Run(std::string("indicators ") + kPeriod +
                    " --by region --only unrated_rate --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[\n"
            "{\"region\":\"R1\",\"indicator\":\"unrated_rate\",\"value\":null,"
            "\"note\":\"no evaluations loaded\"},\n"
            "{\"region\":\"R2\",\"indicator\":\"unrated_rate\",\"value\":null,"
            "\"note\":\"no evaluations loaded\"}\n"
            "]\n");
}

TEST_F(AbsentKindsTest, LoadedEvaluationsAreCountedAgainAndRectificationsAbsentEmptyTheCases) {
  // One evaluation, of a: R1 has 1 of 2 unrated, R2 1 of 1. e1 is a real-name bad review
  // (a case); no rectification event was ever loaded, so its reply and rectification rates
  // are empty rather than 0 of 1.
  Write("ev.csv",
        "id,transaction_id,region_code,evaluated_at,score,real_name\n"
        "e1,a,R1,2024-03-02 10:00,1,true\n");
  ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
  RunResult r = Run(std::string("indicators ") + kPeriod +
                    " --by region --only unrated_rate,negative_rate,reply_rate,rectification_rate");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "region,indicator,value\n"  // in the order of --only
            "R1,unrated_rate,0.5\n"
            "R1,negative_rate,1\n"
            "R1,reply_rate,\n"
            "R1,rectification_rate,\n"
            "R2,unrated_rate,1\n");
  EXPECT_EQ(r.err,
            "note: no rectification events loaded: the 2 indicators that read them are empty "
            "(reply_rate, rectification_rate)\n");
  // With one event loaded (not even of this case), the rates are computed: 0 of 1.
  Write("rect.csv", "evaluation_id,event,at\nother,verified,2024-03-03 10:00\n");
  ASSERT_EQ(Run("import rectifications rect.csv").exit_code, 0);
  r = Run(std::string("indicators ") + kPeriod + " --by region --only reply_rate");
  EXPECT_EQ(r.out, "region,indicator,value\nR1,reply_rate,0\n");
  EXPECT_EQ(r.err, "");
}

// The score on the CSV line that starts with `prefix` (the field after it), or -1.
double IndexScore(const std::string& csv, const std::string& prefix) {
  const size_t at = csv.find("\n" + prefix);
  if (at == std::string::npos) return -1;
  const size_t begin = at + 1 + prefix.size();
  return std::stod(csv.substr(begin, csv.find(',', begin) - begin));
}

TEST_F(AbsentKindsTest, ScoreLeavesTheFeedbackStageOutInsteadOfScoringItZero) {
  // on_time_rate 1 everywhere scores 100 (floor 0, target 1); unrated_rate, lower is better
  // (floor 1, target 0), would read 1 with no evaluations and score 0, halving the index.
  // availability (no probes) and the org block's staff_per_window (no org rows) are empty too.
  Write("fw.toml",
        "[framework]\nname = \"t\"\nversion = \"1\"\nmin_sample = 0\n"
        "[[stage]]\ncode = \"handling\"\n[[stage]]\ncode = \"feedback\"\n"
        "[[dimension]]\ncode = \"timeliness\"\n[[dimension]]\ncode = \"accuracy\"\n"
        "[matrix]\nweight = 3\n[[block]]\ncode = \"org\"\nweight = 1\n"
        "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/timeliness\"\n"
        "floor = 0\ntarget = 1\n"
        "[[indicator]]\ncode = \"availability\"\ncell = \"handling/accuracy\"\n"
        "floor = 0\ntarget = 1\n"
        "[[indicator]]\ncode = \"unrated_rate\"\ncell = \"feedback/accuracy\"\n"
        "direction = \"lower\"\nfloor = 1\ntarget = 0\n"
        "[[indicator]]\ncode = \"staff_per_window\"\nblock = \"org\"\nfloor = 1\n"
        "target = 2\n");
  RunResult r = Run(std::string("score ") + kPeriod + " --by region --framework fw.toml --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Index = the handling cell alone = 100 (sample: volume, 2 and 1); the feedback stage has
  // no score, and unrated_rate neither value nor score.
  EXPECT_NEAR(IndexScore(r.out, "R1,index,index,,2,"), 100, 1e-9) << r.out;
  EXPECT_NE(r.out.find("\nR1,stage,feedback,matrix,,,,,,\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nR1,indicator,unrated_rate,feedback/accuracy,,,1,"), std::string::npos);
  EXPECT_NEAR(IndexScore(r.out, "R2,index,index,,1,"), 100, 1e-9) << r.out;
  EXPECT_EQ(r.err,
            "note: no evaluations loaded: the indicator that reads them is empty "
            "(unrated_rate)\n"
            "note: no probes loaded: the indicator that reads them is empty (availability)\n"
            "note: no org indicators loaded: the indicator that reads them is empty "
            "(staff_per_window)\n");
  r = Run(std::string("score ") + kPeriod + " --by region --framework fw.toml --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"notes\":[\"no evaluations loaded: the indicator that reads them is "
                       "empty (unrated_rate)\",\"no probes loaded: the indicator that reads "
                       "them is empty (availability)\",\"no org indicators loaded: the "
                       "indicator that reads them is empty (staff_per_window)\"]"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
  // explain says why each has no value.
  const std::string ex = std::string("explain --unit R1 ") + kPeriod +
                         " --by region --framework fw.toml";
  r = Run(ex + " --cell feedback/accuracy");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no value for this unit (no evaluations loaded): left out, its weight "
                       "shared within feedback/accuracy"),
            std::string::npos)
      << r.out;
  r = Run(ex + " --block org --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"note\":\"no value for this unit (no org indicators loaded): left "
                       "out, its weight shared within org\""),
            std::string::npos)
      << r.out;
}

// Evaluations only (no transaction ever loaded): the framework's sample indicator (volume)
// has no data, so the units' sizes are unknown — scored and graded, not ranked — rather than
// 0, which would leave every unit below min_sample and unscored.
using AbsentSampleTest = CliTest;

TEST_F(AbsentSampleTest, NoTransactionsMeansUnknownSampleNotZero) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("regions.csv", "code,name\nR1,One\n");
  ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
  Write("ev.csv",
          "id,region_code,evaluated_at,score\n"
          "e1,R1,2024-03-02 10:00,5\ne2,R1,2024-03-03 10:00,4\n");
  ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
  // positive_rate 2/2 = 1 scores 100 (floor 0, target 1).
  Write("fw.toml",
          "[framework]\nname = \"t\"\nversion = \"1\"\nmin_sample = 30\n"
          "[[stage]]\ncode = \"feedback\"\n[[dimension]]\ncode = \"satisfaction\"\n"
          "[[indicator]]\ncode = \"positive_rate\"\ncell = \"feedback/satisfaction\"\n"
          "floor = 0\ntarget = 1\n");
  RunResult r = Run("score --from 2024-03-01 --to 2024-04-01 --by region --framework fw.toml "
                      "--format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nR1,index,index,,,100,1,非常高,not ranked: sample size unknown,"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("note: no 'volume' values (no transactions loaded): sample sizes "
                       "unknown, no unit is ranked (min_sample 30)\n"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace govqm::testing
