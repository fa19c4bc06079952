#include "core/closed_loop.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace govqm {
namespace {

int64_t Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return DaysFromCivil(y, m, d) * kMsPerDay + h * kMsPerHour + min * kMsPerMinute;
}

WorkingCalendar Load2024() {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/config/calendars/cn-2024.cal");
  std::stringstream ss;
  ss << in.rdbuf();
  auto cal = WorkingCalendar::Parse(ss.str(), "cn-2024.cal");
  EXPECT_TRUE(cal.ok()) << cal.status().message();
  return cal.ok() ? cal.value() : WorkingCalendar();
}

TEST(ClosedLoop, WhatIsACase) {
  EXPECT_TRUE(IsCase(1, true));
  EXPECT_TRUE(IsCase(2, true));
  EXPECT_FALSE(IsCase(3, true));
  EXPECT_FALSE(IsCase(1, false));
}

TEST(ClosedLoop, NamesRoundTrip) {
  EXPECT_EQ(CaseStateName(CaseState::kRevisited), "revisited");
  EXPECT_EQ(ParseCaseState("invalid"), CaseState::kInvalid);
  EXPECT_FALSE(ParseCaseState("done").has_value());
  EXPECT_EQ(CaseActionName(CaseAction::kInvalidate), "invalidate");
  EXPECT_EQ(ParseCaseAction("revisit"), CaseAction::kRevisit);
  EXPECT_FALSE(ParseCaseAction("revisited").has_value());
  EXPECT_EQ(EventOfAction(CaseAction::kAssign), "assigned");
  EXPECT_EQ(EventOfAction(CaseAction::kInvalidate), "invalid");
  EXPECT_EQ(ActionOfEvent("closed"), CaseAction::kClose);
  EXPECT_FALSE(ActionOfEvent("close").has_value());
}

TEST(ClosedLoop, TransitionEnforcesTheOrder) {
  auto bad = Transition("E123", CaseState::kOpen, CaseAction::kRevisit);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(bad.status().message(), "case E123: cannot revisit a case that is open");

  EXPECT_EQ(Transition("E1", CaseState::kOpen, CaseAction::kVerify).value(), CaseState::kVerified);
  EXPECT_EQ(Transition("E1", CaseState::kVerified, CaseAction::kRectify).value(),
            CaseState::kRectified);
  EXPECT_EQ(Transition("E1", CaseState::kRectified, CaseAction::kRevisit).value(),
            CaseState::kRevisited);
  EXPECT_EQ(Transition("E1", CaseState::kRevisited, CaseAction::kClose).value(),
            CaseState::kClosed);
  EXPECT_EQ(Transition("E1", CaseState::kOpen, CaseAction::kAssign).value(), CaseState::kOpen);
  EXPECT_EQ(Transition("E1", CaseState::kRectified, CaseAction::kInvalidate).value(),
            CaseState::kInvalid);

  EXPECT_EQ(Transition("E7", CaseState::kRectified, CaseAction::kClose).status().message(),
            "case E7: cannot close a case that is rectified");
  EXPECT_EQ(Transition("E7", CaseState::kVerified, CaseAction::kVerify).status().message(),
            "case E7: cannot verify a case that is verified");
  EXPECT_EQ(Transition("E7", CaseState::kClosed, CaseAction::kInvalidate).status().message(),
            "case E7: cannot invalidate a case that is closed");
  EXPECT_EQ(Transition("E7", CaseState::kInvalid, CaseAction::kVerify).status().message(),
            "case E7: cannot verify a case that is invalid");
  EXPECT_FALSE(Transition("E7", CaseState::kRectified, CaseAction::kAssign).ok());
}

// Reviewed Thursday 2024-09-26 10:00+08 (02:00Z), around the 2024 National Day holiday.
class ClosedLoopHistory : public ::testing::Test {
 protected:
  const WorkingCalendar cal_ = Load2024();
  const FixedOffsetZone zone_{8 * kMsPerHour, "+08:00"};
  const ClosedLoopDeadlines d_;
  const int64_t review_ = Utc(2024, 9, 26, 2);
  // Listed out of order on purpose.
  const std::vector<CaseEvent> events_ = {
      {CaseAction::kClose, Utc(2024, 11, 6, 0)},
      {CaseAction::kRectify, Utc(2024, 10, 25, 0)},      // 10-25 08:00 local: late
      {CaseAction::kAssign, Utc(2024, 9, 30, 1)},        // changes nothing
      {CaseAction::kVerify, Utc(2024, 9, 29, 1)},        // Sunday 09-29 (调休 working day)
      {CaseAction::kRevisit, Utc(2024, 11, 1, 10)},
  };
  CaseStatus At(int64_t t) const { return CaseStatusAt(review_, events_, t, cal_, zone_, d_); }
};

TEST_F(ClosedLoopHistory, BeforeTheReviewThereIsNoCaseYet) {
  const CaseStatus s = At(Utc(2024, 9, 26, 1));
  EXPECT_FALSE(s.opened);
  EXPECT_FALSE(s.overdue);
}

