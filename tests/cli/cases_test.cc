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

// Act writes rectification events: the list sees them and the history shows them.
TEST_F(CasesTest, ActWithoutAccounts) {
  RunResult r = Run("cases act C3 verify --actor 'Wang Li' --note 'called back' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"state\":\"verified\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"actor\":\"Wang Li\""), std::string::npos) << r.out;
  r = Run("cases list --state verified");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nC3,450000,health,"), std::string::npos) << r.out;
  // Out of order: exit 1 with the spec's line.
  r = Run("cases act C3 close --actor x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm cases: case C3: cannot close a case that is verified\n");
  // Without accounts nobody is a supervisor: invalidate is refused.
  r = Run("cases act C3 invalidate --actor x --reason 'malicious'");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("only a supervisor"), std::string::npos) << r.err;
  // Options of another subcommand are usage errors.
  EXPECT_EQ(Run("cases list --actor x").exit_code, 2);
  EXPECT_EQ(Run("cases act C3 rectify").exit_code, 2);          // no --actor
  EXPECT_EQ(Run("cases act C3 fix --actor x").exit_code, 2);    // no such action
  EXPECT_EQ(Run("cases act C3 revisit --actor x --revisit-score 6").exit_code, 2);
  // Every action is audited.
  r = Run("audit list --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("case.verify,case:C3,actor=Wang Li state=verified"), std::string::npos)
      << r.out;
}

TEST_F(CasesTest, ActAsAccounts) {
  Write("_pw.txt", "supervisor password\n");
  ASSERT_EQ(Run("user add sup --role supervisor < _pw.txt").exit_code, 0);
  Write("_pw.txt", "operator password\n");
  ASSERT_EQ(Run("user add op --role operator --region 450100 --depts tax < _pw.txt").exit_code, 0);
  // With accounts, the actor must be one of them, and its scope and role apply.
  RunResult r = Run("cases act C3 verify --actor nobody");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  r = Run("cases act C3 verify --actor op");  // C3 is the province's health case: out of scope
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("case C3: no real-name bad review"), std::string::npos) << r.err;
  r = Run("cases act C3 invalidate --actor op --reason 'rated the wrong office'");
  EXPECT_NE(r.exit_code, 0);
  r = Run("cases act C3 invalidate --actor sup");
  EXPECT_EQ(r.exit_code, 2) << r.err;  // no reason
  r = Run("cases act C3 invalidate --actor sup --reason 'rated the wrong office'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("invalid"), std::string::npos) << r.out;
  r = Run("cases list --state invalid --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nC3,"), std::string::npos) << r.out;
  r = Run("audit verify");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// [closed_loop] deadlines from the config file: verify within 3 working days instead of 1.
TEST_F(CasesTest, DeadlinesFromTheConfig) {
  Write("govqm.toml", "[closed_loop]\nverify_days = 3\n");
  // C3: reviewed Monday 09-30; 10-01..07 off; 3 working days: 10-08, 10-09, 10-10 -> end of
  // 10-10 local = 2024-10-10T16:00Z, not yet overdue at 10-10 00:00.
  RunResult r = Run("cases list --at 2024-10-10 --config govqm.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verify,2024-10-10T16:00:00.000Z,false"), std::string::npos) << r.out;
  Write("bad.toml", "[closed_loop]\nverify_dayz = 3\n");
  r = Run("cases list --config bad.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm cases: bad.toml:2: unknown key closed_loop.verify_dayz (known: verify_days, "
                   "rectify_days, revisit_days)\n");
  Write("bad.toml", "[closed_loop]\nrectify_days = 0\n");
  EXPECT_EQ(Run("cases list --config bad.toml").exit_code, 1);
  Write("bad.toml", "[closedloop]\nrectify_days = 10\n");
  EXPECT_EQ(Run("cases list --config bad.toml").exit_code, 1);
}

TEST_F(CasesTest, InviteCsv) {
  Write("tx.csv",
        "id,region_code,dept_code,item_code,channel,submitted_at,completed_at,status\n"
        "T1,450100,tax,i1,hall,2024-09-20 09:00,2024-09-23 16:30,completed\n"
        "T2,450100,tax,i1,web,2024-09-20 09:00,2024-09-25 09:00,completed\n");
  ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
  // At 09-27 00:00 local with 3 days: completions by 09-24 00:00: T1 only (3 days 7.5 h).
  RunResult r = Run("cases invite --at 2024-09-27");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "transaction_id,region_code,dept_code,item_code,channel,completed_at,"
            "days_since_completion\n"
            "T1,450100,tax,i1,hall,2024-09-23T08:30:00.000Z,3\n");
  r = Run("cases invite --at 2024-09-27 --after-days 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nT2,"), std::string::npos) << r.out;
  EXPECT_EQ(Run("cases invite --after-days x").exit_code, 2);
}

}  // namespace
}  // namespace govqm::testing
