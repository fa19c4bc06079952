// explain's base measures for same-source and the point-in-time indicators, on a dataset
// built by hand (expected values worked out in the comments).
#include "cli/base_measures.h"

#include <gtest/gtest.h>

namespace govqm::cli {
namespace {

void AddGuide(Table& g, const std::string& source, const std::string& item, const std::string& fee) {
  for (int c = 0; c < static_cast<int>(g.def().columns.size()); ++c) {
    Column& col = g.col(c);
    std::string v;
    if (c == guide_col::kSource) v = source;
    if (c == guide_col::kItemCode) v = item;
    if (c == guide_col::kRegionCode) v = "R1";
    if (c == guide_col::kDeptCode) v = "D1";
    if (c == guide_col::kName) v = "营业执照";
    if (c == guide_col::kFee) v = fee;
    switch (col.type) {
      case ColumnType::kCode: col.codes.push_back(v.empty() ? kNullCode : col.dict.Intern(v)); break;
      case ColumnType::kText:
        col.text += v;
        col.offsets.push_back(col.text.size());
        break;
      case ColumnType::kTime: col.times.push_back(kNullTime); break;
      default: FAIL() << "unexpected column type";
    }
  }
  g.SetRows(g.rows() + 1);
}

TEST(BaseMeasures, SameSourceCountsItemsAndFields) {
  Dataset d;
  // I1: platform and a department copy that differs in the fee only (8 key fields, 7 match).
  // I2: platform only (not covered, not compared).
  AddGuide(d.guides, "platform", "I1", "0");
  AddGuide(d.guides, "dept-site", "I1", "10");
  AddGuide(d.guides, "platform", "I2", "");
  EngineOptions o;
  o.from_ms = 0;
  o.to_ms = 2000000000000;
  BaseMeasure ss = ComputeBaseMeasure(d, o, GroupKey::kRegion, "R1", "same_source_rate");
  ASSERT_TRUE(ss.available) << ss.why;
  EXPECT_EQ(ss.numerator, 0);    // I1 mismatches on fee
  EXPECT_EQ(ss.denominator, 1);  // only I1 is published by both
  BaseMeasure fm = ComputeBaseMeasure(d, o, GroupKey::kRegion, "R1", "field_match_rate");
  EXPECT_EQ(fm.numerator, 7);
  EXPECT_EQ(fm.denominator, 8);
  EXPECT_NE(fm.detail.find("I1 at dept-site differs in fee"), std::string::npos) << fm.detail;
  BaseMeasure cov = ComputeBaseMeasure(d, o, GroupKey::kRegion, "R1", "catalog_coverage");
  EXPECT_EQ(cov.numerator, 1);
  EXPECT_EQ(cov.denominator, 2);
  // Another region has no platform items: nothing compared, value null.
  BaseMeasure other = ComputeBaseMeasure(d, o, GroupKey::kRegion, "R2", "catalog_coverage");
  EXPECT_FALSE(other.value.has_value());
}

}  // namespace
}  // namespace govqm::cli
