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

// Counters are 16 bits with a carry: a bucket holding far more than 65,535 values must still
// rank correctly, also after merges.
TEST(QuantileValues, BucketsPastSixteenBits) {
  QuantileValues a, b;
  // 200,000 values of 1000 and 100,000 of 3000, split over two sketches.
  for (int i = 0; i < 150000; ++i) a.Add(1000);
  for (int i = 0; i < 50000; ++i) b.Add(1000);
  for (int i = 0; i < 100000; ++i) (i % 2 ? a : b).Add(3000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 300000u);
  // Rank 0.6 · 299,999 = 179,999.4: both neighbours are 1000 (ranks 0-199,999 hold 1000).
  EXPECT_NEAR(*a.Percentile(0.6), 1000, 1000 * QuantileValues::kRelativeError);
  // Rank 0.7 · 299,999 = 209,999.3: both 3000.
  EXPECT_NEAR(*a.Percentile(0.7), 3000, 3000 * QuantileValues::kRelativeError);
  // Rank 199,999 is the last 1000, 200,000 the first 3000: p = 199,999.5 / 299,999 lies
  // half-way between them.
  const double p = 199999.5 / 299999;
  const double mid1000 = *a.Percentile(0.0), mid3000 = *a.Percentile(1.0);
  EXPECT_NEAR(*a.Percentile(p), (mid1000 + mid3000) / 2, 1e-6);
}

}  // namespace
}  // namespace govqm::engine
