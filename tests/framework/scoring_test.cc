// Scoring, aggregation, views, ranks and uncertainty against values worked out by hand
// (derivations beside each expectation).
#include "framework/scoring.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.h"

namespace govqm {
namespace {

using Opt = std::optional<double>;

IndicatorSpec Spec(Direction d, double floor = 0, double target = 100) {
  IndicatorSpec s;
  s.direction = d;
  s.floor = floor;
  s.target = target;
  return s;
}

TEST(ScoreIndicatorTest, TargetIsLinearAndClamped) {
  const IndicatorSpec on_time = Spec(Direction::kHigher, 0.95, 1.0);
  // 100 · (0.98 − 0.95) / (1 − 0.95) = 100 · 0.03 / 0.05 = 60.
  EXPECT_NEAR(*ScoreIndicator(on_time, ScoringRule::kTarget, 0.98, {}), 60, 1e-9);
  EXPECT_EQ(*ScoreIndicator(on_time, ScoringRule::kTarget, 0.90, {}), 0);    // below the floor
  EXPECT_EQ(*ScoreIndicator(on_time, ScoringRule::kTarget, 1.0, {}), 100);
  // Lower is better, floor 30 → 0, target 15 → 100: 100 · (20 − 30) / (15 − 30) = 66.67.
  const IndicatorSpec wait = Spec(Direction::kLower, 30, 15);
  EXPECT_NEAR(*ScoreIndicator(wait, ScoringRule::kTarget, 20, {}), 200.0 / 3, 1e-9);
  EXPECT_EQ(*ScoreIndicator(wait, ScoringRule::kTarget, 10, {}), 100);
  EXPECT_EQ(*ScoreIndicator(wait, ScoringRule::kTarget, 45, {}), 0);
  EXPECT_FALSE(ScoreIndicator(wait, ScoringRule::kTarget, std::nullopt, {}).has_value());
  EXPECT_FALSE(ScoreIndicator(wait, ScoringRule::kTarget, NAN, {}).has_value());
}

TEST(ScoreIndicatorTest, MinMaxAcrossUnits) {
  const std::vector<Opt> all = {2.0, 4.0, std::nullopt, 10.0};
  const IndicatorSpec up = Spec(Direction::kHigher), down = Spec(Direction::kLower);
  // min 2, max 10: (4 − 2) / 8 = 25%; the missing unit takes no part.
  EXPECT_EQ(*ScoreIndicator(up, ScoringRule::kMinMax, 2.0, all), 0);
  EXPECT_EQ(*ScoreIndicator(up, ScoringRule::kMinMax, 4.0, all), 25);
  EXPECT_EQ(*ScoreIndicator(up, ScoringRule::kMinMax, 10.0, all), 100);
  EXPECT_EQ(*ScoreIndicator(down, ScoringRule::kMinMax, 4.0, all), 75);
  // All equal → 100 each (domain.md §1).
  EXPECT_EQ(*ScoreIndicator(up, ScoringRule::kMinMax, 3.0, {3.0, 3.0}), 100);
}

TEST(ScoreIndicatorTest, ZScoreMappedTo50Plus10z) {
  // 2, 4, 6: mean 4, population sd = sqrt((4 + 0 + 4) / 3) = 1.632993;
  // z(6) = 2 / 1.632993 = 1.224745 → 62.24745; lower is better mirrors it.
  const std::vector<Opt> all = {2.0, 4.0, 6.0};
  EXPECT_NEAR(*ScoreIndicator(Spec(Direction::kHigher), ScoringRule::kZScore, 6.0, all), 62.24745, 1e-5);
  EXPECT_NEAR(*ScoreIndicator(Spec(Direction::kLower), ScoringRule::kZScore, 6.0, all), 37.75255, 1e-5);
  EXPECT_EQ(*ScoreIndicator(Spec(Direction::kHigher), ScoringRule::kZScore, 4.0, all), 50);
  // 0, 0, 0, 0, 100: mean 20, sd = sqrt((4 · 400 + 6400) / 5) = 40, z(100) = 2 → 70.
  EXPECT_NEAR(*ScoreIndicator(Spec(Direction::kHigher), ScoringRule::kZScore, 100.0, {0.0, 0.0, 0.0, 0.0, 100.0}),
              70, 1e-9);
  // 99 zeros and a one: z(1) = 0.99 / sqrt(0.01 · 0.99) = 9.95 → 149.5, clamped to 100.
  std::vector<Opt> skew(99, 0.0);
  skew.push_back(1.0);
  EXPECT_EQ(*ScoreIndicator(Spec(Direction::kHigher), ScoringRule::kZScore, 1.0, skew), 100);
  EXPECT_EQ(*ScoreIndicator(Spec(Direction::kHigher), ScoringRule::kZScore, 5.0, {5.0, 5.0}), 50);  // sd 0
}

TEST(ScoreIndicatorTest, NoneIsIdentity) {
  EXPECT_EQ(*ScoreIndicator(Spec(Direction::kLower), ScoringRule::kNone, 42.5, {}), 42.5);
}

TEST(AggregateTest, ArithmeticGeometricAndMissing) {
  // (1 · 40 + 3 · 80) / 4 = 70.
  EXPECT_EQ(*Aggregate(Aggregation::kArithmetic, {40.0, 80.0}, {1, 3}), 70);
  // The missing child's weight (2) is shared: (1 · 40 + 3 · 80) / (1 + 3) = 70, never 0.
  EXPECT_EQ(*Aggregate(Aggregation::kArithmetic, {40.0, std::nullopt, 80.0}, {1, 2, 3}), 70);
  // Geometric: 40^(1/2) · 90^(1/2) = sqrt(3600) = 60.
  EXPECT_NEAR(*Aggregate(Aggregation::kGeometric, {40.0, 90.0}, {1, 1}), 60, 1e-9);
  // 8^(1/3) · 64^(2/3) = 2 · 16 = 32.
  EXPECT_NEAR(*Aggregate(Aggregation::kGeometric, {8.0, 64.0}, {1, 2}), 32, 1e-9);
  EXPECT_EQ(*Aggregate(Aggregation::kGeometric, {0.0, 90.0}, {1, 1}), 0);
  EXPECT_FALSE(Aggregate(Aggregation::kArithmetic, {std::nullopt}, {1}).has_value());
}

// A small matrix: stages s1, s2 (weight 1); dimensions d1 (weight 1), d2 (weight 3);
// cells s1/d1 (on_time_rate), s1/d2 (positive_rate, top2_rate ×3), s2/d2 (online_rate, minmax);
// block org (staff_per_window); index = matrix 3 : block 1.
const char kSmall[] = R"(
[framework]
min_sample = 30
[[stage]]
code = "s1"
[[stage]]
code = "s2"
[[dimension]]
code = "d1"
[[dimension]]
code = "d2"
weight = 3
[matrix]
weight = 3
[[block]]
code = "org"
weight = 1
[[indicator]]
code = "on_time_rate"
cell = "s1/d1"
floor = 0.95
target = 1.0
[[indicator]]
code = "positive_rate"
cell = "s1/d2"
floor = 0.9
target = 1.0
[[indicator]]
code = "top2_rate"
cell = "s1/d2"
floor = 0.5
target = 1.0
weight = 3
[[indicator]]
code = "online_rate"
cell = "s2/d2"
rule = "minmax"
[[indicator]]
code = "staff_per_window"
block = "org"
floor = 1
target = 2
)";

// B's sample is 40 here (above min_sample 30), so that every unit is scored; see
// BelowMinSampleIsListedWithItsValuesOnly for B at 20.
UnitValues SmallValues() {
  UnitValues v;
  v.units = {"A", "B", "C"};
  // on_time, positive, top2, online, staff
  v.values = {{0.98, 0.95, 0.8, 0.5, 1.5},
              {1.0, 0.99, std::nullopt, 0.3, std::nullopt},
              {0.90, 1.0, 1.0, 0.7, 2.0}};
  v.sample = {100.0, 40.0, 50.0};
  return v;
}

TEST(ScoreUnitsTest, SmallMatrixByHand) {
  auto fw = ParseFramework(kSmall, "small.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  auto res = ScoreUnits(*fw, SmallValues());
  ASSERT_TRUE(res.ok()) << res.status().message();
  const int c11 = fw->FindNode("s1/d1"), c12 = fw->FindNode("s1/d2"), c22 = fw->FindNode("s2/d2");
  const int matrix = fw->FindNode("matrix"), org = fw->FindNode("org");
  // Cell weights = stage × dimension weights: 1, 3, 3 → 1/7, 3/7, 3/7. Index: 3 : 1.
  EXPECT_NEAR(res->node_weight[c11], 1.0 / 7, 1e-12);
  EXPECT_NEAR(res->node_weight[c12], 3.0 / 7, 1e-12);
  EXPECT_NEAR(res->node_weight[matrix], 0.75, 1e-12);
  EXPECT_NEAR(res->indicator_weight[2], 0.75, 1e-12);  // top2 within s1/d2

  // A: on_time 60, positive 50, top2 60, online (0.5 − 0.3)/0.4 = 50, staff 50.
  //    s1/d1 = 60; s1/d2 = (50 + 3·60)/4 = 57.5; s2/d2 = 50;
  //    matrix = (60 + 3·57.5 + 3·50)/7 = 382.5/7 = 54.642857; index = .75·54.642857 + .25·50.
  const UnitScore& a = res->units[0];
  EXPECT_NEAR(*a.indicator_score[3], 50, 1e-9);
  EXPECT_NEAR(*a.node_score[c11], 60, 1e-9);
  EXPECT_NEAR(*a.node_score[c12], 57.5, 1e-9);
  EXPECT_NEAR(*a.node_score[c22], 50, 1e-9);
  EXPECT_NEAR(*a.node_score[matrix], 382.5 / 7, 1e-9);
  EXPECT_NEAR(*a.node_score[org], 50, 1e-9);
  EXPECT_NEAR(*a.node_score[0], 0.75 * 382.5 / 7 + 12.5, 1e-9);  // 53.482143
  // Views over the same cells: s1 = (60 + 3·57.5)/4 = 58.125; s2 = 50; d1 = 60;
  // d2 = (3·57.5 + 3·50)/6 = 53.75.
  EXPECT_NEAR(*a.stage_score[0], 58.125, 1e-9);
  EXPECT_NEAR(*a.stage_score[1], 50, 1e-9);
  EXPECT_NEAR(*a.dimension_score[0], 60, 1e-9);
  EXPECT_NEAR(*a.dimension_score[1], 53.75, 1e-9);
  EXPECT_EQ(a.grade->label, "低");

  // B: top2 and staff missing. s1/d2 = positive alone = 90 (its sibling's weight went to
  //    it); the block has no score, so the index is the matrix alone:
  //    (100 + 3·90 + 3·0)/7 = 370/7 = 52.857143.
  const UnitScore& b = res->units[1];
  EXPECT_NEAR(*b.node_score[c12], 90, 1e-9);
  EXPECT_FALSE(b.node_score[org].has_value());
  EXPECT_NEAR(*b.node_score[0], 370.0 / 7, 1e-9);
  EXPECT_EQ(b.missing_indicators, (std::vector<int>{2, 4}));
  EXPECT_EQ(b.missing_nodes, (std::vector<int>{org}));

  // C: 0, 100, 100, 100, 100: matrix = 600/7 = 85.714286; index = .75·600/7 + 25 = 89.285714.
  const UnitScore& c = res->units[2];
  EXPECT_NEAR(*c.node_score[0], 0.75 * 600 / 7 + 25, 1e-9);
  EXPECT_EQ(c.grade->label, "高");

  // Ranks: C (89.29), A (53.48), B (52.86).
  EXPECT_EQ(c.rank, 1);
  EXPECT_EQ(a.rank, 2);
  EXPECT_EQ(b.rank, 3);
}

// B with n = 20 < min_sample 30: its values only — no scores, no grade, no rank — and it
// takes no part in the others' comparison. Worked out by hand: online_rate's min-max range
// is A's 0.5 and C's 0.7, so A's online score is 0 (was 50 with B's 0.3 in the range):
// matrix = (60 + 3·57.5 + 3·0)/7 = 232.5/7; index = .75·232.5/7 + .25·50 = 37.410714.
TEST(ScoreUnitsTest, BelowMinSampleIsListedWithItsValuesOnly) {
  auto fw = ParseFramework(kSmall, "small.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  UnitValues v = SmallValues();
  v.sample[1] = 20;
  auto res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok()) << res.status().message();
  const UnitScore &a = res->units[0], &b = res->units[1], &c = res->units[2];
  EXPECT_TRUE(b.below_min_sample);
  EXPECT_EQ(b.unit, "B");
  EXPECT_EQ(*b.sample, 20);
  EXPECT_EQ(b.grade, nullptr);
  EXPECT_EQ(b.rank, 0);
  EXPECT_EQ(b.rank_note, "not ranked: n < 30");
  for (const auto& s : b.node_score) EXPECT_FALSE(s.has_value());
  for (const auto& s : b.indicator_score) EXPECT_FALSE(s.has_value());
  ASSERT_EQ(b.stage_score.size(), 2u);
  EXPECT_FALSE(b.stage_score[0].has_value());
  EXPECT_FALSE(a.below_min_sample);
  EXPECT_NEAR(*a.indicator_score[3], 0, 1e-9);
  EXPECT_NEAR(*a.node_score[0], 0.75 * 232.5 / 7 + 12.5, 1e-9);
  EXPECT_NEAR(*c.indicator_score[3], 100, 1e-9);
  EXPECT_NEAR(*c.node_score[0], 0.75 * 600 / 7 + 25, 1e-9);
  EXPECT_EQ(c.rank, 1);
  EXPECT_EQ(a.rank, 2);
  // Uncertainty ranks only the compared units.
  ASSERT_TRUE(RankUncertainty(*fw, v, {.replications = 50, .seed = 3}, &res.value()).ok());
  EXPECT_FALSE(res->units[1].rank_median.has_value());
  EXPECT_EQ(*res->units[2].rank_median, 1);
}

TEST(ScoreUnitsTest, GeometricCells) {
  std::string text = kSmall;
  text.replace(text.find("[matrix]\n"), 9, "[matrix]\naggregation = \"geometric\"\n");
  auto fw = ParseFramework(text, "g.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  auto res = ScoreUnits(*fw, SmallValues());
  ASSERT_TRUE(res.ok());
  // Cells inherit the matrix's rule: s1/d2 of A = 50^(1/4) · 60^(3/4).
  EXPECT_NEAR(*res->units[0].node_score[fw->FindNode("s1/d2")], std::pow(50, 0.25) * std::pow(60, 0.75), 1e-9);
  // C's s1/d1 is 0, so its geometric matrix score is 0.
  EXPECT_EQ(*res->units[2].node_score[fw->FindNode("matrix")], 0);
}

TEST(ScoreUnitsTest, TiesShareARankAndUnknownSamplesAreNotRanked) {
  auto fw = ParseFramework("[framework]\nshape = \"tree\"\n[[indicator]]\ncode = \"x\"\nparent = \"index\"\nrule = \"none\"\n", "t");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  UnitValues v;
  v.units = {"p", "q", "r", "s"};
  v.values = {{70.0}, {90.0}, {90.0}, {std::nullopt}};
  auto res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->units[1].rank, 1);
  EXPECT_EQ(res->units[2].rank, 1);
  EXPECT_EQ(res->units[0].rank, 3);
  EXPECT_EQ(res->units[3].rank, 0);
  EXPECT_EQ(res->units[3].rank_note, "not ranked: no index");
  fw->min_sample = 10;
  res = ScoreUnits(*fw, v);
  EXPECT_EQ(res->units[0].rank_note, "not ranked: sample size unknown");
}

TEST(ScoreUnitsTest, EntropyAndCombinedWeights) {
  const char text[] =
      "[framework]\nshape = \"tree\"\n[index]\nweighting = \"entropy\"\n"
      "[[indicator]]\ncode = \"x\"\nparent = \"index\"\nrule = \"minmax\"\n"
      "[[indicator]]\ncode = \"y\"\nparent = \"index\"\nrule = \"minmax\"\n";
  auto fw = ParseFramework(text, "e");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  UnitValues v;
  v.units = {"a", "b", "c"};
  v.values = {{1.0, 1.0}, {2.0, 1.0}, {3.0, 2.0}};
  // x: normalised 0, .5, 1 → p = 0, 1/3, 2/3; e = (1/3 ln 3 + 2/3 ln 1.5)/ln 3 = 0.579380,
  //    d = 0.420620. y: 0, 0, 1 → p = 0, 0, 1; e = 0, d = 1.
  // w = 0.420620/1.420620 = 0.296082 and 1/1.420620 = 0.703918.
  auto res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok()) << res.status().message();
  EXPECT_NEAR(res->indicator_weight[0], 0.296082, 1e-6);
  EXPECT_NEAR(res->indicator_weight[1], 0.703918, 1e-6);
  // Combined, alpha 0.5 with equal declared weights: 0.5·0.5 + 0.5·0.296082 = 0.398041.
  std::string combined = text;
  combined.replace(combined.find("\"entropy\""), 9, "\"combined\"\nalpha = 0.5");
  fw = ParseFramework(combined, "c");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok());
  EXPECT_NEAR(res->indicator_weight[0], 0.398041, 1e-6);
}

