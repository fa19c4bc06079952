// Intake, completion, backlog, data-quality and divide indicators on hand-built transactions.
// Period: March 2024 in Shanghai (UTC+8); expected values are worked out in the comments.
#include <gtest/gtest.h>

#include "test_util.h"

namespace govqm {
namespace {

using enginetest::AddRow;
using enginetest::At;
using enginetest::IsNullValue;
using enginetest::Options;
using enginetest::Compute;
using enginetest::Val;

constexpr double kEps = 1e-9;

Dataset IntakeData() {
  Dataset d;
  Table& t = d.transactions;
  // t1: exactly at `from` -> counts. Online, visits 0, materials 2 of 4, cross, instant,
  // reported 2 h later, age 65; all seven completeness fields filled.
  AddRow(t, {{"id", "t1"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "in_progress"},
             {"submitted_at", "2024-03-01 00:00"}, {"accepted_at", "2024-03-01 00:00"},
             {"due_at", "2024-03-11 00:00"}, {"visits", "0"}, {"materials_required", "4"},
             {"materials_exempted", "2"}, {"cross_region", "true"}, {"promised_days", "0"},
             {"statutory_days", "20"}, {"reported_at", "2024-03-01 02:00"},
             {"applicant_age", "65"}});
  // t2: hall (offline), wait 10, visits 1, materials_required 0 (left out), lag 4 h, age 30.
  AddRow(t, {{"id", "t2"}, {"region_code", "R1"}, {"channel", "hall"}, {"status", "in_progress"},
             {"submitted_at", "2024-03-05 10:00"}, {"visits", "1"}, {"materials_required", "0"},
             {"materials_exempted", "0"}, {"cross_region", "false"}, {"promised_days", "5"},
             {"wait_minutes", "10"}, {"reported_at", "2024-03-05 14:00"},
             {"applicant_age", "30"}});
  // t3: kiosk (offline), wait 40 (> 30), visits 2, exempted null (left out), never reported.
  AddRow(t, {{"id", "t3"}, {"region_code", "R1"}, {"channel", "kiosk"}, {"status", "in_progress"},
             {"submitted_at", "2024-03-10 09:00"}, {"visits", "2"}, {"materials_required", "3"},
             {"wait_minutes", "40"}});
  // t4: app (online; its wait is not an offline wait), materials 1 of 2, reported after `to`
  // (counts: lag 48 h), age 70.
  AddRow(t, {{"id", "t4"}, {"region_code", "R1"}, {"channel", "app"}, {"status", "in_progress"},
             {"submitted_at", "2024-03-31 12:00"}, {"materials_required", "2"},
             {"materials_exempted", "1"}, {"wait_minutes", "50"},
             {"reported_at", "2024-04-02 12:00"}, {"applicant_age", "70"}});
  // t5 exactly at `to` and t6 before `from`: not intake.
  AddRow(t, {{"id", "t5"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "in_progress"},
             {"submitted_at", "2024-04-01 00:00"}});
  AddRow(t, {{"id", "t6"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "in_progress"},
             {"submitted_at", "2024-02-28 00:00"}});
  // t7: an unmapped channel (mode other), age 45, nothing else.
  AddRow(t, {{"id", "t7"}, {"region_code", "R1"}, {"channel", "fax"}, {"status", "in_progress"},
             {"submitted_at", "2024-03-15 10:00"}, {"applicant_age", "45"}});
  return d;
}

TEST(Intake, EveryIntakeIndicatorByHand) {
  const auto rows = Compute(IntakeData(), Options("2024-03-01", "2024-04-01"));
  // Intake rows: t1, t2, t3, t4, t7.
  EXPECT_EQ(Val(rows, "volume"), 5);
  EXPECT_NEAR(Val(rows, "online_rate"), 2.0 / 5, kEps);          // t1 web, t4 app
  EXPECT_NEAR(Val(rows, "zero_visit_rate"), 1.0 / 3, kEps);      // visits 0,1,2 (t4,t7 null)
  EXPECT_NEAR(Val(rows, "one_visit_rate"), 2.0 / 3, kEps);
  EXPECT_NEAR(Val(rows, "avg_visits"), 1.0, kEps);               // (0+1+2)/3
  EXPECT_NEAR(Val(rows, "material_exemption_rate"), 3.0 / 6, kEps);  // (2+1)/(4+2)
  EXPECT_NEAR(Val(rows, "cross_region_rate"), 1.0 / 2, kEps);    // true, false
  EXPECT_NEAR(Val(rows, "instant_rate"), 1.0 / 2, kEps);         // promised 0, 5
  EXPECT_NEAR(Val(rows, "avg_wait_minutes"), 25.0, kEps);        // offline waits 10, 40
  EXPECT_NEAR(Val(rows, "long_wait_rate"), 1.0 / 2, kEps);       // 40 > 30
  EXPECT_NEAR(Val(rows, "sync_rate"), 3.0 / 5, kEps);            // t1, t2, t4 (after to)
  // Lags 2, 4, 48 h: h = 0.95*2 = 1.9 -> 4 + 0.9*(48-4) = 43.6.
  EXPECT_NEAR(Val(rows, "sync_lag_p95_hours"), 43.6, kEps);
  // Filled cells: t1 7, t2 4 (age, promised, visits, materials), t3 2, t4 2, t7 1 = 16 of 35.
  EXPECT_NEAR(Val(rows, "completeness_rate"), 16.0 / 35, kEps);
  // Age >= 60: t1 and t4, both online -> 1 - 0.4.
  EXPECT_NEAR(Val(rows, "elderly_online_gap"), 0.6, kEps);
  // freshness: newest submission before `to` is t4 at 03-31 12:00 -> 12 h.
  EXPECT_NEAR(Val(rows, "freshness_hours"), 12.0, kEps);
}

TEST(Intake, EmptyDenominatorsAreNullAndCountsZero) {
  Dataset d;
  // One offline row with every optional field null.
  AddRow(d.transactions, {{"id", "x"}, {"region_code", "R1"}, {"channel", "hall"},
                          {"status", "in_progress"}, {"submitted_at", "2024-03-02 00:00"}});
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01"));
  EXPECT_EQ(Val(rows, "volume"), 1);
  EXPECT_EQ(Val(rows, "online_rate"), 0);
  for (const char* code : {"zero_visit_rate", "one_visit_rate", "avg_visits",
                           "material_exemption_rate", "cross_region_rate", "instant_rate",
                           "avg_wait_minutes", "long_wait_rate", "sync_lag_p95_hours",
                           "elderly_online_gap"}) {
    EXPECT_TRUE(IsNullValue(rows, code)) << code;
  }
  EXPECT_EQ(Val(rows, "sync_rate"), 0);
  EXPECT_EQ(Val(rows, "completeness_rate"), 0);
  EXPECT_EQ(Val(rows, "open_overdue"), 0);
  // No completed transaction, but the group has a transaction in the period: completion
  // indicators appear, the count 0 and the rates null.
  EXPECT_EQ(Val(rows, "completed"), 0);
  EXPECT_TRUE(IsNullValue(rows, "on_time_rate"));
  EXPECT_TRUE(IsNullValue(rows, "unrated_rate"));
}

Dataset CompletionData() {
  Dataset d;
  Table& t = d.transactions;
  // c1: completed exactly at `from` (counts), on its due instant (on time); handling from
  // 02-20 10:00 to 03-01 00:00 = 9 d 14 h; compression 1 - 10/20 = 0.5.
  AddRow(t, {{"id", "c1"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "completed"},
             {"submitted_at", "2024-02-20 09:00"}, {"accepted_at", "2024-02-20 10:00"},
             {"completed_at", "2024-03-01 00:00"}, {"due_at", "2024-03-01 00:00"},
             {"promised_days", "10"}, {"statutory_days", "20"}});
  // c2: 2.5 days, late (due 03-04 00:00, done 03-04 20:00); statutory 0 -> no compression.
  AddRow(t, {{"id", "c2"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "completed"},
             {"submitted_at", "2024-03-02 08:00"}, {"accepted_at", "2024-03-02 08:00"},
             {"completed_at", "2024-03-04 20:00"}, {"due_at", "2024-03-04 00:00"},
             {"promised_days", "5"}, {"statutory_days", "0"}});
  // c3: no accepted_at (no handling time), no due_at; compression 1 - 3/4 = 0.25.
  AddRow(t, {{"id", "c3"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "completed"},
             {"submitted_at", "2024-03-05 00:00"}, {"completed_at", "2024-03-06 00:00"},
             {"promised_days", "3"}, {"statutory_days", "4"}});
  // c4: completed exactly at `to`: not in period.
  AddRow(t, {{"id", "c4"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "completed"},
             {"submitted_at", "2024-03-05 00:00"}, {"completed_at", "2024-04-01 00:00"}});
  // c5: a completed_at on a transaction that is not completed is ignored.
  AddRow(t, {{"id", "c5"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "rejected"},
             {"submitted_at", "2024-03-05 00:00"}, {"completed_at", "2024-03-07 00:00"}});
  // c6: 1 day, on time; promised null -> no compression (the item's value is not used).
  AddRow(t, {{"id", "c6"}, {"region_code", "R1"}, {"channel", "web"}, {"status", "completed"},
             {"submitted_at", "2024-03-10 00:00"}, {"accepted_at", "2024-03-10 00:00"},
             {"completed_at", "2024-03-11 00:00"}, {"due_at", "2024-03-20 00:00"},
             {"statutory_days", "10"}});
  AddRow(d.items, {{"code", "I"}, {"promised_days", "1"}, {"statutory_days", "10"}});
  // Evaluations of c1 (dated after the period: any date counts) and c6; "c2x" is no match.
  AddRow(d.evaluations, {{"id", "e1"}, {"transaction_id", "c1"}, {"region_code", "R1"},
                         {"evaluated_at", "2024-05-01 00:00"}, {"score", "5"}});
  AddRow(d.evaluations, {{"id", "e2"}, {"transaction_id", "c2x"}, {"region_code", "R1"},
                         {"evaluated_at", "2024-03-05 00:00"}, {"score", "5"}});
  AddRow(d.evaluations, {{"id", "e3"}, {"transaction_id", "c6"}, {"region_code", "R9"},
                         {"evaluated_at", "2024-03-12 00:00"}, {"score", "4"}});
  AddRow(d.evaluations, {{"id", "e4"}, {"region_code", "R1"},
                         {"evaluated_at", "2024-03-12 00:00"}, {"score", "4"}});
  return d;
}

TEST(Completion, EveryCompletionIndicatorByHand) {
  const auto rows = Compute(CompletionData(), Options("2024-03-01", "2024-04-01", {GroupKey::kRegion}));
  const std::vector<std::string> r1 = {"R1"};
  EXPECT_EQ(Val(rows, "completed", r1), 4);                     // c1, c2, c3, c6
  EXPECT_NEAR(Val(rows, "on_time_rate", r1), 2.0 / 3, kEps);    // c1, c6 of c1, c2, c6
  // Handling days 9.583333, 2.5, 1: mean 13.083333/3.
  EXPECT_NEAR(Val(rows, "avg_handling_days", r1), (9.0 + 14.0 / 24 + 2.5 + 1) / 3, kEps);
  // p90: sorted 1, 2.5, 9.5833; h = 0.9*2 = 1.8 -> 2.5 + 0.8*(9.5833-2.5) = 8.166667.
  EXPECT_NEAR(Val(rows, "p90_handling_days", r1), 2.5 + 0.8 * (9.0 + 14.0 / 24 - 2.5), kEps);
  EXPECT_NEAR(Val(rows, "time_compression_rate", r1), (0.5 + 0.25) / 2, kEps);
  // Unrated: c2 and c3 have no evaluation with their id -> 2/4 (grouped by the tx's region).
  EXPECT_NEAR(Val(rows, "unrated_rate", r1), 0.5, kEps);
}

// A group appears for both families once it has a transaction in the period by either
// anchor, also when only one family is asked for (--only).
TEST(Completion, GroupsSeenByEitherAnchor) {
  Dataset d;
  // R1: one transaction submitted in February, completed in March (a completion only).
  AddRow(d.transactions, {{"id", "a"}, {"region_code", "R1"}, {"channel", "web"},
                          {"status", "completed"}, {"submitted_at", "2024-02-20 00:00"},
                          {"completed_at", "2024-03-02 00:00"}});
  // R2: one submitted in March, still in progress (a submission only).
  AddRow(d.transactions, {{"id", "b"}, {"region_code", "R2"}, {"channel", "web"},
                          {"status", "in_progress"}, {"submitted_at", "2024-03-03 00:00"}});
  const std::vector<std::string> r1 = {"R1"}, r2 = {"R2"};
  for (std::vector<std::string> only :
       {std::vector<std::string>{}, {"volume"}, {"completed"}, {"volume", "completed"}}) {
    EngineOptions o = Options("2024-03-01", "2024-04-01", {GroupKey::kRegion});
    o.only = only;
    const auto rows = Compute(d, o);
    const bool intake = only.empty() || only[0] == "volume";
    const bool completion = only.empty() || only.back() == "completed";
    if (intake) {
      EXPECT_EQ(Val(rows, "volume", r1), 0);
      EXPECT_EQ(Val(rows, "volume", r2), 1);
    }
    if (completion) {
      EXPECT_EQ(Val(rows, "completed", r1), 1);
      EXPECT_EQ(Val(rows, "completed", r2), 0);
    }
    EXPECT_EQ(rows.size(), only.empty() ? rows.size() : 2 * only.size());
  }
}

Dataset BacklogData() {
  Dataset d;
  Table& t = d.transactions;
  auto add = [&](const char* id, const char* status, const char* sub, const char* acc,
                 const char* due, const char* done) {
    AddRow(t, {{"id", id}, {"region_code", "R1"}, {"channel", "web"}, {"status", status},
               {"submitted_at", sub}, {"accepted_at", acc}, {"due_at", due},
               {"completed_at", done}});
  };
  add("b1", "in_progress", "2024-03-01 00:00", "2024-03-01 00:00", "2024-03-11 00:00", "");  // yes
  add("b2", "in_progress", "2024-03-01 00:00", "2024-03-01 00:00", "2024-04-05 00:00", "");  // not due
  add("b3", "completed", "2024-03-01 00:00", "2024-03-01 00:00", "2024-03-10 00:00",
      "2024-03-20 00:00");                                                // done before to
  add("b4", "completed", "2024-03-01 00:00", "2024-03-01 00:00", "2024-03-15 00:00",
      "2024-04-03 00:00");                                                // done after to: yes
  add("b5", "rejected", "2024-03-01 00:00", "2024-03-01 00:00", "2024-03-02 00:00", "");
  add("b6", "in_progress", "2024-03-01 00:00", "", "2024-03-02 00:00", "");  // never accepted
  add("b7", "in_progress", "2024-02-01 00:00", "2024-02-01 00:00", "2024-02-10 00:00", "");  // yes
  add("b8", "withdrawn", "2024-03-01 00:00", "2024-03-01 00:00", "2024-03-02 00:00", "");
  add("b9", "in_progress", "2024-03-05 00:00", "2024-03-05 00:00", "2024-04-01 00:00", "");  // due = to
  add("b10", "in_progress", "2024-02-29 12:00", "", "", "");              // newest in February
  add("b11", "in_progress", "2024-03-31 18:00", "", "", "");              // newest in March
  add("b12", "in_progress", "2024-04-02 00:00", "", "", "");              // after to: ignored
  return d;
}

TEST(Backlog, OpenOverdueAtTheEndOfThePeriod) {
  const auto rows = Compute(BacklogData(), Options("2024-03-01", "2024-04-01"));
  EXPECT_EQ(Val(rows, "open_overdue"), 3);  // b1, b4, b7
  EXPECT_NEAR(Val(rows, "freshness_hours"), 6.0, kEps);  // b11 at 18:00 -> 24:00
}

TEST(Backlog, ByMonthTakenAtEachMonthEnd) {
  const auto rows = Compute(BacklogData(), Options("2024-02-01", "2024-04-01", {GroupKey::kMonth}));
  // End of February (03-01 00:00): only b7 (b1 accepted exactly at the bucket end: not before).
  EXPECT_EQ(Val(rows, "open_overdue", {"2024-02"}), 1);
  EXPECT_NEAR(Val(rows, "freshness_hours", {"2024-02"}), 12.0, kEps);  // b10 02-29 12:00
  EXPECT_EQ(Val(rows, "open_overdue", {"2024-03"}), 3);
  EXPECT_NEAR(Val(rows, "freshness_hours", {"2024-03"}), 6.0, kEps);
  // Intake by month: February has b7, b10; March b1..b6, b8, b9, b11.
  EXPECT_EQ(Val(rows, "volume", {"2024-02"}), 2);
  EXPECT_EQ(Val(rows, "volume", {"2024-03"}), 9);
}

TEST(Backlog, ByRegionCountsRecordsOfTheGroup) {
  Dataset d = BacklogData();
  AddRow(d.transactions, {{"id", "z1"}, {"region_code", "R2"}, {"channel", "web"},
                          {"status", "in_progress"}, {"submitted_at", "2023-12-01 00:00"},
                          {"accepted_at", "2023-12-01 00:00"}, {"due_at", "2023-12-02 00:00"}});
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01", {GroupKey::kRegion}));
  EXPECT_EQ(Val(rows, "open_overdue", {"R1"}), 3);
  // R2 has no intake in March but its stale overdue record is in the backlog, and its feed is
  // 122 days old at the end of March (31 + 31 + 29 + 31 days, 2023-12-01 -> 2024-04-01).
  EXPECT_EQ(Val(rows, "open_overdue", {"R2"}), 1);
  EXPECT_NEAR(Val(rows, "freshness_hours", {"R2"}), 122 * 24.0, kEps);
  EXPECT_FALSE(enginetest::Get(rows, "volume", {"R2"}).has_value());
}

}  // namespace
}  // namespace govqm
