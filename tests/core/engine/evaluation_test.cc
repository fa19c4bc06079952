// Evaluation and rectification indicators on hand-built data (Shanghai, UTC+8).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace govqm {
namespace {

using enginetest::AddRow;
using enginetest::Compute;
using enginetest::Get;
using enginetest::IsNullValue;
using enginetest::Options;
using enginetest::Val;

constexpr double kEps = 1e-9;

void Eval(Dataset& d, const char* id, const char* at, const char* score, const char* active,
          const char* age, const char* real_name = "", const char* region = "R1") {
  AddRow(d.evaluations, {{"id", id}, {"region_code", region}, {"evaluated_at", at},
                         {"score", score}, {"active", active}, {"evaluator_age", age},
                         {"real_name", real_name}});
}

TEST(Evaluations, EveryEvaluationIndicatorByHand) {
  Dataset d;
  Eval(d, "e1", "2024-03-01 00:00", "5", "true", "65");   // exactly at from: counts
  Eval(d, "e2", "2024-03-02 00:00", "4", "false", "30");
  Eval(d, "e3", "2024-03-03 00:00", "3", "", "");         // active and age unknown
  Eval(d, "e4", "2024-03-04 00:00", "2", "true", "70");
  Eval(d, "e5", "2024-03-31 20:00", "1", "true", "20");
  Eval(d, "e6", "2024-04-01 00:00", "1", "true", "20");   // exactly at to: not counted
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01"));
  EXPECT_EQ(Val(rows, "evaluations"), 5);
  EXPECT_NEAR(Val(rows, "positive_rate"), 3.0 / 5, kEps);  // scores 5, 4, 3
  EXPECT_NEAR(Val(rows, "negative_rate"), 2.0 / 5, kEps);  // 2, 1
  EXPECT_NEAR(Val(rows, "top2_rate"), 2.0 / 5, kEps);      // 5, 4
  EXPECT_NEAR(Val(rows, "mean_score"), 15.0 / 5, kEps);
  EXPECT_NEAR(Val(rows, "active_positive_rate"), 1.0 / 3, kEps);  // active e1, e4, e5
  // Age >= 60: e1 (5), e4 (2): mean 3.5 - 3.0.
  EXPECT_NEAR(Val(rows, "elderly_satisfaction_gap"), 0.5, kEps);
  EXPECT_NEAR(Val(rows, "eval_freshness_hours"), 4.0, kEps);  // e5 at 20:00
  // No transactions at all: no unrated_rate row.
  EXPECT_FALSE(Get(rows, "unrated_rate").has_value());
}

TEST(Evaluations, NoElderlyOrActiveGivesNull) {
  Dataset d;
  Eval(d, "e1", "2024-03-05 00:00", "4", "", "");
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01"));
  EXPECT_TRUE(IsNullValue(rows, "active_positive_rate"));
  EXPECT_TRUE(IsNullValue(rows, "elderly_satisfaction_gap"));
  // No case in the period, but the group has evaluations in it: the rectification rates
  // appear, null (empty denominators).
  EXPECT_TRUE(IsNullValue(rows, "reply_rate"));
  EXPECT_TRUE(IsNullValue(rows, "rectification_rate"));
}

void Event(Dataset& d, const char* eval_id, const char* event, const char* at,
           const char* revisit_score = "") {
  AddRow(d.rectifications, {{"evaluation_id", eval_id}, {"event", event}, {"at", at},
                            {"revisit_score", revisit_score}});
}

// April 2024, rectify within 5 working days. Reviews on Wednesday 2024-04-03: with the
// official calendar 04-04..04-06 are off (清明) and Sunday 04-07 is a make-up working day, so
// the 5th working day is 04-11 (07, 08, 09, 10, 11) and the deadline 04-12 00:00. With plain
// Monday–Friday it is 04-10 (04, 05, 08, 09, 10) and the deadline 04-11 00:00.
Dataset CaseData() {
  Dataset d;
  Eval(d, "k1", "2024-04-03 10:00", "1", "", "", "true");
  Event(d, "k1", "verified", "2024-04-03 12:00");
  Event(d, "k1", "rectified", "2024-04-11 23:00");   // first rectified: on time (calendar)
  Event(d, "k1", "rectified", "2024-04-20 00:00");   // a later one does not count
  Event(d, "k1", "revisited", "2024-04-12 00:00", "4");
  Event(d, "k1", "revisited", "2024-04-13 00:00", "2");  // latest with a score: 2 (not good)
  Event(d, "k1", "revisited", "2024-04-14 00:00");       // latest, but no score
  Eval(d, "k2", "2024-04-03 11:00", "2", "", "", "true");
  Event(d, "k2", "rectified", "2024-04-12 09:00");   // after the deadline
  Event(d, "k2", "closed", "2024-04-13 09:00");
  Event(d, "k2", "revisited", "2024-05-10 00:00", "5");  // after `to`: still counts
  Eval(d, "k3", "2024-04-10 09:00", "1", "", "", "true");
  Event(d, "k3", "verified", "2024-04-10 10:00");
  Event(d, "k3", "closed", "2024-04-12 10:00");      // closed without a rectified event
  Eval(d, "k4", "2024-04-15 09:00", "2", "", "", "true");
  Event(d, "k4", "verified", "2024-04-15 10:00");
  Event(d, "k4", "rectified", "2024-04-16 10:00");
  Event(d, "k4", "invalid", "2024-04-17 10:00");     // invalid: left out of every rate
  Eval(d, "k5", "2024-04-16 09:00", "1", "", "", "false");  // not real-name: no case
  Event(d, "k5", "verified", "2024-04-16 10:00");
  Eval(d, "k6", "2024-04-20 09:00", "3", "", "", "true");   // not a bad review
  Eval(d, "k7", "2024-03-31 09:00", "1", "", "", "true");   // before the period
  Event(d, "k7", "verified", "2024-04-01 10:00");
  Eval(d, "k8", "2024-04-25 09:00", "2", "", "", "");       // real_name unknown: no case
  Eval(d, "k9", "2024-04-26 09:00", "2", "", "", "true");   // a case with no events
  Event(d, "nobody", "verified", "2024-04-26 10:00");       // unknown review: ignored
  return d;
}

WorkingCalendar Cn2024() {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/config/calendars/cn-2024.cal");
  std::stringstream ss;
  ss << in.rdbuf();
  auto cal = WorkingCalendar::Parse(ss.str(), "cn-2024.cal");
  EXPECT_TRUE(cal.ok());
  return cal.ok() ? cal.value() : WorkingCalendar();
}

TEST(Rectification, EveryRectificationIndicatorByHand) {
  const WorkingCalendar cal = Cn2024();
  EngineOptions o = Options("2024-04-01", "2024-05-01");
  o.calendar = &cal;
  o.rectify_days = 5;
  const auto rows = Compute(CaseData(), o);
  // Cases (invalid k4 left out): k1, k2, k3, k9.
  EXPECT_NEAR(Val(rows, "reply_rate"), 2.0 / 4, kEps);          // verified: k1, k3
  EXPECT_NEAR(Val(rows, "rectification_rate"), 3.0 / 4, kEps);  // k1, k2 rectified; k3 closed
  EXPECT_NEAR(Val(rows, "rectification_on_time_rate"), 1.0 / 2, kEps);  // k1 of k1, k2
  EXPECT_NEAR(Val(rows, "revisit_rate"), 2.0 / 2, kEps);        // k1, k2 revisited
  EXPECT_NEAR(Val(rows, "revisit_satisfaction"), 1.0 / 2, kEps);  // k1 latest 2, k2 5
}

TEST(Rectification, WithoutACalendarWeekdaysDecideTheDeadline) {
  EngineOptions o = Options("2024-04-01", "2024-05-01");
  o.rectify_days = 5;
  const auto rows = Compute(CaseData(), o);
  // Deadline 04-11 00:00: k1 (04-11 23:00) is now late too.
  EXPECT_NEAR(Val(rows, "rectification_on_time_rate"), 0.0, kEps);
  // Default 15 working days: both k1 and k2 on time.
  const auto rows15 = Compute(CaseData(), Options("2024-04-01", "2024-05-01"));
  EXPECT_NEAR(Val(rows15, "rectification_on_time_rate"), 1.0, kEps);
}

TEST(Rectification, GroupedByTheBadReviewsCodesAndAge) {
  Dataset d;
  AddRow(d.evaluations, {{"id", "a"}, {"region_code", "R1"}, {"evaluated_at", "2024-04-03 10:00"},
                         {"score", "1"}, {"real_name", "true"}, {"evaluator_age", "72"}});
  AddRow(d.evaluations, {{"id", "b"}, {"region_code", "R2"}, {"evaluated_at", "2024-04-03 10:00"},
                         {"score", "1"}, {"real_name", "true"}});
  Event(d, "a", "verified", "2024-04-03 11:00");
  Event(d, "b", "invalid", "2024-04-03 11:00");
  const auto rows = Compute(d, Options("2024-04-01", "2024-05-01",
                                       {GroupKey::kRegion, GroupKey::kAgeBand}));
  EXPECT_NEAR(Val(rows, "reply_rate", {"R1", "70+"}), 1.0, kEps);
  // R2's only case is invalid: the group appears, every rate is null.
  EXPECT_TRUE(IsNullValue(rows, "reply_rate", {"R2", ""}));
  EXPECT_TRUE(IsNullValue(rows, "rectification_rate", {"R2", ""}));
}

}  // namespace
}  // namespace govqm
