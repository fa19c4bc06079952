// Group keys: city via the hierarchy, macro_region inheritance, local month/day buckets,
// multi-key grouping, output order, thread-count independence, the catalog itself.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "test_util.h"

namespace govqm {
namespace {

using enginetest::AddRow;
using enginetest::Compute;
using enginetest::Get;
using enginetest::Options;
using enginetest::Val;

void Region(Dataset& d, const char* code, const char* parent, const char* macro) {
  AddRow(d.regions, {{"code", code}, {"name", code}, {"parent_code", parent},
                     {"macro_region", macro}});
}

void Tx(Dataset& d, const char* id, const char* region, const char* at,
        const char* channel = "web", const char* age = "") {
  AddRow(d.transactions, {{"id", id}, {"region_code", region}, {"channel", channel},
                          {"status", "in_progress"}, {"submitted_at", at},
                          {"applicant_age", age}});
}

Dataset Hierarchy() {
  Dataset d;
  Region(d, "P", "", "east");     // province (root)
  Region(d, "C1", "P", "");       // city, inherits east
  Region(d, "D11", "C1", "");     // district
  Region(d, "D111", "D11", "");   // below district
  Region(d, "D12", "C1", "central");  // own macro_region wins
  Region(d, "C2", "P", "west");
  Region(d, "Q", "ZZ", "");       // parent unknown to regions: ZZ counts as the root
  Region(d, "Q2", "Q", "");
  const char* regions[] = {"P", "C1", "D11", "D111", "D12", "C2", "Q", "Q2", "X"};
  int i = 0;
  for (const char* r : regions) {
    Tx(d, ("t" + std::to_string(i++)).c_str(), r, "2024-03-05 10:00");
  }
  return d;
}

TEST(Grouping, CityFollowsTheHierarchy) {
  const auto rows = Compute(Hierarchy(), Options("2024-03-01", "2024-04-01", {GroupKey::kCity}));
  // P -> P (root); C1, D11, D111, D12 -> C1; C2 -> C2; Q, Q2 -> Q; X (unknown) -> X.
  EXPECT_EQ(Val(rows, "volume", {"C1"}), 4);
  EXPECT_EQ(Val(rows, "volume", {"C2"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"P"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"Q"}), 2);
  EXPECT_EQ(Val(rows, "volume", {"X"}), 1);
  // Sorted by label.
  std::vector<std::string> order;
  for (const IndicatorRow& r : rows) {
    if (r.indicator == "volume") order.push_back(r.keys[0]);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"C1", "C2", "P", "Q", "X"}));
}

TEST(Grouping, MacroRegionInheritsFromTheNearestAncestor) {
  const auto rows =
      Compute(Hierarchy(), Options("2024-03-01", "2024-04-01", {GroupKey::kMacroRegion}));
  // east: P, C1, D11, D111; central: D12; west: C2; null: Q, Q2 (no macro up the chain), X.
  EXPECT_EQ(Val(rows, "volume", {"east"}), 4);
  EXPECT_EQ(Val(rows, "volume", {"central"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"west"}), 1);
  EXPECT_EQ(Val(rows, "volume", {""}), 3);
  EXPECT_EQ(rows.front().keys[0], "");  // null key first
}

TEST(Grouping, MonthAndDayBucketsAreLocal) {
  Dataset d;
  Tx(d, "a", "R", "2024-03-31 23:30");  // 15:30Z: March locally
  Tx(d, "b", "R", "2024-04-01 00:30");  // 16:30Z on 03-31 in UTC, but April locally
  const auto rows = Compute(d, Options("2024-03-01", "2024-05-01", {GroupKey::kMonth}));
  EXPECT_EQ(Val(rows, "volume", {"2024-03"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"2024-04"}), 1);
  const auto days = Compute(d, Options("2024-03-01", "2024-05-01", {GroupKey::kDay}));
  EXPECT_EQ(Val(days, "volume", {"2024-03-31"}), 1);
  EXPECT_EQ(Val(days, "volume", {"2024-04-01"}), 1);
  // Point-in-time rows for every day that sees a record: 03-31 and each April day = 31.
  int fresh = 0;
  for (const IndicatorRow& r : days) fresh += r.indicator == "freshness_hours";
  EXPECT_EQ(fresh, 31);
  // At the end of 04-02 the newest record (04-01 00:30) is 47.5 h old.
  EXPECT_DOUBLE_EQ(Val(days, "freshness_hours", {"2024-04-02"}), 47.5);
  // A period starting mid-month: the first bucket is clipped and labelled by its month.
  const auto clipped = Compute(d, Options("2024-03-15", "2024-04-10", {GroupKey::kMonth}));
  EXPECT_EQ(Val(clipped, "volume", {"2024-03"}), 1);
  EXPECT_DOUBLE_EQ(Val(clipped, "freshness_hours", {"2024-04"}), 9 * 24 - 0.5);
}

