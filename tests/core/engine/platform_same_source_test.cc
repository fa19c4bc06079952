// Probe and same-source indicators, and the mismatch report.
#include <gtest/gtest.h>

#include "core/engine/same_source.h"
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

void Probe(Dataset& d, const char* at, const char* ok, const char* latency,
           const char* region = "R1") {
  AddRow(d.probes, {{"target", "https://zwfw.example"}, {"region_code", region},
                    {"checked_at", at}, {"ok", ok}, {"latency_ms", latency}});
}

TEST(Platform, AvailabilityAndP95Latency) {
  Dataset d;
  Probe(d, "2024-03-01 00:00", "true", "100");  // at from: counts
  Probe(d, "2024-03-02 00:00", "true", "200");
  Probe(d, "2024-03-03 00:00", "true", "300");
  Probe(d, "2024-03-04 00:00", "true", "400");
  Probe(d, "2024-03-05 00:00", "true", "1000");
  Probe(d, "2024-03-06 00:00", "false", "5000");  // failed: not in the latency
  Probe(d, "2024-03-07 00:00", "true", "");       // ok without latency
  Probe(d, "2024-04-01 00:00", "false", "");      // at to: not counted
  Probe(d, "2024-03-08 00:00", "false", "", "");  // no region: null key
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01", {GroupKey::kRegion}));
  EXPECT_NEAR(Val(rows, "availability", {"R1"}), 6.0 / 7, kEps);
  // Ok latencies 100, 200, 300, 400, 1000: h = 0.95*4 = 3.8 -> 400 + 0.8*600 = 880.
  EXPECT_NEAR(Val(rows, "latency_p95_ms", {"R1"}), 880.0, kEps);
  EXPECT_NEAR(Val(rows, "availability", {""}), 0.0, kEps);
  EXPECT_TRUE(IsNullValue(rows, "latency_p95_ms", {""}));
  // Probes have no channel: left out of a grouping by channel.
  const auto by_channel = Compute(d, Options("2024-03-01", "2024-04-01", {GroupKey::kChannel}));
  for (const IndicatorRow& r : by_channel) EXPECT_NE(r.indicator, "availability");
}

void Guide(Dataset& d, const char* source, const char* item, const char* region,
           const char* dept, const char* published, std::vector<std::pair<std::string_view, std::string>> f) {
  enginetest::Fields fields = {{"source", source}, {"item_code", item}, {"region_code", region},
                               {"dept_code", dept}, {"published_at", published}};
  for (auto& kv : f) fields.push_back(kv);
  AddRow(d.guides, fields);
}

Dataset GuideData() {
  Dataset d;
  // I1: the department copy differs only harmlessly: white space, full-width digits, list
  // order / separators / repeats, "20" vs "20.0", both fees empty.
  Guide(d, "platform", "I1", "R1", "D1", "2024-01-01 00:00",
        {{"name", "办理营业执照"}, {"legal_basis", "《公司法》第7条"}, {"conditions", "无"},
         {"materials", "身份证；营业执照、申请表"}, {"time_limit_days", "20"},
         {"location", "市民中心 3楼"}, {"contact", "12345"}});
  Guide(d, "platform", "I1", "R1", "D1", "2023-01-01 00:00", {{"name", "old name"}});  // older
  Guide(d, "dept_site", "I1", "R1", "D1", "2024-02-01 00:00",
        {{"name", " 办理营业执照\t"}, {"legal_basis", "《公司法》第７条"}, {"conditions", "无"},
         {"materials", "申请表,身份证;营业执照，身份证"}, {"time_limit_days", "２０.0"},
         {"location", "市民中心\u30003楼"}, {"contact", "１２３４５"}});
  // I2: city_site differs in name and fee (6 of 8 fields match); dept_site's latest copy
  // before `to` matches (its 2023 copy is superseded, its May copy is after `to`).
  Guide(d, "platform", "I2", "R1", "D1", "2024-01-01 00:00",
        {{"name", "A"}, {"fee", "0"}, {"time_limit_days", "15"}});
  Guide(d, "city_site", "I2", "R3", "D9", "2024-01-05 00:00",
        {{"name", "B"}, {"fee", "免费"}, {"time_limit_days", "15"}});
  Guide(d, "dept_site", "I2", "R1", "D1", "2023-06-01 00:00", {{"name", "X"}});
  Guide(d, "dept_site", "I2", "R1", "D1", "2024-02-01 00:00",
        {{"name", "A"}, {"fee", "0"}, {"time_limit_days", "15.00"}});
  Guide(d, "dept_site", "I2", "R1", "D1", "2024-05-01 00:00", {{"name", "Z"}});
  // I3: on the platform only (D2). I4: a department copy with no platform publication.
  Guide(d, "platform", "I3", "R1", "D2", "2024-01-01 00:00", {{"name", "C"}});
  Guide(d, "dept_site", "I4", "R1", "D1", "2024-01-01 00:00", {{"name", "D"}});
  // I5 in R2: no published_at on either side (oldest, still counts); matching.
  Guide(d, "platform", "I5", "R2", "D3", "", {{"name", "E"}, {"materials", "a、b"}});
  Guide(d, "dept_site", "I5", "R2", "D3", "", {{"name", "E"}, {"materials", "b;a;"}});
  return d;
}

