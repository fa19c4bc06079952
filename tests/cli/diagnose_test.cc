// govqm diagnose through the real program (service.md §9) on a small store worked out by hand:
// five cities, ten evaluations each in July 2024; 南宁 (450100) has five bad reviews with
// reasons and comments, the others one bad review without a comment.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class DiagnoseTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv",
          "code,name,parent_code\n450000,广西,\n450100,南宁,450000\n450200,柳州,450000\n"
          "450300,桂林,450000\n450400,梧州,450000\n450500,北海,450000\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    std::string csv = "id,region_code,evaluated_at,score,reasons,comment\n";
    // 南宁's five bad reviews, oldest first.
    csv += "N1,450100,2024-07-02 09:00,1,system_error,系统提交失败，客服电话13912345678打不通\n"
           "N2,450100,2024-07-03 09:00,1,system_error;attitude,系统一直提交失败\n"
           "N3,450100,2024-07-04 09:00,2,long_wait,排队太久\n"
           "N4,450100,2024-07-05 09:00,1,system_error,系统升级后材料上传不了\n"
           "N5,450100,2024-07-06 09:00,1,system_error,\n";
    for (int i = 0; i < 5; ++i) {
      csv += "NG" + std::to_string(i) + ",450100,2024-07-10 10:00,5,,\n";
    }
    for (const char* city : {"450200", "450300", "450400", "450500"}) {
      csv += std::string("B") + city + "," + city + ",2024-07-10 10:00,1,slow,\n";
      for (int i = 0; i < 9; ++i) {
        csv += std::string("G") + city + std::to_string(i) + "," + city + ",2024-07-11 10:00,5,,\n";
      }
    }
    Write("ev.csv", csv);
    RunResult r = Run("import evaluations ev.csv");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // One cell, one indicator scored against a target: positive_rate from 0.5 (0) to 1 (100).
    Write("fw.toml",
          "[framework]\nname = \"t\"\nversion = \"1\"\nmin_sample = 0\n"
          "[[stage]]\ncode = \"feedback\"\n[[dimension]]\ncode = \"satisfaction\"\n"
          "[[indicator]]\ncode = \"positive_rate\"\ncell = \"feedback/satisfaction\"\n"
          "floor = 0.5\ntarget = 1.0\n");
  }
  static simdjson::dom::element Parse(simdjson::dom::parser& p, const std::string& json) {
    simdjson::dom::element e;
    EXPECT_EQ(p.parse(json).get(e), simdjson::SUCCESS) << json.substr(0, 300);
    return e;
  }
};

const std::string kArgs =
    "diagnose --from 2024-07-01 --to 2024-08-01 --by city --framework fw.toml";

