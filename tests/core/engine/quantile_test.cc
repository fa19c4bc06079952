// QuantileValues against percentiles computed by sorting (core/stats.h), by hand, and across
// different splits of the same values.
#include "core/engine/quantile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/stats.h"

namespace govqm::engine {
namespace {

TEST(QuantileValues, EmptyIsNull) {
  QuantileValues q;
  EXPECT_FALSE(q.Percentile(0.9).has_value());
}

TEST(QuantileValues, SmallGroupsAreExact) {
  // 1..10 at p90: h = 0.9 * 9 = 8.1 → 9 + 0.1 * (10 - 9) = 9.1 (worked by hand).
  QuantileValues q;
  for (int v : {7, 3, 10, 1, 9, 2, 8, 5, 4, 6}) q.Add(v);
  EXPECT_TRUE(q.exact());
  EXPECT_DOUBLE_EQ(*q.Percentile(0.9), 9.1);
  // One value: every percentile is that value.
  QuantileValues one;
  one.Add(-4.5);
  EXPECT_EQ(*one.Percentile(0.95), -4.5);
}

TEST(QuantileValues, LargeGroupsStayWithinTheBound) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> hours(3.0, 1.5);
  std::vector<double> all;
  QuantileValues q;
  for (int i = 0; i < 200000; ++i) {
    // Handling times in ms, with some zeros and some negative (bad) values.
    double v = std::round(hours(rng) * 3.6e6);
    if (i % 97 == 0) v = 0;
    if (i % 1013 == 0) v = -v - 1;
    all.push_back(v);
    q.Add(v);
  }
  EXPECT_FALSE(q.exact());
  EXPECT_LT(QuantileValues::kRelativeError, 0.01);  // domain.md §3 allows 1%
  for (double p : {0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 1.0}) {
    const double want = InterpolatedPercentile(all, p);
    const double got = *q.Percentile(p);
    EXPECT_LE(std::fabs(got - want), QuantileValues::kRelativeError * std::fabs(want) + 1e-9)
        << "p=" << p << " want " << want << " got " << got;
  }
}

TEST(QuantileValues, AnySplitGivesTheSameBits) {
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> lag(1e-7);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) values.push_back(std::floor(lag(rng)));
  for (size_t n : {size_t{900}, size_t{1500}, size_t{5000}}) {  // below, near and above the limit
    QuantileValues whole;
    for (size_t i = 0; i < n; ++i) whole.Add(values[i]);
    for (size_t parts : {2, 3, 7}) {
      std::vector<QuantileValues> split(parts);
      for (size_t i = 0; i < n; ++i) split[(i * 31 + i / 5) % parts].Add(values[i]);
      for (size_t k = parts; k-- > 1;) split[k - 1].Merge(split[k]);
      EXPECT_EQ(split[0].count(), n);
      for (double p : {0.5, 0.9, 0.95}) {
        EXPECT_EQ(*split[0].Percentile(p), *whole.Percentile(p)) << n << " " << parts << " " << p;
      }
    }
  }
}

}  // namespace
}  // namespace govqm::engine
