// The alert rules of service.md §7 on a hand-made series with a known shift. The baseline's μ0
// and σ0 and the first limits are worked by hand below; the day-by-day z_t, limits and S_t were
// computed independently by a 40-line Python script written from the text of §7 (plain floats,
// same formulas, no govqm code), and pasted here.
#include "core/alerts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace govqm {
namespace {

// Baseline days 90..99 (baseline_days = 10 before from_day = 100): eight kept days
// 0.10 0.12 0.08 0.11 0.09 0.10 0.12 0.08 (mean 0.80/8 = 0.10; squared deviations sum to
// 18e-4, /8 = 2.25e-4, σ0 = 0.015), day 98 skipped (n = 5 < 20) although its value is far off,
// day 99 absent. Monitored 100..115: a shift up from day 103, back down 107..110, up again
// from 111; day 102 skipped (n = 3, value 0.90), day 114 absent.
std::vector<DailyPoint> Series() {
  return {{90, 0.10, 50},  {91, 0.12, 50},  {92, 0.08, 50},  {93, 0.11, 50},  {94, 0.09, 50},
          {95, 0.10, 50},  {96, 0.12, 50},  {97, 0.08, 50},  {98, 0.50, 5},   {100, 0.10, 40},
          {101, 0.11, 40}, {102, 0.90, 3},  {103, 0.14, 40}, {104, 0.15, 40}, {105, 0.16, 40},
          {106, 0.15, 40}, {107, 0.09, 40}, {108, 0.08, 40}, {109, 0.08, 40}, {110, 0.07, 40},
          {111, 0.16, 40}, {112, 0.17, 40}, {113, 0.18, 40}, {115, 0.16, 40}};
}

ControlParams Params(ControlMethod m) {
  ControlParams p;
  p.method = m;
  p.baseline_days = 10;
  p.min_sample = 20;
  return p;  // λ = 0.2, L = 3, k = 0.5, h = 5
}

constexpr double kTol = 1e-9;

TEST(ControlChart, BaselineIsMeanAndPopulationDeviationOfKeptDays) {
  const auto s = Series();
  ControlResult r = RunControlChart(s, 100, 115, Params(ControlMethod::kEwma), BadDirection::kUp);
  ASSERT_TRUE(r.has_baseline);
  EXPECT_EQ(r.baseline_kept, 8);
  EXPECT_NEAR(r.mu0, 0.10, kTol);
  EXPECT_NEAR(r.sigma0, 0.015, kTol);
}

TEST(ControlChart, EwmaDayByDayWithSkippedDayAndRearming) {
  const auto s = Series();
  ControlResult r = RunControlChart(s, 100, 115, Params(ControlMethod::kEwma), BadDirection::kUp);
  // Day 102 is skipped: 14 kept days, t = 1..14.
  struct Row { int64_t day; double z, limit; bool alert; };
  const Row want[] = {
      // t = 1 by hand: z = 0.2·0.10 + 0.8·0.10 = 0.10; limit = 0.10 + 3·0.015·sqrt(0.2/1.8·0.36)
      // = 0.10 + 0.045·0.2 = 0.109.
      {100, 0.1, 0.109, false},
      {101, 0.10200000000000002, 0.11152562362737911, false},
      {103, 0.10960000000000003, 0.11288478172108475, false},
      {104, 0.11768000000000003, 0.11368397836888088, true},   // passes the limit: alert
      {105, 0.12614400000000003, 0.11417183153159816, false},  // still outside: no new alert
      {106, 0.13091520000000004, 0.11447543152152638, false},
      {107, 0.12273216000000003, 0.11466643771847873, false},
      {108, 0.11418572800000003, 0.11478738695726902, false},  // back inside: re-armed
      {109, 0.10734858240000003, 0.11486427799576442, false},
      {110, 0.09987886592000003, 0.1149132802097538, false},
      {111, 0.11190309273600003, 0.11494455730469677, false},
      {112, 0.12352247418880004, 0.11496454033845858, true},   // passes again: second alert
      {113, 0.13481797935104003, 0.11497731548797936, false},
      {115, 0.13985438348083204, 0.11498548586816384, false},
  };
  ASSERT_EQ(r.steps.size(), std::size(want));
  for (size_t i = 0; i < r.steps.size(); ++i) {
    SCOPED_TRACE(want[i].day);
    EXPECT_EQ(r.steps[i].day, want[i].day);
    EXPECT_EQ(r.steps[i].t, static_cast<int64_t>(i + 1));
    EXPECT_NEAR(r.steps[i].value, want[i].z, kTol);
    EXPECT_NEAR(r.steps[i].limit, want[i].limit, kTol);
    EXPECT_EQ(r.steps[i].alert, want[i].alert);
  }
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].day, 104);
  EXPECT_EQ(r.alerts[0].t, 4);
  EXPECT_NEAR(r.alerts[0].x, 0.15, kTol);
  EXPECT_EQ(r.alerts[0].n, 40);
  EXPECT_NEAR(r.alerts[0].value, 0.11768000000000003, kTol);
  EXPECT_NEAR(r.alerts[0].limit, 0.11368397836888088, kTol);
  EXPECT_EQ(r.alerts[1].day, 112);
}