TEST(Grouping, MultiKeyAndModeAndAgeBand) {
  Dataset d;
  Tx(d, "1", "R1", "2024-03-05 10:00", "web", "29");
  Tx(d, "2", "R1", "2024-03-05 10:00", "app", "30");
  Tx(d, "3", "R1", "2024-03-05 10:00", "hall", "44");
  Tx(d, "4", "R2", "2024-03-05 10:00", "hotline", "60");
  Tx(d, "5", "R2", "2024-03-05 10:00", "fax", "");
  Tx(d, "6", "R2", "2024-03-05 10:00", "kiosk", "70");
  const auto rows = Compute(
      d, Options("2024-03-01", "2024-04-01", {GroupKey::kRegion, GroupKey::kMode, GroupKey::kAgeBand}));
  EXPECT_EQ(Val(rows, "volume", {"R1", "online", "<30"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"R1", "online", "30-44"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"R1", "offline", "30-44"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"R2", "phone", "60-69"}), 1);
  EXPECT_EQ(Val(rows, "volume", {"R2", "other", ""}), 1);
  EXPECT_EQ(Val(rows, "volume", {"R2", "offline", "70+"}), 1);
  int groups = 0;
  for (const IndicatorRow& r : rows) groups += r.indicator == "volume";
  EXPECT_EQ(groups, 6);
  // Channel modes are configuration.
  EngineOptions o = Options("2024-03-01", "2024-04-01", {GroupKey::kMode});
  o.modes.Set("fax", "offline");
  const auto remapped = Compute(d, o);
  EXPECT_EQ(Val(remapped, "volume", {"offline"}), 3);
  EXPECT_NEAR(Val(remapped, "online_rate", {"online"}), 1.0, 1e-12);
}

TEST(Grouping, OutputOrderIsKeysThenCatalog) {
  Dataset d;
  Tx(d, "1", "R2", "2024-03-05 10:00");
  Tx(d, "2", "R1", "2024-03-05 10:00");
  AddRow(d.evaluations, {{"id", "e"}, {"region_code", "R1"},
                         {"evaluated_at", "2024-03-05 00:00"}, {"score", "5"}});
  const auto rows = Compute(d, Options("2024-03-01", "2024-04-01", {GroupKey::kRegion}));
  ASSERT_FALSE(rows.empty());
  const auto cat = Catalog();
  auto pos = [&](std::string_view code) { return FindIndicator(code); };
  for (size_t i = 1; i < rows.size(); ++i) {
    const bool keys_le = rows[i - 1].keys <= rows[i].keys;
    EXPECT_TRUE(keys_le);
    if (rows[i - 1].keys == rows[i].keys) {
      EXPECT_LT(pos(rows[i - 1].indicator), pos(rows[i].indicator));
    }
  }
  // R1 has both transaction and evaluation families; R2 has no evaluation rows.
  EXPECT_TRUE(Get(rows, "evaluations", {"R1"}).has_value());
  EXPECT_FALSE(Get(rows, "evaluations", {"R2"}).has_value());
  (void)cat;
}

TEST(Engine, UsageErrors) {
  Dataset d;
  EngineOptions o = Options("2024-03-01", "2024-04-01");
  o.only = {"volume", "no_such_code"};
  auto r = ComputeIndicators(d, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUsage);
  EngineOptions empty = Options("2024-04-01", "2024-03-01");
  EXPECT_EQ(ComputeIndicators(d, empty).status().code(), StatusCode::kUsage);
  EngineOptions twice = Options("2024-03-01", "2024-04-01", {GroupKey::kRegion, GroupKey::kRegion});
  EXPECT_EQ(ComputeIndicators(d, twice).status().code(), StatusCode::kUsage);
}

