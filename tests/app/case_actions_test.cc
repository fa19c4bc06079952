// Acting on cases and rating invitations (service.md §6) on a store built by hand with the
// official 2024 calendar loaded (zone Asia/Shanghai, +08:00). Every deadline below is counted
// by hand on that calendar: Spring Festival 2024 is off 02-10 … 02-17, and Sunday 02-18 is a
// make-up working day (调休).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "app/cases.h"
#include "app/init.h"
#include "core/schema.h"
#include "province.h"

namespace govqm::app {
namespace {

int64_t Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return DaysFromCivil(y, m, d) * kMsPerDay + h * kMsPerHour + min * kMsPerMinute;
}
// Local (+08:00) wall time as UTC ms.
int64_t Local(int y, unsigned m, unsigned d, int h, int min = 0) {
  return Utc(y, m, d, h, min) - 8 * kMsPerHour;
}

// K1 reviewed on the eve of Spring Festival; K2 in City B; N1 anonymous (not a case).
constexpr const char* kRegionsCsv =
    "code,name,parent_code\n"
    "450000,Province,\n"
    "450100,City A,450000\n"
    "450200,City B,450000\n";
constexpr const char* kEvaluationsCsv =
    "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name\n"
    "K1,T9,450100,tax,2024-02-09 15:00,1,true\n"
    "K2,,450200,health,2024-03-04 09:00,2,true\n"
    "N1,T3,450100,tax,2024-03-02 10:00,1,false\n"
    "E5,T5,450100,tax,2024-03-06 10:00,5,false\n";
constexpr const char* kTransactionsCsv =
    "id,item_code,dept_code,region_code,channel,submitted_at,completed_at,status\n"
    "T1,i1,tax,450100,hall,2024-02-28 09:00,2024-03-01 10:00,completed\n"
    "T2,i1,tax,450100,web,2024-02-28 09:00,2024-03-03 10:00,completed\n"
    "T3,i1,tax,450100,hall,2024-02-28 09:00,2024-03-01 11:00,completed\n"
    "T4,i1,tax,450100,hall,2024-02-28 09:00,,in_progress\n"
    "T5,i2,tax,450100,app,2024-02-28 09:00,2024-03-01 12:00,completed\n"
    "T6,i3,health,450200,hall,2024-02-20 09:00,2024-02-21 09:00,completed\n"
    "T7,i1,tax,450100,hall,2024-02-28 09:00,2024-03-01 13:00,rejected\n";

struct Fixture {
  std::string path;
  std::unique_ptr<Store> store;
};

Fixture MakeStore(const std::string& name) {
  Fixture f;
  const auto dir = MakeTempDir(name);
  f.path = (dir / "govqm.db").string();
  auto created = Init({f.path, "Asia/Shanghai"});
  EXPECT_TRUE(created.ok()) << created.status().message();
  const std::map<std::string, std::string> csv = {{"regions", kRegionsCsv},
                                                  {"evaluations", kEvaluationsCsv},
                                                  {"transactions", kTransactionsCsv}};
  auto store = Store::Open(f.path);
  EXPECT_TRUE(store.ok()) << store.status().message();
  for (const auto& [kind, text] : csv) {
    const auto file = dir / (kind + ".csv");
    std::ofstream(file) << text;
    ImportRequest r;
    r.kind = *ParseKind(kind);
    r.files = {file.string()};
    auto summary = Import(**store, r);
    EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
  }
  auto cal = LoadCalendars(**store, {std::string(GOVQM_SOURCE_DIR) + "/config/calendars/cn-2024.cal"});
  EXPECT_TRUE(cal.ok()) << cal.status().message();
  f.store = std::move(*store);
  return f;
}

CaseActionRequest Act(const std::string& id, CaseAction action, int64_t at) {
  CaseActionRequest r;
  r.id = id;
  r.action = action;
  r.actor = "clerk";
  r.at_ms = at;
  return r;
}

TEST(CaseActions, TheWholeLoopOverSpringFestival) {
  Fixture f = MakeStore("case-loop");
  // Reviewed Friday 02-09; the next working day is the make-up Sunday 02-18.
  CasesRequest show;
  show.id = "K1";
  show.at_ms = Local(2024, 2, 10, 12);
  auto before = ShowCase(*f.store, show);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->status.state, CaseState::kOpen);
  EXPECT_EQ(before->status.deadline, Utc(2024, 2, 18, 16));

