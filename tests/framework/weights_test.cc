// Weighting rules against values worked out independently of this code: published AHP examples
// (cited per test), hand computations (shown step by step), and a pure-Python reference.
//
// AHP reference values: the published priorities are quoted from the cited source. The CR
// values (to 1e-2) and the extra digits were recomputed independently with a throwaway
// pure-Python script that uses Saaty's own method — normalised row sums of A^(2^k) by repeated
// squaring, lambda_max = sum_i (A w)_i with sum w = 1 — not this library's power iteration.
#include "framework/weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace govqm {
namespace {

using Matrix = std::vector<std::vector<double>>;

void ExpectWeightsNear(const std::vector<double>& got, const std::vector<double>& want,
                       double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "weight " << i;
}

std::string ErrorOf(const Matrix& m) {
  auto r = Ahp(m);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  return r.status().message();
}

TEST(SaatyRandomIndexTest, Table) {
  const double want[] = {0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
  for (int n = 1; n <= 10; ++n) EXPECT_DOUBLE_EQ(SaatyRandomIndex(n), want[n - 1]) << n;
  EXPECT_EQ(SaatyRandomIndex(0), 0);
  EXPECT_EQ(SaatyRandomIndex(11), 0);
}

// Saaty, "A scaling method for priorities in hierarchical structures", J. Math. Psychology 15
// (1977) 234-281, and Saaty, The Analytic Hierarchy Process (1980), ch. 2: the relative wealth
// of seven nations. Published eigenvector: US .427, USSR .230, China .021, France .052,
// UK .052, Japan .123, W. Germany .094; lambda_max = 7.61, hence CR = (7.61-7)/6/1.32 = 0.077.
TEST(AhpTest, SaatyWealthOfNations) {
  const Matrix m = {
      {1, 4, 9, 6, 6, 5, 5},
      {1.0 / 4, 1, 7, 5, 5, 3, 4},
      {1.0 / 9, 1.0 / 7, 1, 1.0 / 5, 1.0 / 5, 1.0 / 7, 1.0 / 5},
      {1.0 / 6, 1.0 / 5, 5, 1, 1, 1.0 / 3, 1.0 / 3},
      {1.0 / 6, 1.0 / 5, 5, 1, 1, 1.0 / 3, 1.0 / 3},
      {1.0 / 5, 1.0 / 3, 7, 3, 3, 1, 2},
      {1.0 / 5, 1.0 / 4, 5, 3, 3, 1.0 / 2, 1},
  };
  auto r = Ahp(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {.427, .230, .021, .052, .052, .123, .094}, 1e-3);
  EXPECT_NEAR(r->lambda_max, 7.61, 1e-2);  // independent: 7.60772
  EXPECT_NEAR(r->cr, 0.077, 1e-2);         // independent: 0.076732
  EXPECT_NEAR(r->ci, (r->lambda_max - 7) / 6, 1e-12);
}

// Saaty, "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1)
// (2008) 83-98, Table 2 "Which drink is consumed more in the US?" (coffee, wine, tea, beer,
// sodas, milk, water). Published derived scale: .177 .019 .042 .116 .190 .129 .327.
// Independent: CR = 0.022302, lambda_max = 7.176629.
TEST(AhpTest, SaatyDrinkConsumption) {
  const Matrix m = {
      {1, 9, 5, 2, 1, 1, 1.0 / 2},
      {1.0 / 9, 1, 1.0 / 3, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9},
      {1.0 / 5, 3, 1, 1.0 / 3, 1.0 / 4, 1.0 / 3, 1.0 / 9},
      {1.0 / 2, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3},
      {1, 9, 4, 2, 1, 2, 1.0 / 2},
      {1, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3},
      {2, 9, 9, 3, 2, 3, 1},
  };
  auto r = Ahp(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {.177, .019, .042, .116, .190, .129, .327}, 1e-3);
  EXPECT_NEAR(r->cr, 0.022, 1e-2);
  EXPECT_NEAR(r->lambda_max, 7.1766, 1e-3);
}

// Wikipedia, "Analytic hierarchy process – leader example" (criteria for choosing a leader:
// experience, education, charisma, age). Published priorities .547 .127 .270 .056, CR 0.044.
// Independent: .547569 .126555 .269950 .055926, CR = 0.043859.
TEST(AhpTest, WikipediaLeaderCriteria) {
  const Matrix m = {
      {1, 4, 3, 7},
      {1.0 / 4, 1, 1.0 / 3, 3},
      {1.0 / 3, 3, 1, 5},
      {1.0 / 7, 1.0 / 3, 1.0 / 5, 1},
  };
  auto r = Ahp(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {.547, .127, .270, .056}, 1e-3);
  EXPECT_NEAR(r->cr, 0.044, 1e-2);
  EXPECT_NEAR(r->cr, 0.043859, 1e-5);  // the independent computation, tighter
}

// Saaty, "How to make a decision: the analytic hierarchy process", EJOR 48 (1990) 9-26,
// Table 2: the eight house-buying criteria. Published: lambda_max = 9.669, CI = .238,
// CR = .169 — above 0.10, so the matrix is rejected. Independent: CR = 0.169087.
TEST(AhpTest, SaatyHouseCriteriaIsInconsistent) {
  const Matrix m = {
      {1, 5, 3, 7, 6, 6, 1.0 / 3, 1.0 / 4},
      {1.0 / 5, 1, 1.0 / 3, 5, 3, 3, 1.0 / 5, 1.0 / 7},
      {1.0 / 3, 3, 1, 6, 3, 4, 6, 1.0 / 5},
      {1.0 / 7, 1.0 / 5, 1.0 / 6, 1, 1.0 / 3, 1.0 / 4, 1.0 / 7, 1.0 / 8},
      {1.0 / 6, 1.0 / 3, 1.0 / 3, 3, 1, 1.0 / 2, 1.0 / 5, 1.0 / 6},
      {1.0 / 6, 1.0 / 3, 1.0 / 4, 4, 2, 1, 1.0 / 5, 1.0 / 6},
      {3, 5, 1.0 / 6, 7, 5, 5, 1, 1.0 / 2},
      {4, 7, 5, 8, 6, 6, 2, 1},
  };
  EXPECT_EQ(ErrorOf(m), "not consistent: CR = 0.169 >= 0.10");
}

// Saaty (1977, 1980), the light-intensity experiment (four chairs at increasing distance from
// a light). Published: eigenvector .61 .24 .10 .05, lambda_max = 4.39, so CR =
// (4.39-4)/3/0.90 = 0.144; independent: 4.39073, CR = 0.144715 — rejected.
TEST(AhpTest, SaatyLightIntensityIsInconsistent) {
  const Matrix m = {
      {1, 5, 6, 7},
      {1.0 / 5, 1, 4, 6},
      {1.0 / 6, 1.0 / 4, 1, 4},
      {1.0 / 7, 1.0 / 6, 1.0 / 4, 1},
  };
  EXPECT_EQ(ErrorOf(m), "not consistent: CR = 0.145 >= 0.10");
}

// A perfectly consistent matrix a_ij = w_i / w_j for w = (4, 2, 1): weights 4/7, 2/7, 1/7
// exactly, lambda_max = n = 3, CI = CR = 0.
TEST(AhpTest, PerfectlyConsistent) {
  const Matrix m = {{1, 2, 4}, {0.5, 1, 2}, {0.25, 0.5, 1}};
  auto r = Ahp(m);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {4.0 / 7, 2.0 / 7, 1.0 / 7}, 1e-12);
  EXPECT_NEAR(r->lambda_max, 3, 1e-12);
  EXPECT_NEAR(r->ci, 0, 1e-12);
  EXPECT_NEAR(r->cr, 0, 1e-12);
}

// Any 2x2 reciprocal matrix is consistent: (1, a; 1/a, 1) -> (a/(1+a), 1/(1+a)), CR = 0.
TEST(AhpTest, TwoByTwo) {
  auto r = Ahp({{1, 3}, {1.0 / 3, 1}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {0.75, 0.25}, 1e-12);
  EXPECT_NEAR(r->lambda_max, 2, 1e-12);
  EXPECT_EQ(r->ci, 0);
  EXPECT_EQ(r->cr, 0);
}

TEST(AhpTest, OneByOne) {
  auto r = Ahp({{1}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, {1}, 0);
  EXPECT_EQ(r->cr, 0);
}

// A reciprocal typed to 7 significant digits (0.3333333 for 1/3) is within 1e-6 relative.
TEST(AhpTest, ReciprocalToleranceAccepted) {
  EXPECT_TRUE(Ahp({{1, 3}, {0.3333333, 1}}).ok());
}

TEST(AhpTest, Errors) {
  EXPECT_EQ(ErrorOf({}), "AHP matrix is empty");
  EXPECT_EQ(ErrorOf({{1, 2, 3}, {0.5, 1}, {1.0 / 3, 1, 1}}),
            "AHP matrix is not square: row 2 has 2 entries, expected 3");
  EXPECT_EQ(ErrorOf({{1, 2}, {0.5, 1}, {1, 1}}),
            "AHP matrix is not square: row 1 has 2 entries, expected 3");
  EXPECT_EQ(ErrorOf({{1, 2, 3}, {0.5, 1, -1}, {1.0 / 3, -1, 1}}),
            "entry (2,3) is not positive: -1");
  EXPECT_EQ(ErrorOf({{1, 0}, {1, 1}}), "entry (1,2) is not positive: 0");
  EXPECT_EQ(ErrorOf({{1, std::numeric_limits<double>::infinity()}, {0, 1}}),
            "entry (1,2) is not finite: inf");
  EXPECT_EQ(ErrorOf({{1, std::nan("")}, {1, 1}}), "entry (1,2) is not finite: nan");
  EXPECT_EQ(ErrorOf({{1, 2}, {0.5, 2}}), "diagonal entry (2,2) is 2, expected 1");
  EXPECT_EQ(ErrorOf({{1, 3, 5}, {1.0 / 3, 1, 1}, {0.5, 1, 1}}),
            "a(1,3) = 5 but a(3,1) = 0.5, expected 0.2");
  EXPECT_EQ(ErrorOf(Matrix(11, std::vector<double>(11, 1.0))),
            "AHP matrix has 11 criteria; Saaty's random index is tabulated only up to 10");
}

TEST(AhpTest, TenCriteriaAllowed) {
  auto r = Ahp(Matrix(10, std::vector<double>(10, 1.0)));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(r->weights, std::vector<double>(10, 0.1), 1e-12);
}

// Entropy weights, 3 units x 2 indicators, by hand:
//   indicator 1 (higher is better): 10, 20, 40 -> min-max x = 0, 1/3, 1; sum 4/3;
//     p = 0, 1/4, 3/4; H = -(1/4 ln 1/4 + 3/4 ln 3/4) = 0.3465736 + 0.2157616 = 0.5623351;
//     e1 = H / ln 3 = 0.5623351 / 1.0986123 = 0.5118595; d1 = 0.4881405.
//   indicator 2 (lower is better): 5, 3, 1 -> x = (5 - v) / 4 = 0, 1/2, 1; sum 3/2;
//     p = 0, 1/3, 2/3; H = 1/3 ln 3 + 2/3 ln 3/2 = 0.3662041 + 0.2703101 = 0.6365142;
//     e2 = 0.6365142 / 1.0986123 = 0.5793802; d2 = 0.4206198.
//   w1 = 0.4881405 / 0.9087603 = 0.5371499; w2 = 0.4628501.
const std::vector<std::vector<std::optional<double>>> kThreeUnits = {
    {10.0, 5.0}, {20.0, 3.0}, {40.0, 1.0}};

TEST(EntropyWeightsTest, HandComputedThreeUnits) {
  auto r = EntropyWeights(kThreeUnits, {true, false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.5371499, 0.4628501}, 1e-6);
}

// Direction: "lower is better" over 5, 3, 1 is the same as "higher is better" over 1, 3, 5
// (same x after normalisation), so the weights are unchanged.
TEST(EntropyWeightsTest, DirectionMirrorsValues) {
  auto r = EntropyWeights({{10.0, 1.0}, {20.0, 3.0}, {40.0, 5.0}}, {true, true});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.5371499, 0.4628501}, 1e-6);
  // Flipping indicator 2's direction changes x to 1, 1/2, 0 -> p = 2/3, 1/3, 0: the same
  // entropy as before, so again the same weights; flipping indicator 1 instead gives x = 1, 2/3,
  // 0 -> p = 3/5, 2/5, 0: H = 0.6730117, e1 = 0.6126016, d1 = 0.3873984;
  // w1 = 0.3873984 / (0.3873984 + 0.4206198) = 0.4794426.
  auto flipped = EntropyWeights({{10.0, 1.0}, {20.0, 3.0}, {40.0, 5.0}}, {false, true});
  ASSERT_TRUE(flipped.ok());
  ExpectWeightsNear(*flipped, {0.4794426, 0.5205574}, 1e-6);
}

// A unit with no values changes nothing; a unit with one value counts only for that indicator.
TEST(EntropyWeightsTest, MissingValuesAreLeftOut) {
  auto all = kThreeUnits;
  all.push_back({std::nullopt, std::nullopt});
  auto r = EntropyWeights(all, {true, false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.5371499, 0.4628501}, 1e-6);
  // Unit 4 = (30, missing): indicator 1 now has m = 4 values 10, 20, 40, 30 -> x = 0, 1/3, 1,
  // 2/3; sum 2; p = 0, 1/6, 1/2, 1/3; H = 1/6 ln 6 + 1/2 ln 2 + 1/3 ln 3 = 1.0114043;
  // e1 = H / ln 4 = 0.7295740; d1 = 0.2704260; indicator 2 unchanged (d2 = 0.4206198);
  // w1 = 0.2704260 / 0.6910458 = 0.3913286.
  auto partial = kThreeUnits;
  partial.push_back({30.0, std::nullopt});
  r = EntropyWeights(partial, {true, false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.3913286, 0.6086714}, 1e-6);
}

TEST(EntropyWeightsTest, ConstantIndicatorGetsZero) {
  auto r = EntropyWeights({{10.0, 5.0, 7.0}, {20.0, 3.0, 7.0}, {40.0, 1.0, 7.0}},
                          {true, false, true});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.5371499, 0.4628501, 0}, 1e-6);
}

