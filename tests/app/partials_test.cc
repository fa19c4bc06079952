// Partials (core/engine/partials.h) over the generated province: the province's records split
// by city into two datasets, computed apart and merged, give every indicator exactly as one
// scan of all records does; the text form reads back to the same partials.
#include "core/engine/partials.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "app/common.h"
#include "app/province.h"
#include "core/engine/grouping.h"
#include "store/dataset_loader.h"

namespace govqm::app {
namespace {

struct Fixture {
  Dataset all;
  Dataset halves[2];
  std::unique_ptr<TimeZone> zone;
  WorkingCalendar calendar;
};

// The rows of `t` whose region lies in a city of `cities` (by the region tree).
Table RowsOfCities(const Table& t, int region_col, const engine::RegionTree& tree,
                   const std::set<std::string>& cities, bool inside) {
  Table out = t;
  std::vector<bool> keep(t.rows());
  for (size_t r = 0; r < t.rows(); ++r) {
    const std::string city(tree.City(t.col(region_col).CodeAt(r)));
    keep[r] = cities.count(city) > 0 ? inside : !inside;
  }
  out.KeepRows(keep);
  return out;
}

const Fixture& Get() {
  static Fixture* f = [] {
    auto* x = new Fixture;
    auto store = Store::Open(Province::Get().db);
    EXPECT_TRUE(store.ok()) << store.status().message();
    auto data = LoadDataset(**store);
    EXPECT_TRUE(data.ok()) << data.status().message();
    x->all = std::move(*data);
    auto zone = ResolveZone("", (*store)->zone());
    EXPECT_TRUE(zone.ok());
    x->zone = std::move(*zone);
    auto calendar = StoredCalendar(**store);
    EXPECT_TRUE(calendar.ok());
    x->calendar = *calendar;
    // Every other city (in code order) into half 0, the rest into half 1: a city's
    // transactions, evaluations and their rectifications stay together, as in a federation.
    const engine::RegionTree tree(x->all.regions);
    std::set<std::string> cities;
    for (size_t r = 0; r < x->all.regions.rows(); ++r) {
      cities.insert(std::string(tree.City(x->all.regions.col(regions_col::kCode).CodeAt(r))));
    }
    std::set<std::string> first;
    bool take = true;
    for (const std::string& c : cities) {
      if (take) first.insert(c);
      take = !take;
    }
    for (int h = 0; h < 2; ++h) {
      Dataset& d = x->halves[h];
      d.regions = x->all.regions;
      d.departments = x->all.departments;
      d.items = x->all.items;
      d.transactions =
          RowsOfCities(x->all.transactions, tx_col::kRegionCode, tree, first, h == 0);
      d.evaluations =
          RowsOfCities(x->all.evaluations, eval_col::kRegionCode, tree, first, h == 0);
      // Events of evaluations of the other half meet no case there: every event goes to both.
      d.rectifications = x->all.rectifications;
      d.probes = RowsOfCities(x->all.probes, probe_col::kRegionCode, tree, first, h == 0);
      // Guides are compared item by item across the platform and the departments' sites:
      // kept whole in one half (they are reference data every city publishes against).
      if (h == 0) d.guides = x->all.guides;
    }
    EXPECT_GT(x->halves[0].transactions.rows(), 0u);
    EXPECT_GT(x->halves[1].transactions.rows(), 0u);
    EXPECT_EQ(x->halves[0].transactions.rows() + x->halves[1].transactions.rows(),
              x->all.transactions.rows());
    return x;
  }();
  return *f;
}

EngineOptions OptionsFor(const Fixture& f, std::vector<GroupKey> keys) {
  EngineOptions o;
  auto from = ParseBound("from", "2024-01-01", *f.zone);
  auto to = ParseBound("to", "2025-01-01", *f.zone);
  EXPECT_TRUE(from.ok() && to.ok());
  o.from_ms = *from;
  o.to_ms = *to;
  o.keys = std::move(keys);
  o.zone = f.zone.get();
  o.calendar = &f.calendar;
  return o;
}

void ExpectSameRows(const std::vector<IndicatorRow>& got, const std::vector<IndicatorRow>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].keys, want[i].keys) << i;
    ASSERT_EQ(got[i].indicator, want[i].indicator) << i;
    ASSERT_EQ(got[i].value.has_value(), want[i].value.has_value())
        << got[i].indicator << " of " << fmt::format("{}", fmt::join(got[i].keys, "/"));
    if (want[i].value) {
      EXPECT_DOUBLE_EQ(*got[i].value, *want[i].value)
          << got[i].indicator << " of " << fmt::format("{}", fmt::join(got[i].keys, "/"));
    }
  }
}

