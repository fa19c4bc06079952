// The indicators use case on the generated province: streaming the fact tables segment by
// segment gives the same rows as loading them whole; asking for base measures changes no
// value; and the domain thresholds appear, as named in core/thresholds.h, in the catalog's
// texts.
#include "app/indicators.h"

#include <gtest/gtest.h>

#include "core/thresholds.h"
#include "province.h"

namespace govqm::app {
namespace {

TEST(IndicatorsUseCase, StreamedAndWholeGiveTheSameRows) {
  auto store = Store::Open(Province::Get().db);
  ASSERT_TRUE(store.ok());
  for (const std::string by : {"region", "city,month", "channel,age_band"}) {
    IndicatorsRequest r;
    r.from = "2024-01-01";
    r.to = "2025-01-01";
    auto keys = ParseGroupKeys(by);
    ASSERT_TRUE(keys.ok());
    r.keys = *keys;
    auto streamed = Indicators(**store, r);
    r.stream = false;
    auto whole = Indicators(**store, r);
    ASSERT_TRUE(streamed.ok()) << streamed.status().message();
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    ASSERT_EQ(streamed->rows.size(), whole->rows.size()) << by;
    ASSERT_GT(streamed->rows.size(), 100u);
    for (size_t i = 0; i < whole->rows.size(); ++i) {
      EXPECT_EQ(streamed->rows[i].keys, whole->rows[i].keys);
      EXPECT_EQ(streamed->rows[i].indicator, whole->rows[i].indicator);
      EXPECT_EQ(streamed->rows[i].value, whole->rows[i].value)
          << by << " " << whole->rows[i].indicator;
    }
    EXPECT_EQ(streamed->transactions, 6000);
  }
}

TEST(IndicatorsUseCase, BadRequestsAreUsageErrors) {
  auto store = Store::Open(Province::Get().db);
  ASSERT_TRUE(store.ok());
  IndicatorsRequest r;
  r.to = "2025-01-01";
  auto missing = Indicators(**store, r);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUsage);
  EXPECT_EQ(missing.status().message(), "--from DATE is required");
  auto keys = ParseGroupKeys("region,nowhere");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().code(), StatusCode::kUsage);
}

TEST(Thresholds, TheCatalogSaysWhatTheEngineCounts) {
  using namespace thresholds;
  auto text = [](std::string_view code) {
    const IndicatorInfo& i = Catalog()[FindIndicator(code)];
    return std::string(i.definition) + " | " + std::string(i.numerator);
  };
  const auto has = [](const std::string& t, const std::string& s) {
    return t.find(s) != std::string::npos;
  };
  EXPECT_TRUE(has(text("positive_rate"), "score >= " + std::to_string(kPositiveMinScore)));
  EXPECT_TRUE(has(text("negative_rate"), "score <= " + std::to_string(kBadReviewMaxScore)));
  EXPECT_TRUE(has(text("top2_rate"), "score >= " + std::to_string(kTop2MinScore)));
  EXPECT_TRUE(has(text("revisit_satisfaction"), ">= " + std::to_string(kRevisitSatisfiedMinScore)));
  EXPECT_TRUE(
      has(text("long_wait_rate"), "> " + std::to_string(static_cast<int>(kLongWaitMinutes))));
  EXPECT_TRUE(has(text("elderly_online_gap"), ">= " + std::to_string(kElderlyMinAge)));
  EXPECT_TRUE(has(text("elderly_satisfaction_gap"), std::to_string(kElderlyMinAge) + "+"));
  // The age bands and their labels.
  EXPECT_EQ(AgeBandOf(29), 1u);
  EXPECT_EQ(AgeBandOf(30), 2u);
  EXPECT_EQ(AgeBandOf(59), 3u);
  EXPECT_EQ(AgeBandOf(60), 4u);
  EXPECT_EQ(AgeBandOf(70), 5u);
  EXPECT_EQ(kAgeBandLabels[AgeBandOf(kElderlyMinAge)], "60-69");
  EXPECT_TRUE(IsBadReview(2) && !IsBadReview(3) && IsPositive(3) && !IsPositive(2));
  EXPECT_TRUE(IsLongWait(30.5) && !IsLongWait(30));
}

}  // namespace
}  // namespace govqm::app
