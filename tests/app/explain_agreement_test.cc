// explain reads the engine's own base measures: for every catalog indicator under every group
// key, on a generated province, the value explain shows is the engine's value, it is made
// again from the base measures by the catalog's formula, and the example records agree with
// the counts (none counted in when the numerator is 0, none left out when it is the whole
// denominator).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "app/explain.h"
#include "app/render/explain.h"
#include "core/engine/catalog.h"
#include "province.h"
#include "store/dataset_loader.h"

namespace govqm::app {
namespace {

// A tree framework that scores every catalog indicator under one block (rule none, no
// minimum sample), so that explaining the index shows them all.
std::string AllIndicatorsFramework() {
  std::string t =
      "[framework]\nname = \"all\"\nversion = \"1\"\nshape = \"tree\"\nmin_sample = 0\n"
      "[index]\ncode = \"index\"\naggregation = \"arithmetic\"\n"
      "[[node]]\ncode = \"all\"\nparent = \"index\"\nweight = 1\n";
  for (const IndicatorInfo& info : Catalog()) {
    t += "[[indicator]]\ncode = \"" + std::string(info.code) +
         "\"\nparent = \"all\"\ndirection = \"higher\"\nrule = \"none\"\nweight = 1\n";
  }
  return t;
}

// Codes whose numerator and denominator count records (not sums of values).
bool CountsRecords(std::string_view code) {
  static const std::set<std::string_view> kSums = {
      "avg_visits",        "material_exemption_rate", "avg_wait_minutes",
      "avg_handling_days", "time_compression_rate",   "completeness_rate",
      "mean_score",        "field_match_rate"};
  return !kSums.count(code);
}

TEST(ExplainAgreement, EveryIndicatorUnderEveryKeyIsTheEngines) {
  const Province& p = Province::Get();
  auto fw = ParseFramework(AllIndicatorsFramework(), "all.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  auto store = Store::Open(p.db);
  ASSERT_TRUE(store.ok());
  int checked = 0;
  std::set<std::string> codes_seen;
  for (int k = 0; k < kGroupKeyCount; ++k) {
    const GroupKey key = static_cast<GroupKey>(k);
    const std::string by(GroupKeyName(key));
    // The engine's plain values for this key (the `indicators` path).
    ScoringRequest in;
    in.from = by == "day" ? "2024-06-01" : "2024-01-01";
    in.to = by == "day" ? "2024-06-04" : "2025-01-01";
    in.by = by;
    auto plain = LoadScoringInput(in, *fw, store->get(), false);
    ASSERT_TRUE(plain.ok()) << by << ": " << plain.status().message();
    // A few units of this key: the first, a middle one and the last.
    const auto& units = plain->values.units;
    ASSERT_FALSE(units.empty()) << by;
    std::set<size_t> picks = {0, units.size() / 2, units.size() - 1};
    for (size_t u : picks) {
      ExplainRequest r;
      r.input = in;
      r.unit = units[u];
      auto out = Explain({*fw, "all.toml"}, r, store->get());
      ASSERT_TRUE(out.ok()) << by << " " << r.unit << ": " << out.status().message();
      const std::string text = render::ExplainText(*out);
      EXPECT_EQ(text.find("DIFFERS"), std::string::npos) << by << " " << r.unit << "\n" << text;
      for (size_t i = 0; i < fw->indicators.size(); ++i) {
        const std::string& code = fw->indicators[i].code;
        const std::optional<double>& engine = plain->values.values[u][i];
        const auto& e = out->evidence[i];
        if (!engine) {
          EXPECT_TRUE(!e || !e->available || !e->value) << by << " " << r.unit << " " << code;
          continue;
        }
        ASSERT_TRUE(e && e->available) << by << " " << r.unit << " " << code;
        ASSERT_TRUE(e->value.has_value()) << code;
        EXPECT_EQ(*e->value, *engine) << by << " " << r.unit << " " << code;
        const IndicatorInfo& info = Catalog()[FindIndicator(code)];
        const BaseMeasures& b = e->base;
        switch (info.measure) {
          case Measure::kCount:
          case Measure::kPointInTime:
            EXPECT_EQ(b.numerator, *engine) << code;
            break;
          case Measure::kRatio:
            EXPECT_EQ(b.numerator / b.denominator, *engine) << by << " " << r.unit << " " << code;
            break;
          case Measure::kGap:
            EXPECT_EQ(b.numerator / b.denominator - b.reference_numerator / b.reference_denominator,
                      *engine)
                << code;
            break;
          case Measure::kPercentile:
            EXPECT_GT(b.denominator, 0) << code;
            break;
        }
        if (info.measure == Measure::kCount) {
          EXPECT_EQ(b.sample, b.numerator)
              << by << " " << code;  // a group may count 0 of one anchor
        } else if (info.measure != Measure::kPointInTime) {
          EXPECT_GT(b.sample, 0) << by << " " << code;
        }
        const bool timed = key == GroupKey::kDay || key == GroupKey::kMonth;
        if (!timed && info.measure == Measure::kRatio && CountsRecords(code)) {
          // The examples come from the same definitions as the counts.
          if (b.numerator == 0) {
            EXPECT_TRUE(e->examples.in_ids.empty()) << by << " " << r.unit << " " << code;
          }
          if (b.numerator == b.denominator) {
            EXPECT_TRUE(e->examples.out_ids.empty()) << by << " " << r.unit << " " << code;
          }
          if (b.numerator > 0) {
            EXPECT_FALSE(e->examples.in_ids.empty()) << by << " " << r.unit << " " << code;
          }
          if (b.numerator < b.denominator) {
            EXPECT_FALSE(e->examples.out_ids.empty()) << by << " " << r.unit << " " << code;
          }
        }
        codes_seen.insert(code);
        ++checked;
      }
    }
  }
  // Every catalog code was checked with a value somewhere.
  for (const IndicatorInfo& info : Catalog()) {
    EXPECT_TRUE(codes_seen.count(std::string(info.code))) << info.code;
  }
  EXPECT_GT(checked, 500);
}

}  // namespace
}  // namespace govqm::app