class PartialsMergeTest : public ::testing::TestWithParam<std::vector<GroupKey>> {};

TEST_P(PartialsMergeTest, TwoHalvesMergedEqualOneScanOfAll) {
  const Fixture& f = Get();
  const EngineOptions o = OptionsFor(f, GetParam());
  auto whole = ComputeIndicators(f.all, o);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  auto a = ComputePartials(f.halves[0], o);
  auto b = ComputePartials(f.halves[1], o);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(MergePartials(&*a, std::move(*b)).ok());
  const std::vector<IndicatorRow> merged = FinishPartials(*a);
  ExpectSameRows(merged, *whole);
  // Every family took part (the test would prove little otherwise).
  std::set<std::string_view> codes;
  for (const IndicatorRow& r : merged) codes.insert(r.indicator);
  for (const char* code : {"volume", "p90_handling_days", "unrated_rate", "negative_rate",
                           "rectification_on_time_rate", "eval_freshness_hours", "availability"}) {
    const IndicatorInfo& info = Catalog()[FindIndicator(code)];
    bool supported = true;
    for (GroupKey k : GetParam()) supported = supported && info.Supports(k);
    if (supported) {
      EXPECT_TRUE(codes.count(code)) << code;
    }
  }
}

TEST_P(PartialsMergeTest, TheTextFormReadsBackToTheSamePartials) {
  const Fixture& f = Get();
  const EngineOptions o = OptionsFor(f, GetParam());
  auto a = ComputePartials(f.halves[0], o);
  ASSERT_TRUE(a.ok());
  const std::string text = SerializePartials(*a);
  auto back = ParsePartials(text, "city.partials");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(SerializePartials(*back), text);
  auto again = ComputePartials(f.halves[0], o);
  ASSERT_TRUE(again.ok());
  ExpectSameRows(FinishPartials(*back), FinishPartials(*again));
}

INSTANTIATE_TEST_SUITE_P(
    Keys, PartialsMergeTest,
    ::testing::Values(std::vector<GroupKey>{}, std::vector<GroupKey>{GroupKey::kRegion},
                      std::vector<GroupKey>{GroupKey::kMonth},
                      std::vector<GroupKey>{GroupKey::kChannel, GroupKey::kMonth},
                      std::vector<GroupKey>{GroupKey::kMode, GroupKey::kAgeBand},
                      std::vector<GroupKey>{GroupKey::kDept, GroupKey::kDay}));

TEST(PartialsTest, DifferentPeriodsOrKeysDoNotMerge) {
  const Fixture& f = Get();
  EngineOptions o = OptionsFor(f, {GroupKey::kRegion});
  auto a = ComputePartials(f.halves[0], o);
  EngineOptions later = o;
  later.from_ms += kMsPerDay;
  auto b = ComputePartials(f.halves[1], later);
  ASSERT_TRUE(a.ok() && b.ok());
  Status st = MergePartials(&*a, std::move(*b));
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_NE(st.message().find("from"), std::string::npos) << st.message();
  EngineOptions other_keys = OptionsFor(f, {GroupKey::kDept});
  auto c = ComputePartials(f.halves[1], other_keys);
  ASSERT_TRUE(c.ok());
  st = MergePartials(&*a, std::move(*c));
  EXPECT_NE(st.message().find("keys"), std::string::npos) << st.message();
  EngineOptions days = o;
  days.rectify_days = 10;
  auto d = ComputePartials(f.halves[1], days);
  st = MergePartials(&*a, std::move(*d));
  EXPECT_NE(st.message().find("rectify_days"), std::string::npos) << st.message();
}

TEST(PartialsTest, BrokenTextIsRefusedNamingTheFile) {
  const Fixture& f = Get();
  auto a = ComputePartials(f.halves[0], OptionsFor(f, {GroupKey::kMonth}));
  ASSERT_TRUE(a.ok());
  const std::string text = SerializePartials(*a);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"govqm-partials/1", "govqm-partials/9"},
           {"\"keys\":[\"month\"]", "\"keys\":[\"planet\"]"},
           {"\"sums\":[", "\"sums\":[\"x\","},
           {"\"group\":[\"2024-01\"]", "\"group\":[\"2024-01\",\"extra\"]"}}) {
    std::string broken = text;
    const size_t at = broken.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    broken.replace(at, from.size(), to);
    auto parsed = ParsePartials(broken, "nanning.partials");
    ASSERT_FALSE(parsed.ok()) << to;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(parsed.status().message().find("nanning.partials"), std::string::npos)
        << parsed.status().message();
  }
  EXPECT_FALSE(ParsePartials(text.substr(0, text.size() / 2), "x").ok());
}

}  // namespace
}  // namespace govqm::app