TEST(ControlChart, EwmaDownUsesTheLowerLimit) {
  const auto s = Series();
  ControlResult r =
      RunControlChart(s, 100, 115, Params(ControlMethod::kEwma), BadDirection::kDown);
  ASSERT_EQ(r.steps.size(), 14u);
  // t = 1: 0.10 − 0.009 = 0.091. The dip of 107..110 leaves z at 0.0999 at its lowest, far
  // above the lower limit: no alert.
  EXPECT_NEAR(r.steps[0].limit, 0.091, kTol);
  EXPECT_TRUE(r.alerts.empty());
}

TEST(ControlChart, CusumDayByDayResetsAfterEachAlert) {
  const auto s = Series();
  ControlResult r =
      RunControlChart(s, 100, 115, Params(ControlMethod::kCusum), BadDirection::kUp);
  // By hand for the first days: (x − 0.10)/0.015 − 0.5: day 100 → max(0, −0.5) = 0;
  // day 101 → 0.6667 − 0.5 = 0.1667; day 103 → 0.1667 + 2.6667 − 0.5 = 2.3333;
  // day 104 → 2.3333 + 3.3333 − 0.5 = 5.1667 > 5: alert, reset.
  struct Row { int64_t day; double s; bool alert; };
  const Row want[] = {
      {100, 0, false},
      {101, 0.1666666666666674, false},
      {103, 2.333333333333336, false},
      {104, 5.16666666666667, true},
      {105, 3.5000000000000018, false},  // from 0 after the reset: 4 − 0.5
      {106, 6.333333333333336, true},
      {107, 0, false},
      {108, 0, false},
      {109, 0, false},
      {110, 0, false},
      {111, 3.5000000000000018, false},
      {112, 7.666666666666671, true},
      {113, 4.833333333333334, false},
      {115, 8.333333333333336, true},
  };
  ASSERT_EQ(r.steps.size(), std::size(want));
  for (size_t i = 0; i < r.steps.size(); ++i) {
    SCOPED_TRACE(want[i].day);
    EXPECT_EQ(r.steps[i].day, want[i].day);
    EXPECT_NEAR(r.steps[i].value, want[i].s, kTol);
    EXPECT_EQ(r.steps[i].limit, 5);
    EXPECT_EQ(r.steps[i].alert, want[i].alert);
  }
  ASSERT_EQ(r.alerts.size(), 4u);
  EXPECT_EQ(r.alerts[1].day, 106);
  EXPECT_NEAR(r.alerts[1].value, 6.333333333333336, kTol);
  EXPECT_EQ(r.alerts[1].limit, 5);
}

TEST(ControlChart, CusumDownIsMirrored) {
  const auto s = Series();
  ControlResult r =
      RunControlChart(s, 100, 115, Params(ControlMethod::kCusum), BadDirection::kDown);
  ASSERT_EQ(r.steps.size(), 14u);
  // (0.10 − x)/0.015 − 0.5 accumulates over 107..110: 0.1667, 1.0, 1.8333, 3.3333; day 111
  // brings it back to 0. Never above 5.
  EXPECT_NEAR(r.steps[6].value, 0.1666666666666664, kTol);
  EXPECT_NEAR(r.steps[9].value, 3.3333333333333313, kTol);
  EXPECT_EQ(r.steps[10].value, 0);
  EXPECT_TRUE(r.alerts.empty());
}

TEST(ControlChart, NoBaselineWithFewerThanSevenKeptDays) {
  // Six kept baseline days (plus one skipped): no control alert whatever follows.
  std::vector<DailyPoint> s = {{90, 0.1, 50}, {91, 0.2, 50}, {92, 0.1, 50}, {93, 0.2, 50},
                               {94, 0.1, 50}, {95, 0.2, 50}, {96, 0.1, 10}, {100, 0.9, 50},
                               {101, 0.9, 50}};
  for (ControlMethod m : {ControlMethod::kEwma, ControlMethod::kCusum}) {
    ControlResult r = RunControlChart(s, 100, 101, Params(m), BadDirection::kUp);
    EXPECT_FALSE(r.has_baseline);
    EXPECT_EQ(r.baseline_kept, 6);
    EXPECT_TRUE(r.alerts.empty());
    EXPECT_TRUE(r.steps.empty());
  }
}

TEST(ControlChart, NoBaselineWhenSigmaIsZero) {
  std::vector<DailyPoint> s;
  for (int64_t d = 90; d < 100; ++d) s.push_back({d, 0.25, 30});
  s.push_back({100, 0.9, 30});
  ControlResult r = RunControlChart(s, 100, 100, Params(ControlMethod::kCusum), BadDirection::kUp);
  EXPECT_FALSE(r.has_baseline);
  EXPECT_EQ(r.baseline_kept, 10);
  EXPECT_EQ(r.sigma0, 0);
  EXPECT_TRUE(r.alerts.empty());
}