TEST(Engine, ParseAndNameGroupKeys) {
  for (int i = 0; i < kGroupKeyCount; ++i) {
    const auto k = static_cast<GroupKey>(i);
    EXPECT_EQ(ParseGroupKey(GroupKeyName(k)), k);
  }
  EXPECT_EQ(GroupKeyName(GroupKey::kAgeBand), "age_band");
  EXPECT_EQ(GroupKeyName(GroupKey::kMacroRegion), "macro_region");
  EXPECT_FALSE(ParseGroupKey("province").has_value());
}

// A dataset with a record of every kind, for catalog-wide checks.
Dataset Everything() {
  Dataset d;
  AddRow(d.transactions, {{"id", "t"}, {"region_code", "R"}, {"channel", "web"},
                          {"status", "completed"}, {"submitted_at", "2024-03-02 00:00"},
                          {"completed_at", "2024-03-03 00:00"}});
  AddRow(d.evaluations, {{"id", "e"}, {"region_code", "R"}, {"evaluated_at", "2024-03-05 00:00"},
                         {"score", "1"}, {"real_name", "true"}});
  AddRow(d.probes, {{"target", "x"}, {"region_code", "R"}, {"checked_at", "2024-03-05 00:00"},
                    {"ok", "true"}});
  AddRow(d.guides, {{"source", "platform"}, {"item_code", "I"}, {"region_code", "R"}});
  return d;
}

TEST(Catalog, EveryCodeIsComputedExactlyOnce) {
  const auto rows = Compute(Everything(), Options("2024-03-01", "2024-04-01"));
  const auto cat = Catalog();
  EXPECT_EQ(cat.size(), 40u);
  EXPECT_EQ(rows.size(), cat.size());
  std::set<std::string_view> seen;
  for (size_t i = 0; i < rows.size() && i < cat.size(); ++i) {
    EXPECT_EQ(rows[i].indicator, cat[i].code);  // one group: catalog order
    seen.insert(rows[i].indicator);
  }
  EXPECT_EQ(seen.size(), cat.size());
  for (const IndicatorInfo& info : cat) {
    EXPECT_FALSE(info.family.empty());
    EXPECT_FALSE(info.unit.empty());
    EXPECT_FALSE(info.definition.empty());
    EXPECT_EQ(FindIndicator(info.code), &info - cat.data());
  }
}

TEST(Catalog, OnlySelectsCodes) {
  EngineOptions o = Options("2024-03-01", "2024-04-01");
  o.only = {"availability", "volume"};
  const auto rows = Compute(Everything(), o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].indicator, "volume");  // catalog order, not the order asked
  EXPECT_EQ(rows[1].indicator, "availability");
}