TEST(SameSource, RatesByPlatformRegionAndDept) {
  const auto rows = Compute(GuideData(), Options("2024-03-01", "2024-04-01", {GroupKey::kRegion}));
  // R1: platform items I1, I2, I3; with a department copy I1, I2; all matching: I1 only.
  EXPECT_NEAR(Val(rows, "same_source_rate", {"R1"}), 1.0 / 2, kEps);
  // Fields: I1 dept_site 8/8, I2 city_site 6/8, I2 dept_site 8/8 = 22/24.
  EXPECT_NEAR(Val(rows, "field_match_rate", {"R1"}), 22.0 / 24, kEps);
  EXPECT_NEAR(Val(rows, "catalog_coverage", {"R1"}), 2.0 / 3, kEps);
  EXPECT_NEAR(Val(rows, "same_source_rate", {"R2"}), 1.0, kEps);
  EXPECT_NEAR(Val(rows, "field_match_rate", {"R2"}), 1.0, kEps);
  EXPECT_NEAR(Val(rows, "catalog_coverage", {"R2"}), 1.0, kEps);
  EXPECT_FALSE(Get(rows, "catalog_coverage", {"R3"}).has_value());  // city_site's own region

  const auto by_dept = Compute(GuideData(), Options("2024-03-01", "2024-04-01", {GroupKey::kDept}));
  EXPECT_NEAR(Val(by_dept, "catalog_coverage", {"D2"}), 0.0, kEps);
  EXPECT_TRUE(IsNullValue(by_dept, "same_source_rate", {"D2"}));
  EXPECT_TRUE(IsNullValue(by_dept, "field_match_rate", {"D2"}));
  EXPECT_NEAR(Val(by_dept, "same_source_rate", {"D1"}), 0.5, kEps);

  // Guides have no month: left out of a grouping by month.
  const auto by_month = Compute(GuideData(), Options("2024-03-01", "2024-04-01", {GroupKey::kMonth}));
  for (const IndicatorRow& r : by_month) EXPECT_NE(r.indicator, "catalog_coverage");
}

TEST(SameSource, AsOfAnEarlierDateUsesThePublicationsThen) {
  // to = 2024-01-03: I1 and I2 platform copies exist; the dept_site I1 copy is not yet out,
  // I2's dept_site copy is the 2023 one (name X), city_site is not yet out.
  const auto rows = Compute(GuideData(), Options("2023-12-01", "2024-01-03"));
  // Platform items I1, I2, I3, I5; with a department copy: I2 (X), I5.
  EXPECT_NEAR(Val(rows, "catalog_coverage"), 2.0 / 4, kEps);
  // I2: name A vs X mismatches, time 15 vs empty mismatches, fee 0 vs empty mismatches.
  EXPECT_NEAR(Val(rows, "same_source_rate"), 1.0 / 2, kEps);
  EXPECT_NEAR(Val(rows, "field_match_rate"), (5.0 + 8.0) / 16, kEps);
}

TEST(SameSource, MismatchReportNamesTheFields) {
  auto mm = SameSourceMismatches(GuideData(), enginetest::At("2024-04-01"));
  ASSERT_TRUE(mm.ok());
  ASSERT_EQ(mm->size(), 1u);
  const GuideMismatch& m = (*mm)[0];
  EXPECT_EQ(m.item_code, "I2");
  EXPECT_EQ(m.source, "city_site");
  EXPECT_EQ(m.source_dept, "D9");
  EXPECT_EQ(m.platform_region, "R1");
  EXPECT_EQ(m.platform_dept, "D1");
  EXPECT_EQ(m.fields, (std::vector<std::string_view>{"name", "fee"}));
}

TEST(SameSource, FieldNormalisation) {
  EXPECT_EQ(NormalizeGuideText(" Ａ１ b\u3000c\n"), "A1bc");
  EXPECT_TRUE(GuideFieldsMatch(4, "20", "20.0"));
  EXPECT_TRUE(GuideFieldsMatch(4, "２０", "20"));
  EXPECT_FALSE(GuideFieldsMatch(4, "20", "21"));
  EXPECT_FALSE(GuideFieldsMatch(4, "20", ""));
  EXPECT_TRUE(GuideFieldsMatch(0, "", ""));
  EXPECT_TRUE(GuideFieldsMatch(3, "a；b、c", "c, b ,a,a"));
  EXPECT_FALSE(GuideFieldsMatch(3, "a;b", "a;b;c"));
  EXPECT_FALSE(GuideFieldsMatch(0, "a;b", "b;a"));  // only materials is a list
}

}  // namespace
}  // namespace govqm