  auto verified = ActOnCase(*f.store, Act("K1", CaseAction::kVerify, Local(2024, 2, 18, 9)));
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->status.state, CaseState::kVerified);
  EXPECT_EQ(verified->status.since, Local(2024, 2, 18, 9));
  EXPECT_FALSE(verified->status.overdue);
  // 15 working days after 02-18: 02-19…23 (5), 02-26…03-01 (10), 03-04…08 (15).
  EXPECT_EQ(verified->status.deadline, Utc(2024, 3, 8, 16));
  ASSERT_EQ(verified->history.size(), 1u);
  EXPECT_EQ(verified->history[0].event, "verified");
  EXPECT_EQ(verified->history[0].actor, "clerk");

  CaseActionRequest early = Act("K1", CaseAction::kRevisit, Local(2024, 3, 1, 9));
  early.revisit_score = 5;
  auto skipped = ActOnCase(*f.store, early);
  ASSERT_FALSE(skipped.ok());
  EXPECT_EQ(skipped.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(skipped.status().message(), "case K1: cannot revisit a case that is verified");

  // Rectified late (due 03-08): the event is kept; revisit is due 5 working days after 03-11.
  CaseActionRequest rectify = Act("K1", CaseAction::kRectify, Local(2024, 3, 11, 10));
  rectify.note = "窗口 call 13812345678 back";
  auto rectified = ActOnCase(*f.store, rectify);
  ASSERT_TRUE(rectified.ok()) << rectified.status().message();
  EXPECT_EQ(rectified->status.state, CaseState::kRectified);
  EXPECT_EQ(rectified->status.deadline, Utc(2024, 3, 18, 16));  // 03-12,13,14,15,18
  EXPECT_EQ(rectified->history.back().note.find("13812345678"), std::string::npos)
      << rectified->history.back().note;

  auto no_score = ActOnCase(*f.store, Act("K1", CaseAction::kRevisit, Local(2024, 3, 12, 9)));
  ASSERT_FALSE(no_score.ok());
  EXPECT_EQ(no_score.status().code(), StatusCode::kUsage);
  CaseActionRequest revisit = Act("K1", CaseAction::kRevisit, Local(2024, 3, 12, 9));
  revisit.revisit_score = 4;
  auto revisited = ActOnCase(*f.store, revisit);
  ASSERT_TRUE(revisited.ok()) << revisited.status().message();
  EXPECT_EQ(revisited->status.state, CaseState::kRevisited);
  EXPECT_FALSE(revisited->status.next.has_value());

  // A step dated before the last one is refused: the history stays in time order.
  auto backdated = ActOnCase(*f.store, Act("K1", CaseAction::kClose, Local(2024, 3, 12, 8)));
  ASSERT_FALSE(backdated.ok());
  EXPECT_EQ(backdated.status().code(), StatusCode::kFailedPrecondition);

  auto closed = ActOnCase(*f.store, Act("K1", CaseAction::kClose, Local(2024, 3, 12, 11)));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed->status.state, CaseState::kClosed);
  auto again = ActOnCase(*f.store, Act("K1", CaseAction::kClose, Local(2024, 3, 13, 11)));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "case K1: cannot close a case that is closed");

  // The events are rectification records, the one table the indicators read.
  auto rect = f.store->Load(Kind::kRectifications);
  ASSERT_TRUE(rect.ok());
  ASSERT_EQ(rect->rows(), 4u);
  const Column& score = rect->col(rect_col::kRevisitScore);
  int revisits = 0;
  for (size_t r = 0; r < rect->rows(); ++r) {
    if (score.ints[r] != kNullInt) {
      EXPECT_EQ(score.ints[r], 4);
      ++revisits;
    }
  }
  EXPECT_EQ(revisits, 1);
}