// A pseudo-random dataset large enough to be split across threads.
Dataset Synthetic(size_t n) {
  Dataset d;
  std::mt19937_64 rng(7);
  Table& t = d.transactions;
  const char* channels[] = {"web", "app", "hall", "kiosk", "hotline"};
  const char* statuses[] = {"in_progress", "completed", "completed", "rejected"};
  const int64_t from = enginetest::At("2024-01-01");
  for (size_t i = 0; i < n; ++i) {
    const int64_t sub = from + static_cast<int64_t>(rng() % (120 * kMsPerDay));
    const bool done = rng() % 3 != 0;
    const std::string id = "t" + std::to_string(i);
    t.col(tx_col::kId).text.append(id);
    t.col(tx_col::kId).offsets.push_back(t.col(tx_col::kId).text.size());
    t.col(tx_col::kItemCode).codes.push_back(kNullCode);
    t.col(tx_col::kDeptCode).codes.push_back(t.col(tx_col::kDeptCode).dict.Intern(
        "D" + std::to_string(rng() % 7)));
    t.col(tx_col::kRegionCode).codes.push_back(t.col(tx_col::kRegionCode).dict.Intern(
        "R" + std::to_string(rng() % 13)));
    t.col(tx_col::kChannel).codes.push_back(t.col(tx_col::kChannel).dict.Intern(channels[rng() % 5]));
    t.col(tx_col::kApplicantType).bytes.push_back(kNullBool);
    t.col(tx_col::kApplicantAge).ints.push_back(rng() % 5 == 0 ? kNullInt : int32_t(rng() % 90));
    t.col(tx_col::kSubmittedAt).times.push_back(sub);
    t.col(tx_col::kAcceptedAt).times.push_back(rng() % 4 == 0 ? kNullTime : sub + 3600000);
    t.col(tx_col::kCompletedAt).times.push_back(done ? sub + int64_t(rng() % (20 * kMsPerDay)) : kNullTime);
    t.col(tx_col::kDueAt).times.push_back(sub + int64_t(rng() % (15 * kMsPerDay)));
    t.col(tx_col::kPromisedDays).reals.push_back(double(rng() % 10) / 3);
    t.col(tx_col::kStatutoryDays).reals.push_back(double(rng() % 20));
    t.col(tx_col::kStatus).bytes.push_back(done ? 1 : int8_t(rng() % 2 == 0 ? 0 : 3));
    t.col(tx_col::kVisits).ints.push_back(int32_t(rng() % 3));
    t.col(tx_col::kMaterialsRequired).ints.push_back(int32_t(rng() % 6));
    t.col(tx_col::kMaterialsExempted).ints.push_back(0);
    t.col(tx_col::kCrossRegion).bytes.push_back(int8_t(rng() % 3) - 1);
    t.col(tx_col::kWaitMinutes).reals.push_back(double(rng() % 6000) / 97);
    t.col(tx_col::kReportedAt).times.push_back(rng() % 2 ? sub + int64_t(rng() % 100000000) : kNullTime);
    t.col(tx_col::kWindowCode).codes.push_back(kNullCode);
    (void)statuses;
  }
  t.SetRows(n);
  return d;
}

TEST(Engine, OneAndTwoThreadsGiveIdenticalResults) {
  const Dataset d = Synthetic(200000);
  for (auto keys : {std::vector<GroupKey>{GroupKey::kRegion},
                    std::vector<GroupKey>{GroupKey::kMonth, GroupKey::kMode, GroupKey::kDept}}) {
    EngineOptions o = Options("2024-01-15", "2024-04-01", keys);
    o.threads = 1;
    const auto one = Compute(d, o);
    o.threads = 2;
    const auto two = Compute(d, o);
    ASSERT_EQ(one.size(), two.size());
    ASSERT_GT(one.size(), 100u);
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(one[i].keys, two[i].keys);
      EXPECT_EQ(one[i].indicator, two[i].indicator);
      EXPECT_EQ(one[i].value, two[i].value) << one[i].indicator;  // bitwise, not approximately
    }
  }
}

TEST(Engine, MergedPeriodsEqualOneScanForCounts) {
  // Base measures are decomposable: volume of Jan + Feb = volume of Jan..Feb.
  const Dataset d = Synthetic(5000);
  EngineOptions o = Options("2024-01-01", "2024-03-01", {GroupKey::kRegion});
  o.only = {"volume", "completed"};
  const auto whole = Compute(d, o);
  o.to_ms = enginetest::At("2024-02-01");
  const auto jan = Compute(d, o);
  o.from_ms = o.to_ms;
  o.to_ms = enginetest::At("2024-03-01");
  const auto feb = Compute(d, o);
  for (const IndicatorRow& r : whole) {
    auto a = Get(jan, r.indicator, r.keys), b = Get(feb, r.indicator, r.keys);
    const double sum = (a ? a->value_or(0) : 0) + (b ? b->value_or(0) : 0);
    EXPECT_EQ(*r.value, sum) << r.indicator << " " << r.keys[0];
  }
}

}  // namespace
}  // namespace govqm

