// Disparity statistics against hand computations (shown) and against an independent
// computation inside the test (the O(n^2) double sum for Gini, direct Theil sums per group).
#include "framework/disparity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace govqm {
namespace {

TEST(DisparityTest, GiniCvMaxMinOfOneToFour) {
  // {1,2,3,4}: mu = 2.5; sum_i sum_j |x_i - x_j| = 2 * (1+2+3+1+2+1) = 20;
  // Gini = 20 / (2 * 16 * 2.5) = 0.25. Population variance = (2.25+0.25+0.25+2.25)/4 = 1.25,
  // CV = sqrt(1.25) / 2.5 = 0.4472136. max/min = 4.
  auto r = Disparity({1, 2, 3, 4}, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->units, 4u);
  EXPECT_DOUBLE_EQ(r->mean, 2.5);
  EXPECT_EQ(r->min, 1);
  EXPECT_EQ(r->max, 4);
  ASSERT_TRUE(r->gini);
  EXPECT_NEAR(*r->gini, 0.25, 1e-15);
  ASSERT_TRUE(r->cv);
  EXPECT_NEAR(*r->cv, 0.4472136, 1e-7);
  ASSERT_TRUE(r->max_min_ratio);
  EXPECT_DOUBLE_EQ(*r->max_min_ratio, 4);
  EXPECT_FALSE(r->theil_between);
  EXPECT_FALSE(r->theil_within);
  EXPECT_TRUE(r->groups.empty());
}

TEST(DisparityTest, EqualValuesHaveNoDisparity) {
  auto r = Disparity({3, 3, 3}, {"a", "b", "a"});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(*r->gini, 0, 1e-15);
  EXPECT_NEAR(*r->theil, 0, 1e-15);
  EXPECT_NEAR(*r->theil_between, 0, 1e-15);
  EXPECT_NEAR(*r->theil_within, 0, 1e-15);
  EXPECT_NEAR(*r->cv, 0, 1e-15);
  EXPECT_DOUBLE_EQ(*r->max_min_ratio, 1);
}

// Theil T with decomposition, by hand. Values 1, 3 (group A) and 4, 8 (group B); mu = 4.
//   T = (1/4) [ 1/4 ln 1/4 + 3/4 ln 3/4 + 1 ln 1 + 2 ln 2 ]
//     = (1/4) [ -0.3465736 - 0.2157616 + 0 + 1.3862944 ] = 0.2059898.
//   mu_A = 2, mu_B = 6. T_between = (2/4)(2/4) ln(1/2) + (2/4)(6/4) ln(3/2)
//     = -0.1732868 + 0.3040988 = 0.1308120.
//   T_A = (1/2) [ 1/2 ln 1/2 + 3/2 ln 3/2 ] = (1/2)(-0.3465736 + 0.6081977) = 0.1308120;
//   T_B = (1/2) [ 2/3 ln 2/3 + 4/3 ln 4/3 ] = (1/2)(-0.2703101 + 0.3835761) = 0.0566330;
//   s_A = 4/16 = 0.25, s_B = 12/16 = 0.75;
//   T_within = 0.25 * 0.1308120 + 0.75 * 0.0566330 = 0.0751778; between + within = 0.2059898.
TEST(DisparityTest, TheilDecompositionByHand) {
  auto r = Disparity({1, 4, 3, 8}, {"A", "B", "A", "B"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->theil && r->theil_between && r->theil_within);
  EXPECT_NEAR(*r->theil, 0.2059898, 1e-7);
  EXPECT_NEAR(*r->theil_between, 0.1308120, 1e-7);
  EXPECT_NEAR(*r->theil_within, 0.0751778, 1e-7);
  EXPECT_NEAR(*r->theil_between + *r->theil_within, *r->theil, 1e-12);
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(r->groups[0].group, "A");  // order of first appearance
  EXPECT_EQ(r->groups[0].units, 2u);
  EXPECT_DOUBLE_EQ(r->groups[0].mean, 2);
  EXPECT_DOUBLE_EQ(r->groups[0].share_of_total, 0.25);
  EXPECT_NEAR(r->groups[0].theil_within, 0.1308120, 1e-7);
  EXPECT_EQ(r->groups[1].group, "B");
  EXPECT_EQ(r->groups[1].units, 2u);
  EXPECT_DOUBLE_EQ(r->groups[1].mean, 6);
  EXPECT_DOUBLE_EQ(r->groups[1].share_of_total, 0.75);
  EXPECT_NEAR(r->groups[1].theil_within, 0.0566330, 1e-7);
  // Gini by hand: |diffs| over unordered pairs 3,2,7,1,4,5 = 22 -> 44 / (2 * 16 * 4) = 0.34375.
  EXPECT_NEAR(*r->gini, 0.34375, 1e-15);
}

// A larger case against a computation written here independently of the library (the
// O(n^2) Gini double sum; Theil T, group means and T_g summed directly), plus the identity.
TEST(DisparityTest, AgainstIndependentComputation) {
  const std::vector<double> x = {0.62, 0.81, 0.77, 0.55, 0.93, 0.70, 0.48, 0.88, 0.66, 0.0,
                                 0.71, 0.59};
  const std::vector<std::string> g = {"east", "east", "central", "west", "east", "central",
                                      "west", "east", "central", "west", "central", "west"};
  const double n = static_cast<double>(x.size());
  double mu = 0;
  for (double v : x) mu += v / n;
  double abs_sum = 0;
  for (double a : x) {
    for (double b : x) abs_sum += std::fabs(a - b);
  }
  const double gini = abs_sum / (2 * n * n * mu);
  double theil = 0;
  for (double v : x) {
    if (v > 0) theil += (v / mu) * std::log(v / mu) / n;
  }
  std::map<std::string, std::vector<double>> by;
  for (size_t i = 0; i < x.size(); ++i) by[g[i]].push_back(x[i]);
  double between = 0, within = 0;
  for (const auto& [name, xs] : by) {
    const double ng = static_cast<double>(xs.size());
    double mg = 0;
    for (double v : xs) mg += v / ng;
    double tg = 0;
    for (double v : xs) {
      if (v > 0) tg += (v / mg) * std::log(v / mg) / ng;
    }
    between += (ng / n) * (mg / mu) * std::log(mg / mu);
    within += (ng * mg / (n * mu)) * tg;
  }
  auto r = Disparity(x, g);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(*r->gini, gini, 1e-12);
  EXPECT_NEAR(*r->theil, theil, 1e-12);
  EXPECT_NEAR(*r->theil_between, between, 1e-12);
  EXPECT_NEAR(*r->theil_within, within, 1e-12);
  EXPECT_NEAR(*r->theil_between + *r->theil_within, *r->theil, 1e-12);
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].group, "east");
  EXPECT_EQ(r->groups[1].group, "central");
  EXPECT_EQ(r->groups[2].group, "west");
  double shares = 0;
  for (const auto& tg : r->groups) shares += tg.share_of_total;
  EXPECT_NEAR(shares, 1, 1e-12);
  EXPECT_FALSE(r->max_min_ratio);  // min is 0
}