TEST(CaseActions, InvalidationNeedsASupervisorAndAReason) {
  Fixture f = MakeStore("case-invalid");
  const int64_t at = Local(2024, 3, 4, 15);
  CaseActionRequest r = Act("K2", CaseAction::kInvalidate, at);
  r.reason = "malicious: rated another office";
  auto no_accounts = ActOnCase(*f.store, r);  // no role: a store without accounts
  ASSERT_FALSE(no_accounts.ok());
  EXPECT_EQ(no_accounts.status().code(), StatusCode::kPermissionDenied);

  r.role = Role::kOperator;
  auto operator_tries = ActOnCase(*f.store, r);
  ASSERT_FALSE(operator_tries.ok());
  EXPECT_EQ(operator_tries.status().code(), StatusCode::kPermissionDenied);

  r.role = Role::kSupervisor;
  r.reason = "  ";
  auto no_reason = ActOnCase(*f.store, r);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.status().code(), StatusCode::kUsage);

  r.reason = "malicious: rated another office";
  r.note = "checked the CCTV";
  auto invalid = ActOnCase(*f.store, r);
  ASSERT_TRUE(invalid.ok()) << invalid.status().message();
  EXPECT_EQ(invalid->status.state, CaseState::kInvalid);
  ASSERT_EQ(invalid->history.size(), 1u);
  EXPECT_EQ(invalid->history[0].event, "invalid");
  EXPECT_EQ(invalid->history[0].note, "malicious: rated another office — checked the CCTV");

  CaseActionRequest verify = Act("K2", CaseAction::kVerify, at + kMsPerHour);
  verify.role = Role::kSupervisor;
  auto after = ActOnCase(*f.store, verify);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().message(), "case K2: cannot verify a case that is invalid");
}

TEST(CaseActions, RolesScopesAndUnknownCases) {
  Fixture f = MakeStore("case-scope");
  const int64_t at = Local(2024, 3, 5, 9);
  CaseActionRequest r = Act("K2", CaseAction::kVerify, at);
  r.role = Role::kAuditor;
  EXPECT_EQ(ActOnCase(*f.store, r).status().code(), StatusCode::kPermissionDenied);
  r.role = Role::kAdmin;
  EXPECT_EQ(ActOnCase(*f.store, r).status().code(), StatusCode::kPermissionDenied);

  // An operator of City A does not see City B's case: not found, as if it did not exist.
  r.role = Role::kOperator;
  r.scope.region = "450100";
  auto hidden = ActOnCase(*f.store, r);
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);
  r.scope.region = "450200";
  auto own = ActOnCase(*f.store, r);
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_EQ(own->status.state, CaseState::kVerified);

  // An anonymous bad review is no case; nor is a review made after the action's instant.
  EXPECT_EQ(ActOnCase(*f.store, Act("N1", CaseAction::kVerify, at)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ActOnCase(*f.store, Act("K2", CaseAction::kVerify, Local(2024, 3, 3, 9))).status().code(),
            StatusCode::kNotFound);
  // Assign keeps the state.
  auto assigned = ActOnCase(*f.store, Act("K1", CaseAction::kAssign, at));
  ASSERT_TRUE(assigned.ok()) << assigned.status().message();
  EXPECT_EQ(assigned->status.state, CaseState::kOpen);
  EXPECT_TRUE(assigned->status.overdue);  // due at the end of 02-18
}

TEST(CaseInvitations, CompletedUnratedAfterThreeDays) {
  Fixture f = MakeStore("case-invite");
  InviteRequest r;
  r.at = "2024-03-05";  // local midnight: completions up to 03-02 00:00 qualify
  auto result = Invitations(*f.store, r);
  ASSERT_TRUE(result.ok()) << result.status().message();
  // T1 (03-01 10:00, unrated), T5 (rated only on 03-06, after `at`), T6 (02-21); not T2 (too
  // recent), T3 (rated 03-02, by an anonymous review: still a rating), T4 (in progress), T7
  // (rejected).
  std::vector<std::string> ids;
  for (const Invitation& i : result->invitations) ids.push_back(i.transaction_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"T6", "T1", "T5"}));
  EXPECT_EQ(result->invitations[0].days_since, 12);  // 02-21 09:00 → 03-05 00:00: 12 d 15 h
  EXPECT_EQ(result->invitations[1].days_since, 3);
  EXPECT_EQ(result->invitations[1].channel, "hall");

  r.scope.region = "450200";  // City B's operator sees City B's transactions only
  auto scoped = Invitations(*f.store, r);
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->invitations.size(), 1u);
  EXPECT_EQ(scoped->invitations[0].transaction_id, "T6");

  r.scope = {};
  r.after_days = 0;
  r.at = "2024-03-03 10:00";
  auto zero = Invitations(*f.store, r);
  ASSERT_TRUE(zero.ok());
  // 03-03 10:00 itself is included (completed_at + 0 <= at).
  EXPECT_EQ(zero->invitations.size(), 4u);
  r.after_days = 366;
  EXPECT_EQ(Invitations(*f.store, r).status().code(), StatusCode::kUsage);
}

}  // namespace
}  // namespace govqm::app