namespace govqm {
namespace {

// Transactions handed over in segments, each with its own dictionaries (as the store does).
class SplitSource final : public TableSource {
 public:
  SplitSource(const Table& whole, size_t parts) : whole_(whole), parts_(parts) {}
  size_t segments() const override { return parts_; }
  size_t rows() const override { return whole_.rows(); }
  Result<std::vector<std::string>> Dictionary(int col) const override {
    std::vector<std::string> values;
    for (size_t i = 0; i < parts_; ++i) {
      Table seg(whole_.kind());
      Fill(i, &seg);
      for (const std::string& v : seg.col(col).dict.values()) values.push_back(v);
    }
    return values;
  }
  Status Load(size_t i, Table* out) const override {
    out->Clear();
    Fill(i, out);
    return Status::Ok();
  }

 private:
  // Rows of part i, appended in reverse so each segment's dictionary order differs.
  void Fill(size_t i, Table* out) const {
    const size_t n = whole_.rows();
    const size_t begin = n * i / parts_, end = n * (i + 1) / parts_;
    for (size_t r = end; r-- > begin;) out->AppendRow(whole_, r);
  }
  const Table& whole_;
  size_t parts_;
};

TEST(Engine, SegmentedTransactionsAndEvaluationsEqualOneTable) {
  Dataset d = Synthetic(150000);
  // Evaluations of every 7th transaction (and one of an unknown id), for unrated_rate.
  for (size_t i = 0; i < 150000; i += 7) {
    enginetest::AddRow(d.evaluations, {{"id", "e" + std::to_string(i)},
                                       {"transaction_id", "t" + std::to_string(i)},
                                       {"region_code", "R1"},
                                       {"evaluated_at", "2024-02-01 10:00"},
                                       {"score", "5"}});
  }
  enginetest::AddRow(d.evaluations, {{"id", "ex"}, {"transaction_id", "nope"}, {"region_code", "R1"},
                                     {"evaluated_at", "2024-02-01 10:00"}, {"score", "5"}});
  // Bad real-name reviews (cases of the closed loop), some rectified, spread over the parts.
  for (size_t i = 3; i < 150000; i += 997) {
    const std::string id = "b" + std::to_string(i);
    enginetest::AddRow(d.evaluations, {{"id", id},
                                       {"transaction_id", "t" + std::to_string(i)},
                                       {"region_code", i % 2 ? "R1" : "R2"},
                                       {"evaluated_at", "2024-02-0" + std::to_string(1 + i % 9) + " 09:00"},
                                       {"score", std::to_string(1 + i % 2)},
                                       {"real_name", "true"}});
    if (i % 3 != 0) {
      enginetest::AddRow(d.rectifications, {{"evaluation_id", id}, {"event", "verified"},
                                            {"at", "2024-02-12 10:00"}});
      enginetest::AddRow(d.rectifications, {{"evaluation_id", id}, {"event", "rectified"},
                                            {"at", "2024-02-2" + std::to_string(i % 9) + " 10:00"}});
    }
  }
  for (auto keys : {std::vector<GroupKey>{GroupKey::kRegion},
                    std::vector<GroupKey>{GroupKey::kMonth, GroupKey::kMode, GroupKey::kDept}}) {
    const EngineOptions o = Options("2024-01-15", "2024-04-01", keys);
    const auto whole = Compute(d, o);
    SplitSource source(d.transactions, 4);
    SplitSource eval_source(d.evaluations, 3);
    Dataset streamed = d;
    streamed.transactions = Table(Kind::kTransactions);  // must not be read
    streamed.transaction_source = &source;
    streamed.evaluations = Table(Kind::kEvaluations);
    streamed.evaluation_source = &eval_source;
    const auto parts = Compute(streamed, o);
    ASSERT_EQ(whole.size(), parts.size());
    ASSERT_GT(whole.size(), 100u);
    bool saw_unrated = false, saw_cases = false;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(whole[i].keys, parts[i].keys);
      EXPECT_EQ(whole[i].indicator, parts[i].indicator);
      saw_unrated |= whole[i].indicator == "unrated_rate" && whole[i].value.has_value();
      saw_cases |= whole[i].indicator == "rectification_on_time_rate" && whole[i].value.has_value();
      // Counts and sums are exact in any order; percentiles select the same order statistic.
      EXPECT_EQ(whole[i].value, parts[i].value) << whole[i].indicator;
    }
    EXPECT_TRUE(saw_unrated);
    EXPECT_TRUE(saw_cases);
  }
}

}  // namespace
}  // namespace govqm
