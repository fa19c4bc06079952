// govqm cases list|show through the real program, on a small hand-made store with the 2024
// calendar loaded (zone Asia/Shanghai, +08:00). Expected lines are worked out by hand.
#include <gtest/gtest.h>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class CasesTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv", "code,name,parent_code\n450000,Province,\n450100,City A,450000\n");
    // C1 and C3 are real-name bad reviews (cases); C2 is anonymous, C4 is not bad.
    Write("ev.csv",
          "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name\n"
          "C1,,450100,tax,2024-09-26 10:00,1,true\n"
          "C2,,450100,tax,2024-09-27 10:00,2,false\n"
          "C3,,450000,health,2024-09-30 09:00,2,true\n"
          "C4,,450100,tax,2024-09-26 11:00,3,true\n");
    Write("rect.csv",
          "evaluation_id,event,at,actor,note\n"
          "C1,verified,2024-09-29 09:00,clerk,called\n"
          "C1,rectified,2024-10-25 08:00,clerk,fixed\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
    ASSERT_EQ(Run("import rectifications rect.csv").exit_code, 0);
    RunResult cal =
        Run(std::string("calendar ") + GOVQM_SOURCE_DIR + "/config/calendars/cn-2024.cal");
    ASSERT_EQ(cal.exit_code, 0) << cal.err;
  }
};

TEST_F(CasesTest, ListCsv) {
  RunResult r = Run("cases list --at 2024-10-10");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // C1: reviewed 09-26 10:00+08; verified Sunday 09-29 09:00+08 (01:00Z); rectify within 15
  // working days: 09-30, 10-08..12 (Sat 12 works), 14..18, 21..24 -> end of 10-24 local.
  // C3: reviewed Monday 09-30 09:00+08; verify within 1: 10-01..07 off -> end of 10-08 local,
  // before 2024-10-10 00:00+08: overdue.
  EXPECT_EQ(r.out,
            "id,region_code,dept_code,reviewed_at,score,state,since,next_step,deadline,overdue\n"
            "C1,450100,tax,2024-09-26T02:00:00.000Z,1,verified,2024-09-29T01:00:00.000Z,"
            "rectify,2024-10-24T16:00:00.000Z,false\n"
            "C3,450000,health,2024-09-30T01:00:00.000Z,2,open,2024-09-30T01:00:00.000Z,"
            "verify,2024-10-08T16:00:00.000Z,true\n");
}

TEST_F(CasesTest, FiltersAndGroups) {
  RunResult r = Run("cases list --at 2024-10-10 --by region");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "region_code,cases,open,verified,rectified,revisited,closed,invalid,overdue\n"
            "450000,1,1,0,0,0,0,0,1\n"
            "450100,1,0,1,0,0,0,0,0\n");
  r = Run("cases list --at 2024-10-10 --overdue --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"at\":\"2024-10-09T16:00:00.000Z\",\"cases\":[{\"id\":\"C3\",\"region_code\":"
            "\"450000\",\"dept_code\":\"health\",\"reviewed_at\":\"2024-09-30T01:00:00.000Z\","
            "\"score\":2,\"state\":\"open\",\"since\":\"2024-09-30T01:00:00.000Z\","
            "\"next_step\":\"verify\",\"deadline\":\"2024-10-08T16:00:00.000Z\","
            "\"overdue\":true}]}\n");
  r = Run("cases list --at 2024-10-10 --state verified --by dept");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "dept_code,cases,open,verified,rectified,revisited,closed,invalid,overdue\n"
            "tax,1,0,1,0,0,0,0,0\n");
}

TEST_F(CasesTest, ShowJson) {
  // Rectified Friday 10-25 08:00+08 (00:00Z); revisit within 5: 10-28..11-01 -> end of 11-01.
  RunResult r = Run("cases show C1 --at 2024-10-26 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"id\":\"C1\",\"region_code\":\"450100\",\"dept_code\":\"tax\",\"reviewed_at\":"
            "\"2024-09-26T02:00:00.000Z\",\"score\":1,\"state\":\"rectified\",\"since\":"
            "\"2024-10-25T00:00:00.000Z\",\"next_step\":\"revisit\",\"deadline\":"
            "\"2024-11-01T16:00:00.000Z\",\"overdue\":false,\"history\":["
            "{\"event\":\"verified\",\"at\":\"2024-09-29T01:00:00.000Z\",\"actor\":\"clerk\","
            "\"note\":\"called\"},"
            "{\"event\":\"rectified\",\"at\":\"2024-10-25T00:00:00.000Z\",\"actor\":\"clerk\","
            "\"note\":\"fixed\"}]}\n");
}

TEST_F(CasesTest, Errors) {
  RunResult r = Run("cases show C2 --at 2024-10-26");  // anonymous: no case
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("case C2"), std::string::npos) << r.err;
  r = Run("cases list --state done");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--state"), std::string::npos) << r.err;
  EXPECT_EQ(Run("cases list --by city").exit_code, 2);
  EXPECT_EQ(Run("cases").exit_code, 2);
  EXPECT_EQ(Run("cases list --at notadate").exit_code, 2);
}

}  // namespace
}  // namespace govqm::testing