// Two distinct values: x = 1, 0 -> p = 1, 0 -> e = 0, d = 1 (the maximum).
TEST(EntropyWeightsTest, TwoUnitsFullyDiscriminating) {
  auto r = EntropyWeights({{1.0, 4.0}, {2.0, 4.0}}, {true, true});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {1, 0}, 1e-12);
}

TEST(EntropyWeightsTest, NoDispersionGivesEqualWeights) {
  auto r = EntropyWeights({{1.0, 2.0, std::nullopt}, {1.0, 2.0, 3.0}}, {true, false, true});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-15);
  r = EntropyWeights({}, {true, true});
  ASSERT_TRUE(r.ok());
  ExpectWeightsNear(*r, {0.5, 0.5}, 1e-15);
}

TEST(EntropyWeightsTest, Errors) {
  auto r = EntropyWeights({{1.0}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "entropy weights: no indicators");
  r = EntropyWeights({{1.0, 2.0}, {1.0}}, {true, true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "entropy weights: unit 2 has 1 values, expected 2");
  r = EntropyWeights({{1.0, std::nan("")}}, {true, true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "entropy weights: value of unit 1, indicator 2 is not finite: nan");
}

// 0.4 * (.5, .3, .2) + 0.6 * (.2, .2, .6) = (.2 + .12, .12 + .12, .08 + .36) = (.32, .24, .44).
TEST(CombineWeightsTest, ConvexCombination) {
  auto r = CombineWeights({0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, 0.4);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.32, 0.24, 0.44}, 1e-12);
  // Inputs not summing to 1 are normalised first: (5, 3, 2) is (.5, .3, .2).
  r = CombineWeights({5, 3, 2}, {0.2, 0.2, 0.6}, 0.4);
  ASSERT_TRUE(r.ok());
  ExpectWeightsNear(*r, {0.32, 0.24, 0.44}, 1e-12);
  r = CombineWeights({0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, 1);
  ExpectWeightsNear(*r, {0.5, 0.3, 0.2}, 1e-15);
  r = CombineWeights({0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, 0);
  ExpectWeightsNear(*r, {0.2, 0.2, 0.6}, 1e-15);
}

TEST(CombineWeightsTest, Errors) {
  auto r = CombineWeights({0.5, 0.5}, {0.5, 0.5}, 1.5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "combination weight alpha must be in [0, 1], got 1.5");
  r = CombineWeights({0.5, 0.5}, {0.5, 0.5}, std::nan(""));
  EXPECT_FALSE(r.ok());
  r = CombineWeights({0.5, 0.5}, {1}, 0.5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot combine 2 subjective weights with 1 objective weights");
  r = CombineWeights({0, 0}, {0.5, 0.5}, 0.5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "subjective weights: all weights are 0");
}

TEST(NormalizeWeightsTest, SumsToOne) {
  auto r = NormalizeWeights({2, 1, 1, 0});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ExpectWeightsNear(*r, {0.5, 0.25, 0.25, 0}, 1e-15);
}

TEST(NormalizeWeightsTest, Errors) {
  EXPECT_EQ(NormalizeWeights({}).status().message(), "no weights");
  EXPECT_EQ(NormalizeWeights({1, -1}).status().message(), "weight 2 is negative: -1");
  EXPECT_EQ(NormalizeWeights({0, 0}).status().message(), "all weights are 0");
  EXPECT_EQ(NormalizeWeights({1, std::numeric_limits<double>::infinity()}).status().message(),
            "weight 2 is not finite: inf");
  EXPECT_EQ(NormalizeWeights({1, 1}).status().code(), StatusCode::kOk);
}

}  // namespace
}  // namespace govqm