TEST_F(DiagnoseTest, PainPointsWeakPointsAndScrubbedExamples) {
  RunResult r = Run(kArgs + " --unit 450100 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("13912345678"), std::string::npos) << r.out;  // scrubbed
  simdjson::dom::parser p;
  simdjson::dom::element d = Parse(p, r.out);
  simdjson::dom::element pain = d["pain_points"];
  // 10 evaluations, 5 bad (scores 1, 1, 2, 1, 1), all with reasons, 4 with a comment.
  EXPECT_EQ(int64_t(pain["evaluations"]), 10);
  EXPECT_EQ(int64_t(pain["bad_reviews"]), 5);
  EXPECT_EQ(int64_t(pain["with_reasons"]), 5);
  EXPECT_EQ(int64_t(pain["commented"]), 4);
  // Reasons: system_error 4 (N1, N2, N4, N5), then attitude 1 and long_wait 1.
  simdjson::dom::array reasons = pain["reasons"];
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(std::string_view(reasons.at(0)["code"]), "system_error");
  EXPECT_EQ(int64_t(reasons.at(0)["count"]), 4);
  EXPECT_EQ(int64_t(reasons.at(1)["count"]), 1);
  EXPECT_EQ(int64_t(reasons.at(2)["count"]), 1);
  // Its examples: N1 (scrubbed), N2, N4 — N5 has no comment.
  simdjson::dom::array ex = reasons.at(0)["examples"];
  ASSERT_EQ(ex.size(), 3u);
  EXPECT_EQ(std::string_view(ex.at(0)["id"]), "N1");
  const std::string first(std::string_view(ex.at(0)["comment"]));
  EXPECT_EQ(first.rfind("系统提交失败", 0), 0u) << first;
  EXPECT_EQ(std::string_view(ex.at(1)["id"]), "N2");
  EXPECT_EQ(std::string_view(ex.at(2)["id"]), "N4");
  // Words: 系统 in three comments (N1, N2, N4), first; 提交 and 失败 in two (N1, N2).
  simdjson::dom::array words = pain["words"];
  ASSERT_GE(words.size(), 3u);
  EXPECT_EQ(std::string_view(words.at(0)["word"]), "系统");
  EXPECT_EQ(int64_t(words.at(0)["comments"]), 3);
  int64_t tijiao = -1, shibai = -1;
  for (simdjson::dom::element w : words) {
    if (std::string_view(w["word"]) == "提交") tijiao = int64_t(w["comments"]);
    if (std::string_view(w["word"]) == "失败") shibai = int64_t(w["comments"]);
    EXPECT_NE(std::string_view(w["word"]), "一直");  // a stop word of the shipped list
  }
  EXPECT_EQ(tijiao, 2);
  EXPECT_EQ(shibai, 2);
  // positive_rate: 南宁 5/10 = 0.5 → score 0, last of 5 (the others 0.9): a weak point with
  // its cell; loss = 1 × 100. The others' median 0.9.
  simdjson::dom::array weak = d["weak_points"];
  ASSERT_EQ(weak.size(), 2u);
  bool indicator_seen = false;
  for (simdjson::dom::element w : weak) {
    EXPECT_EQ(int64_t(w["rank"]), 5);
    EXPECT_EQ(int64_t(w["compared"]), 5);
    EXPECT_NEAR(double(w["loss"]), 100, 1e-9);
    if (std::string_view(w["level"]) == "indicator") {
      indicator_seen = true;
      EXPECT_EQ(std::string_view(w["code"]), "positive_rate");
      EXPECT_NEAR(double(w["value"]), 0.5, 1e-12);
      EXPECT_NEAR(double(w["peers_median"]), 0.9, 1e-12);
      EXPECT_EQ(std::string_view(w["quartile"]), "bottom");
    }
  }
  EXPECT_TRUE(indicator_seen);
  EXPECT_EQ(simdjson::dom::array(d["highlights"]).size(), 0u);
  // No records before July: no period can make a difficulty.
  EXPECT_EQ(simdjson::dom::array(d["difficulties"]).size(), 0u);
  simdjson::dom::array previous = d["previous_periods"];
  ASSERT_EQ(previous.size(), 3u);
  EXPECT_EQ(std::string_view(previous.at(0)["from"]), "2024-05-31");
  EXPECT_EQ(std::string_view(previous.at(0)["to"]), "2024-07-01");
  EXPECT_EQ(std::string_view(previous.at(0)["state"]), "no_records");
}

TEST_F(DiagnoseTest, TextNamesTheFourSections) {
  RunResult r = Run(kArgs + " --unit 450100");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* heading : {"弱点", "难点", "痛点", "亮点", "system_error", "系统"}) {
    EXPECT_NE(r.out.find(heading), std::string::npos) << heading << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("13912345678"), std::string::npos);
  r = Run(kArgs + " --unit 450100 --format table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("positive_rate"), std::string::npos) << r.out;
}

TEST_F(DiagnoseTest, ScopeAuditorAndErrors) {
  Write("_in.txt", "liuzhou's password\n");
  ASSERT_EQ(Run("user add lz --role supervisor --region 450200 < _in.txt").exit_code, 0);
  ASSERT_EQ(Run("user add au --role auditor < _in.txt").exit_code, 0);
  RunResult r = Run(kArgs + " --unit 450100 --as lz");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("450100"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  // An auditor gets the counts, not the comments.
  r = Run(kArgs + " --unit 450100 --as au --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("排队太久"), std::string::npos);
  EXPECT_EQ(r.out.find("\"id\":\"N1\""), std::string::npos);
  EXPECT_NE(r.out.find("\"bad_reviews\":5"), std::string::npos) << r.out.substr(0, 400);
  r = Run(kArgs + " --unit 459999");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("459999"), std::string::npos) << r.err;
  r = Run("diagnose --from 2024-07-01 --to 2024-08-01 --by month --unit 2024-07 --framework fw.toml");
  EXPECT_EQ(r.exit_code, 2);
  r = Run("diagnose --from 2024-07-01 --to 2024-08-01 --by city --framework fw.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--unit"), std::string::npos) << r.err;
  r = Run(kArgs + " --unit 450100 --stopwords nowhere.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nowhere.txt"), std::string::npos) << r.err;
  // Another stop-word list: 系统 left out.
  Write("stop.txt", "系统\n");
  r = Run(kArgs + " --unit 450100 --stopwords stop.txt --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("\"word\":\"系统\""), std::string::npos);
}

}  // namespace
}  // namespace govqm::testing