TEST(ControlChart, BaselineWindowIsBaselineDaysBeforeFrom) {
  // With baseline_days = 7, only days 93..99 count: 0.11 0.09 0.10 0.12 0.08 and the skipped
  // 98 → five kept days: no baseline, although days 90..92 exist.
  const auto s = Series();
  ControlParams p = Params(ControlMethod::kEwma);
  p.baseline_days = 7;
  ControlResult r = RunControlChart(s, 100, 115, p, BadDirection::kUp);
  EXPECT_EQ(r.baseline_kept, 5);
  EXPECT_FALSE(r.has_baseline);
}

TEST(Threshold, BelowAboveAndMinSample) {
  ThresholdRule below{ThresholdKind::kBelow, 0.95, 30};
  auto a = EvaluateThreshold(below, 0.94, 30);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 0.94);
  EXPECT_EQ(a->limit, 0.95);
  EXPECT_EQ(a->n, 30);
  EXPECT_FALSE(EvaluateThreshold(below, 0.95, 100));  // on the threshold: nothing
  EXPECT_FALSE(EvaluateThreshold(below, 0.10, 29));   // too few records
  ThresholdRule above{ThresholdKind::kAbove, 0.01, 30};
  EXPECT_TRUE(EvaluateThreshold(above, 0.0101, 40));
  EXPECT_FALSE(EvaluateThreshold(above, 0.01, 40));
}

TEST(Threshold, DropAgainstThePreviousPeriod) {
  ThresholdRule drop{ThresholdKind::kDrop, 0.05, 30};
  // 0.97 → 0.90: fell by 0.07 > 0.05; limit = 0.97 − 0.05 = 0.92.
  auto a = EvaluateThreshold(drop, 0.90, 50, 0.97, 60);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 0.90);
  EXPECT_NEAR(a->limit, 0.92, 1e-12);
  EXPECT_EQ(*a->previous, 0.97);
  EXPECT_FALSE(EvaluateThreshold(drop, 0.93, 50, 0.97, 60));   // fell by 0.04
  EXPECT_FALSE(EvaluateThreshold(drop, 0.90, 50, std::nullopt, 0));  // no previous period
  EXPECT_FALSE(EvaluateThreshold(drop, 0.90, 50, 0.97, 29));   // previous too thin
  EXPECT_FALSE(EvaluateThreshold(drop, 0.90, 29, 0.97, 60));   // current too thin
  EXPECT_FALSE(EvaluateThreshold(drop, 0.99, 50, 0.90, 60));   // a rise
}

TEST(Deadline, YellowFromEightyPercentRedAfterDue) {
  // Accepted at 1000, due at 2000: yellow from 1800 through 2000, red from 2001.
  EXPECT_EQ(DeadlineWarning(1000, 2000, 1799), DeadlineLevel::kNone);
  EXPECT_EQ(DeadlineWarning(1000, 2000, 1800), DeadlineLevel::kYellow);
  EXPECT_EQ(DeadlineWarning(1000, 2000, 2000), DeadlineLevel::kYellow);
  EXPECT_EQ(DeadlineWarning(1000, 2000, 2001), DeadlineLevel::kRed);
  EXPECT_EQ(DeadlineWarning(1000, 2000, 500), DeadlineLevel::kNone);
  EXPECT_EQ(YellowFrom(1000, 2000), 1800);
  // 0.8 · 7 = 5.6: yellow from 1005.6, i.e. the first whole second 1006.
  EXPECT_EQ(DeadlineWarning(1000, 1007, 1005), DeadlineLevel::kNone);
  EXPECT_EQ(DeadlineWarning(1000, 1007, 1006), DeadlineLevel::kYellow);
  EXPECT_EQ(YellowFrom(1000, 1007), 1006);
  // Due before accepted: an invalid record, no warning.
  EXPECT_EQ(DeadlineWarning(2000, 1000, 3000), DeadlineLevel::kNone);
}

TEST(BadDirection, FromTheCatalog) {
  EXPECT_EQ(BadDirectionOf("negative_rate"), BadDirection::kUp);
  EXPECT_EQ(BadDirectionOf("long_wait_rate"), BadDirection::kUp);
  EXPECT_EQ(BadDirectionOf("unrated_rate"), BadDirection::kUp);
  EXPECT_EQ(BadDirectionOf("latency_p95_ms"), BadDirection::kUp);
  EXPECT_EQ(BadDirectionOf("on_time_rate"), BadDirection::kDown);
  EXPECT_EQ(BadDirectionOf("availability"), BadDirection::kDown);
  EXPECT_EQ(BadDirectionOf("no_such_indicator"), std::nullopt);
}

}  // namespace
}  // namespace govqm
