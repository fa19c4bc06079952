// The cases use case on a store built by hand, with the 2024 calendar loaded (store zone
// Asia/Shanghai, +08:00). Every expected value is worked out by hand from the rows below.
#include "app/cases.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "app/init.h"
#include "province.h"

namespace govqm::app {
namespace {

int64_t Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return DaysFromCivil(y, m, d) * kMsPerDay + h * kMsPerHour + min * kMsPerMinute;
}

// C1 and C3 are real-name bad reviews; C2 is anonymous, C4 is not bad.
constexpr const char* kRegionsCsv =
    "code,name,parent_code\n"
    "450000,Province,\n"
    "450100,City A,450000\n";
constexpr const char* kEvaluationsCsv =
    "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name\n"
    "C1,,450100,tax,2024-09-26 10:00,1,true\n"
    "C2,,450100,tax,2024-09-27 10:00,2,false\n"
    "C3,,450000,health,2024-09-30 09:00,2,true\n"
    "C4,,450100,tax,2024-09-26 11:00,3,true\n";
constexpr const char* kRectificationsCsv =
    "evaluation_id,event,at,actor,note\n"
    "C1,rectified,2024-10-25 08:00,clerk,fixed\n"
    "C1,verified,2024-09-29 09:00,clerk,called\n";

const std::string& CaseStore() {
  static const std::string db = [] {
    const auto dir = MakeTempDir("cases");
    const std::string path = (dir / "govqm.db").string();
    auto created = Init({path, "Asia/Shanghai"});
    EXPECT_TRUE(created.ok()) << created.status().message();
    auto store = Store::Open(path);
    EXPECT_TRUE(store.ok()) << store.status().message();
    const std::map<std::string, std::string> csv = {{"regions", kRegionsCsv},
                                                    {"evaluations", kEvaluationsCsv},
                                                    {"rectifications", kRectificationsCsv}};
    for (const char* kind : {"regions", "evaluations", "rectifications"}) {
      const auto file = dir / (std::string(kind) + ".csv");
      std::ofstream(file) << csv.at(kind);
      ImportRequest r;
      r.kind = *ParseKind(kind);
      r.files = {file.string()};
      auto summary = Import(**store, r);
      EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
    }
    auto cal = LoadCalendars(**store, {std::string(GOVQM_SOURCE_DIR) + "/config/calendars/cn-2024.cal"});
    EXPECT_TRUE(cal.ok()) << cal.status().message();
    return path;
  }();
  return db;
}

std::vector<std::string> Ids(const CasesResult& r) {
  std::vector<std::string> ids;
  for (const CaseRecord& c : r.cases) ids.push_back(c.id);
  return ids;
}

Result<CasesResult> List(CasesRequest r) {
  auto store = Store::Open(CaseStore());
  EXPECT_TRUE(store.ok());
  return ListCases(**store, r);
}

TEST(Cases, ListAtTheEndOfNationalDay) {
  CasesRequest r;
  r.at = "2024-10-10";  // local midnight = 2024-10-09 16:00Z
  auto all = List(r);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->at, Utc(2024, 10, 9, 16));
  ASSERT_EQ(Ids(*all), (std::vector<std::string>{"C1", "C3"}));
  // C1: verified Sunday 09-29 09:00 local (01:00Z); rectify within 15 working days: end of
  // 10-24 local = 10-24 16:00Z; not overdue. Its later rectification is not seen yet.
  const CaseRecord& c1 = all->cases[0];
  EXPECT_EQ(c1.status.state, CaseState::kVerified);
  EXPECT_EQ(c1.status.since, Utc(2024, 9, 29, 1));
  EXPECT_EQ(c1.status.deadline, Utc(2024, 10, 24, 16));
  EXPECT_FALSE(c1.status.overdue);
  ASSERT_EQ(c1.history.size(), 1u);
  EXPECT_EQ(c1.history[0].event, "verified");
  EXPECT_EQ(c1.region_code, "450100");
  // C3: reviewed Monday 09-30; verify within 1 working day: 10-01..07 off -> end of 10-08
  // local = 10-08 16:00Z, before the instant: overdue.
  const CaseRecord& c3 = all->cases[1];
  EXPECT_EQ(c3.status.state, CaseState::kOpen);
  EXPECT_EQ(c3.status.deadline, Utc(2024, 10, 8, 16));
  EXPECT_TRUE(c3.status.overdue);

  r.overdue_only = true;
  EXPECT_EQ(Ids(List(r).value()), (std::vector<std::string>{"C3"}));
  r.overdue_only = false;
  r.state = CaseState::kVerified;
  EXPECT_EQ(Ids(List(r).value()), (std::vector<std::string>{"C1"}));
  r.state.reset();
  r.scope = AccessScope{"450100", {}};  // city A: C3 (province level) is outside
  EXPECT_EQ(Ids(List(r).value()), (std::vector<std::string>{"C1"}));
}

TEST(Cases, AtTheVerifyDeadlineItselfNothingIsOverdue) {
  CasesRequest r;
  r.at = "2024-09-28";  // 09-27 16:00Z: C1's verify deadline (end of Friday 09-27 local)
  auto res = List(r);
  ASSERT_TRUE(res.ok()) << res.status().message();
  ASSERT_EQ(Ids(*res), (std::vector<std::string>{"C1"}));
  EXPECT_EQ(res->cases[0].status.state, CaseState::kOpen);
  EXPECT_EQ(res->cases[0].status.deadline, Utc(2024, 9, 27, 16));
  EXPECT_FALSE(res->cases[0].status.overdue);
}

TEST(Cases, ShowOneCase) {
  auto store = Store::Open(CaseStore());
  ASSERT_TRUE(store.ok());
  CasesRequest r;
  r.at = "2024-10-26";
  r.id = "C1";
  auto c = ShowCase(**store, r);
  ASSERT_TRUE(c.ok()) << c.status().message();
  // Rectified Friday 10-25 08:00 local; revisit within 5: 10-28..11-01 -> 11-01 16:00Z.
  EXPECT_EQ(c->status.state, CaseState::kRectified);
  EXPECT_EQ(c->status.next, CaseAction::kRevisit);
  EXPECT_EQ(c->status.deadline, Utc(2024, 11, 1, 16));
  ASSERT_EQ(c->history.size(), 2u);
  EXPECT_EQ(c->history[0].event, "verified");
  EXPECT_EQ(c->history[1].event, "rectified");
  EXPECT_EQ(c->history[1].actor, "clerk");
  EXPECT_EQ(c->history[1].note, "fixed");

  r.id = "C2";  // anonymous: not a case
  EXPECT_EQ(ShowCase(**store, r).status().code(), StatusCode::kNotFound);
  r.id = "C3";
  r.scope = AccessScope{"450100", {}};
  EXPECT_EQ(ShowCase(**store, r).status().code(), StatusCode::kNotFound);
  r.at = "";
  r.scope = {};
  EXPECT_EQ(ShowCase(**store, r).status().code(), StatusCode::kUsage);
}

}  // namespace
}  // namespace govqm::app