TEST_F(ClosedLoopHistory, OpenThenOverdueForVerification) {
  // Verify within 1 working day of Thursday 09-26: end of Friday 09-27 local = 09-27 16:00Z.
  const CaseStatus s = At(Utc(2024, 9, 27, 15, 59));
  EXPECT_TRUE(s.opened);
  EXPECT_EQ(s.state, CaseState::kOpen);
  EXPECT_EQ(s.since, review_);
  EXPECT_EQ(s.next, CaseAction::kVerify);
  EXPECT_EQ(s.deadline, Utc(2024, 9, 27, 16));
  EXPECT_FALSE(s.overdue);
  EXPECT_FALSE(At(Utc(2024, 9, 27, 16)).overdue);  // at the deadline itself: not yet
  EXPECT_TRUE(At(Utc(2024, 9, 27, 16, 1)).overdue);
  EXPECT_TRUE(At(Utc(2024, 9, 28, 4)).overdue);
}

TEST_F(ClosedLoopHistory, VerifiedCountsRectificationFromTheVerification) {
  // Verified Sunday 09-29 local; 15 working days after it: 09-30, 10-08, 09, 10, 11,
  // 12 (Sat, work), 14, 15, 16, 17, 18, 21, 22, 23, 24 -> end of 10-24 local = 10-24 16:00Z.
  const CaseStatus s = At(Utc(2024, 10, 1, 0));
  EXPECT_EQ(s.state, CaseState::kVerified);
  EXPECT_EQ(s.since, Utc(2024, 9, 29, 1));
  EXPECT_EQ(s.next, CaseAction::kRectify);
  EXPECT_EQ(s.deadline, Utc(2024, 10, 24, 16));
  EXPECT_FALSE(s.overdue);
  // 10-25 04:00 local, not rectified yet: overdue.
  const CaseStatus late = At(Utc(2024, 10, 24, 20));
  EXPECT_EQ(late.state, CaseState::kVerified);
  EXPECT_TRUE(late.overdue);
}

TEST_F(ClosedLoopHistory, RectifiedThenRevisitedThenClosed) {
  // Rectified Friday 10-25 local; revisit within 5: 10-28, 29, 30, 31, 11-01 -> 11-01 16:00Z.
  const CaseStatus r = At(Utc(2024, 10, 25, 0));  // the event's own instant counts
  EXPECT_EQ(r.state, CaseState::kRectified);
  EXPECT_EQ(r.next, CaseAction::kRevisit);
  EXPECT_EQ(r.deadline, Utc(2024, 11, 1, 16));
  EXPECT_FALSE(r.overdue);

  const CaseStatus v = At(Utc(2024, 11, 5, 0));
  EXPECT_EQ(v.state, CaseState::kRevisited);
  EXPECT_FALSE(v.next.has_value());
  EXPECT_EQ(v.deadline, kNullTime);
  EXPECT_FALSE(v.overdue);

  EXPECT_EQ(At(Utc(2024, 11, 6, 0)).state, CaseState::kClosed);
}

TEST(ClosedLoop, InvalidAndTiesAndWeekdays) {
  const WorkingCalendar weekdays;
  const FixedOffsetZone utc(0, "UTC");
  const ClosedLoopDeadlines d{2, 3, 4};
  // Reviewed Friday 2024-03-08 12:00Z; verify within 2 working days: Mon 11, Tue 12 -> 03-13.
  const int64_t review = Utc(2024, 3, 8, 12);
  const CaseStatus open = CaseStatusAt(review, {}, Utc(2024, 3, 13, 0), weekdays, utc, d);
  EXPECT_EQ(open.deadline, Utc(2024, 3, 13, 0));
  EXPECT_FALSE(open.overdue);
  EXPECT_TRUE(CaseStatusAt(review, {}, Utc(2024, 3, 13, 0, 1), weekdays, utc, d).overdue);

  const CaseStatus inv = CaseStatusAt(review, {{CaseAction::kInvalidate, Utc(2024, 3, 9, 0)}},
                                      Utc(2024, 4, 1, 0), weekdays, utc, d);
  EXPECT_EQ(inv.state, CaseState::kInvalid);
  EXPECT_FALSE(inv.next.has_value());
  EXPECT_FALSE(inv.overdue);

  // Two events at the same instant: the later one listed wins. Rectified Monday 03-11:
  // revisit within 4 working days: 12, 13, 14, 15 -> end of Friday 03-15.
  const int64_t t = Utc(2024, 3, 11, 9);
  const CaseStatus tie = CaseStatusAt(
      review, {{CaseAction::kVerify, t}, {CaseAction::kRectify, t}}, t, weekdays, utc, d);
  EXPECT_EQ(tie.state, CaseState::kRectified);
  EXPECT_EQ(tie.deadline, Utc(2024, 3, 16, 0));
}

}  // namespace
}  // namespace govqm