TEST(XoshiroTest, MatchesTheReferenceSequence) {
  // xoshiro256** seeded by splitmix64(1), from an independent Python implementation: the
  // stream the uncertainty analysis draws from.
  Rng r(1);
  EXPECT_EQ(r.Next(), 0xb3f2af6d0fc710c5ull);
  EXPECT_EQ(r.Next(), 0x853b559647364ceaull);
  EXPECT_EQ(r.Next(), 0x92f89756082a4514ull);
}

TEST(UncertaintyTest, SeededAndDegenerate) {
  auto fw = ParseFramework(kSmall, "small.toml");
  ASSERT_TRUE(fw.ok());
  UnitValues v = SmallValues();
  v.sample = {100.0, 100.0, 100.0};
  auto res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok());
  // Zero spread: every replication is the nominal ranking, so the interval collapses.
  UncertaintyOptions o;
  o.replications = 50;
  o.weight_spread = 0;
  ASSERT_TRUE(RankUncertainty(*fw, v, o, &res.value()).ok());
  for (const UnitScore& u : res->units) {
    EXPECT_EQ(*u.rank_median, u.rank);
    EXPECT_EQ(*u.rank_p05, u.rank);
    EXPECT_EQ(*u.rank_p95, u.rank);
  }
  // Same seed, same answer; C (index 89) stays first under ±25% weights.
  o.weight_spread = 0.25;
  o.replications = 200;
  o.seed = 7;
  auto r1 = *res;
  auto r2 = *res;
  ASSERT_TRUE(RankUncertainty(*fw, v, o, &r1).ok());
  ASSERT_TRUE(RankUncertainty(*fw, v, o, &r2).ok());
  for (size_t u = 0; u < 3; ++u) {
    EXPECT_EQ(*r1.units[u].rank_p05, *r2.units[u].rank_p05);
    EXPECT_EQ(*r1.units[u].rank_p95, *r2.units[u].rank_p95);
  }
  EXPECT_EQ(*r1.units[2].rank_p95, 1);
}

}  // namespace
}  // namespace govqm