// A zero contributes 0 to Theil: {0, 2}, mu = 1: T = (1/2)(0 + 2 ln 2) = ln 2.
// Gini = (2 * 2) / (2 * 4 * 1) = 0.5. max/min undefined (min = 0).
TEST(DisparityTest, ZeroValue) {
  auto r = Disparity({0, 2}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(*r->theil, std::log(2.0), 1e-15);
  EXPECT_NEAR(*r->gini, 0.5, 1e-15);
  EXPECT_FALSE(r->max_min_ratio);
  EXPECT_NEAR(*r->cv, 1, 1e-15);  // sd = 1, mu = 1
}

// A group whose values are all 0 (mu_g = 0) contributes 0 to both parts.
TEST(DisparityTest, ZeroGroup) {
  auto r = Disparity({0, 0, 2, 4}, {"z", "z", "p", "p"});
  ASSERT_TRUE(r.ok());
  // mu = 1.5; T = (1/4)[(4/3) ln(4/3) + (8/3) ln(8/3)]; the identity must still hold.
  EXPECT_NEAR(*r->theil,
              0.25 * (4.0 / 3 * std::log(4.0 / 3) + 8.0 / 3 * std::log(8.0 / 3)), 1e-12);
  EXPECT_NEAR(*r->theil_between + *r->theil_within, *r->theil, 1e-12);
  EXPECT_EQ(r->groups[0].share_of_total, 0);
  EXPECT_EQ(r->groups[0].theil_within, 0);
}

// A negative value: Theil undefined (and so its decomposition); Gini and CV still defined
// while mu > 0: {-1, 3}: mu = 1, sum |diff| = 8, Gini = 8 / (2 * 4 * 1) = 1; sd = 2, CV = 2.
TEST(DisparityTest, NegativeValue) {
  auto r = Disparity({-1, 3}, {"a", "b"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->theil);
  EXPECT_FALSE(r->theil_between);
  EXPECT_FALSE(r->theil_within);
  EXPECT_NEAR(*r->gini, 1, 1e-15);
  EXPECT_NEAR(*r->cv, 2, 1e-15);
  EXPECT_FALSE(r->max_min_ratio);
  EXPECT_EQ(r->groups.size(), 2u);  // the groups are still listed, with their means
  EXPECT_EQ(r->groups[0].mean, -1);
}

TEST(DisparityTest, NonPositiveMean) {
  auto r = Disparity({-1, 1}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->gini);
  EXPECT_FALSE(r->theil);
  EXPECT_FALSE(r->cv);  // mu = 0
  r = Disparity({-2, -4}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->gini);
  ASSERT_TRUE(r->cv);  // sd / mu = 1 / -3, defined though negative
  EXPECT_NEAR(*r->cv, -1.0 / 3, 1e-15);
}

TEST(DisparityTest, NoUnits) {
  auto r = Disparity({}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->units, 0u);
  EXPECT_FALSE(r->gini);
  EXPECT_FALSE(r->theil);
  EXPECT_FALSE(r->cv);
  EXPECT_FALSE(r->max_min_ratio);
}

TEST(DisparityTest, Errors) {
  auto r = Disparity({1, 2}, {"a"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(), "disparity: 1 group labels for 2 values");
  r = Disparity({1, std::nan("")}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "disparity: value 2 is not finite: nan");
}

TEST(GradeDistributionTest, BoundariesAreInclusive) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, double>> bands = {
      {"非常高", 90}, {"高", 80}, {"中", 65}, {"低", -inf}};
  auto d = GradeDistribution({90, 89.999, 80, 79.999, 65, 64.999, 100, 0, -5}, bands);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0], (std::pair<std::string, size_t>{"非常高", 2}));  // 90, 100
  EXPECT_EQ(d[1], (std::pair<std::string, size_t>{"高", 2}));      // 89.999, 80
  EXPECT_EQ(d[2], (std::pair<std::string, size_t>{"中", 2}));      // 79.999, 65
  EXPECT_EQ(d[3], (std::pair<std::string, size_t>{"低", 3}));      // 64.999, 0, -5
}

TEST(GradeDistributionTest, ZeroCountsAndUnmatched) {
  const std::vector<std::pair<std::string, double>> bands = {{"高", 80}, {"中", 65}};
  auto d = GradeDistribution({70, 10, std::nan("")}, bands);  // 10 and NaN fall in no band
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].second, 0u);
  EXPECT_EQ(d[1].second, 1u);
  EXPECT_TRUE(GradeDistribution({1, 2}, {}).empty());
}

}  // namespace
}  // namespace govqm
