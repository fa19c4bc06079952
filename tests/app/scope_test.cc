// The scope policy (service.md §4) under the use cases, on a province built by hand:
// province 450000 with city A 450100 (districts A1 450102, A2 450103) and city B 450300
// (district B1 450302); departments tax and health (provincial) and bpolice (city B).
// Every expected value below is worked out by hand from the rows listed here.
#include "app/scope.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "app/disparity.h"
#include "app/explain.h"
#include "app/import.h"
#include "app/indicators.h"
#include "app/init.h"
#include "app/records.h"
#include "app/render/indicators.h"
#include "app/render/records.h"
#include "app/score.h"
#include "framework/framework.h"
#include "province.h"

namespace govqm::app {
namespace {

constexpr const char* kRegionsCsv =
    "code,name,parent_code\n"
    "450000,Province,\n"
    "450100,City A,450000\n"
    "450102,District A1,450100\n"
    "450103,District A2,450100\n"
    "450300,City B,450000\n"
    "450302,District B1,450300\n";
constexpr const char* kDepartmentsCsv =
    "code,name,region_code\n"
    "tax,Tax,450000\n"
    "health,Health,450000\n"
    "bpolice,Police of B,450300\n";
// T1..T8. submitted in March 2024; completed ones on time unless said otherwise.
constexpr const char* kTransactionsCsv =
    "id,dept_code,region_code,channel,submitted_at,accepted_at,completed_at,due_at,status,visits\n"
    "T1,tax,450102,web,2024-03-04 09:00,2024-03-04 09:00,2024-03-05 09:00,2024-03-10,completed,0\n"
    "T2,tax,450102,hall,2024-03-04 10:00,2024-03-04 10:00,2024-03-12 09:00,2024-03-10,completed,1\n"
    "T3,health,450102,web,2024-03-05 09:00,2024-03-05 09:00,,2024-03-20,in_progress,0\n"
    "T4,tax,450103,app,2024-03-05 10:00,2024-03-05 10:00,2024-03-06 09:00,2024-03-10,completed,2\n"
    "T5,tax,450100,hall,2024-03-06 09:00,2024-03-06 09:00,2024-03-07 09:00,2024-03-10,completed,0\n"
    "T6,tax,450302,hall,2024-03-06 10:00,2024-03-06 10:00,2024-03-07 09:00,2024-03-10,completed,0\n"
    "T7,health,450302,web,2024-03-07 09:00,2024-03-07 09:00,2024-03-12 "
    "09:00,2024-03-10,completed,1\n"
    "T8,,450102,web,2024-03-07 10:00,2024-03-07 10:00,2024-03-08 09:00,2024-03-10,completed,0\n";
// E2, E4 and E6 are real-name bad reviews: cases.
constexpr const char* kEvaluationsCsv =
    "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name,comment\n"
    "E1,T1,450102,tax,2024-03-05 12:00,5,false,fine\n"
    "E2,T2,450102,tax,2024-03-12 12:00,1,true,call me on 13812345678 or a@b.cn\n"
    "E3,T4,450103,tax,2024-03-06 12:00,4,false,\n"
    "E4,T6,450302,tax,2024-03-07 12:00,2,true,slow\n"
    "E5,T7,450302,health,2024-03-12 12:00,3,false,\n"
    "E6,T3,450102,health,2024-03-08 12:00,2,true,\n";
constexpr const char* kRectificationsCsv =
    "evaluation_id,event,at,actor,note\n"
    "E2,verified,2024-03-13 09:00,clerk,rang 0771-5551234\n"
    "E4,verified,2024-03-08 09:00,clerk,\n"
    "E4,rectified,2024-03-11 09:00,clerk,\n";
constexpr const char* kProbesCsv =
    "target,region_code,dept_code,checked_at,ok\n"
    "site-a1,450102,tax,2024-03-04 09:00,true\n"
    "site-a1,450102,tax,2024-03-04 10:00,false\n"
    "site-b1,450302,tax,2024-03-04 09:00,true\n";

// Self-assessment rows of the city A as a whole and of its district A1.
constexpr const char* kOrgCsv =
    "unit_code,period,block,indicator,value\n"
    "450100,2024,organization,staff_ratio,0.5\n"
    "450102,2024,organization,staff_ratio,0.9\n";

// A store holding the given kinds' CSV texts, in DIR/govqm.db.
std::string MakeStore(const std::string& name, const std::map<std::string, std::string>& csv) {
  const auto dir = MakeTempDir(name);
  const std::string db = (dir / "govqm.db").string();
  auto created = Init({db, "Asia/Shanghai"});
  EXPECT_TRUE(created.ok()) << created.status().message();
  auto store = Store::Open(db);
  EXPECT_TRUE(store.ok()) << store.status().message();
  for (const char* kind : {"regions", "departments", "transactions", "evaluations",
                           "rectifications", "probes", "org"}) {
    auto it = csv.find(kind);
    if (it == csv.end()) continue;
    const auto file = dir / (std::string(kind) + ".csv");
    std::ofstream(file) << it->second;
    ImportRequest r;
    r.kind = *ParseKind(kind);
    r.files = {file.string()};
    r.atomic = true;
    auto summary = Import(**store, r);
    EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
  }
  return db;
}

const std::string& HandStore() {
  static const std::string db = MakeStore("scope", {{"regions", kRegionsCsv},
                                                    {"departments", kDepartmentsCsv},
                                                    {"transactions", kTransactionsCsv},
                                                    {"evaluations", kEvaluationsCsv},
                                                    {"rectifications", kRectificationsCsv},
                                                    {"probes", kProbesCsv},
                                                    {"org", kOrgCsv}});
  return db;
}

const AccessScope kDistrictA1{"450102", {}};
const AccessScope kTax{"", {"tax"}};
const AccessScope kCityATax{"450100", {"tax"}};

// (group labels joined by '|', indicator) -> value, of an indicators request.
using Values = std::map<std::pair<std::string, std::string>, std::optional<double>>;
Values Scoped(const AccessScope& scope, const std::string& by, bool stream = true,
              std::vector<std::string> only = {}) {
  auto store = Store::Open(HandStore());
  EXPECT_TRUE(store.ok());
  IndicatorsRequest r;
  r.from = "2024-03-01";
  r.to = "2024-04-01";
  auto keys = ParseGroupKeys(by);
  EXPECT_TRUE(keys.ok());
  r.keys = *keys;
  r.only = std::move(only);
  r.scope = scope;
  r.stream = stream;
  auto res = Indicators(**store, r);
  EXPECT_TRUE(res.ok()) << res.status().message();
  Values v;
  if (!res.ok()) return v;
  for (const IndicatorRow& row : res->rows) {
    std::string g;
    for (size_t i = 0; i < row.keys.size(); ++i) g += (i ? "|" : "") + row.keys[i];
    v[{g, std::string(row.indicator)}] = row.value;
  }
  return v;
}

std::set<std::string> Groups(const Values& v) {
  std::set<std::string> g;
  for (const auto& [k, value] : v) g.insert(k.first);
  return g;
}

void ExpectValue(const Values& v, const std::string& group, const std::string& code,
                 double expected) {
  auto it = v.find({group, code});
  ASSERT_NE(it, v.end()) << group << " " << code;
  ASSERT_TRUE(it->second.has_value()) << group << " " << code;
  EXPECT_DOUBLE_EQ(*it->second, expected) << group << " " << code;
}

TEST(Scope, DistrictScopeCountsItsOwnRecordsOnly) {
  for (bool stream : {true, false}) {
    // In A1: T1, T2, T3, T8; E1, E2, E6 (cases E2, E6; E2 verified); probes 1 ok of 2.
    const Values v = Scoped(kDistrictA1, "", stream);
    ExpectValue(v, "", "volume", 4);
    ExpectValue(v, "", "online_rate", 3.0 / 4);      // web, hall, web, web
    ExpectValue(v, "", "zero_visit_rate", 3.0 / 4);  // 0, 1, 0, 0
    ExpectValue(v, "", "completed", 3);              // T1, T2, T8
    ExpectValue(v, "", "on_time_rate", 2.0 / 3);     // T2 late
    ExpectValue(v, "", "evaluations", 3);
    ExpectValue(v, "", "positive_rate", 1.0 / 3);  // 5; 1, 2 are bad
    ExpectValue(v, "", "mean_score", 8.0 / 3);     // (5 + 1 + 2) / 3
    ExpectValue(v, "", "reply_rate", 1.0 / 2);     // E2 verified, E6 not
    ExpectValue(v, "", "rectification_rate", 0);   // neither rectified
    ExpectValue(v, "", "availability", 1.0 / 2);
  }
}

TEST(Scope, DepartmentScopeLeavesOutRecordsWithoutOne) {
  // tax: T1, T2, T4, T5, T6 (T8 has no department); E1, E2, E3, E4 (cases E2, E4).
  const Values v = Scoped(kTax, "");
  ExpectValue(v, "", "volume", 5);
  ExpectValue(v, "", "online_rate", 2.0 / 5);  // web, hall, app, hall, hall
  ExpectValue(v, "", "completed", 5);
  ExpectValue(v, "", "on_time_rate", 4.0 / 5);  // T2 late
  ExpectValue(v, "", "evaluations", 4);
  ExpectValue(v, "", "positive_rate", 2.0 / 4);   // 5, 4
  ExpectValue(v, "", "mean_score", 12.0 / 4);     // 5 + 1 + 4 + 2
  ExpectValue(v, "", "reply_rate", 1);            // E2 and E4 verified
  ExpectValue(v, "", "rectification_rate", 0.5);  // E4 rectified
  ExpectValue(v, "", "availability", 2.0 / 3);
  // By department: only tax appears; no null-department group.
  EXPECT_EQ(Groups(Scoped(kTax, "dept")), (std::set<std::string>{"tax"}));
}

TEST(Scope, RegionAndDepartmentScope) {
  // City A and tax: T1, T2, T4, T5; E1, E2, E3 (case E2, verified).
  const Values v = Scoped(kCityATax, "");
  ExpectValue(v, "", "volume", 4);
  ExpectValue(v, "", "online_rate", 2.0 / 4);  // web, hall, app, hall
  ExpectValue(v, "", "on_time_rate", 3.0 / 4);
  ExpectValue(v, "", "evaluations", 3);
  ExpectValue(v, "", "positive_rate", 2.0 / 3);
  ExpectValue(v, "", "mean_score", 10.0 / 3);
  ExpectValue(v, "", "reply_rate", 1);
  ExpectValue(v, "", "availability", 1.0 / 2);
  // By region: the city's own records and its districts', never B's.
  const Values by_region = Scoped(kCityATax, "region");
  EXPECT_EQ(Groups(by_region), (std::set<std::string>{"450100", "450102", "450103"}));
  ExpectValue(by_region, "450102", "volume", 2);  // T1, T2 (T3 is health, T8 has none)
}

TEST(Scope, AncestorGroupHoldsInScopeValuesAndOthersNeverAppear) {
  // A district user grouped by city: city A appears, over A1's records alone (4, not the
  // city's 6); city B never does.
  const Values by_city = Scoped(kDistrictA1, "city");
  EXPECT_EQ(Groups(by_city), (std::set<std::string>{"450100"}));
  ExpectValue(by_city, "450100", "volume", 4);
  ExpectValue(by_city, "450100", "evaluations", 3);
  // Grouped by region: A1 only (not the city's own T5, not A2).
  EXPECT_EQ(Groups(Scoped(kDistrictA1, "region")), (std::set<std::string>{"450102"}));
  // The whole province, for comparison: both cities.
  EXPECT_EQ(Groups(Scoped({}, "city")), (std::set<std::string>{"450100", "450300"}));
  ExpectValue(Scoped({}, "city"), "450100", "volume", 6);
}

TEST(Scope, EveryIndicatorEqualsTheSameRecordsAlone) {
  // A store of A1's records alone (picked by hand from the lists above), unrestricted, must
  // give every indicator the scoped store gives A1.
  const std::string alone = MakeStore(
      "scope_a1_alone",
      {{"regions", kRegionsCsv},
       {"departments", kDepartmentsCsv},
       {"transactions",
        "id,dept_code,region_code,channel,submitted_at,accepted_at,completed_at,due_at,status,"
        "visits\n"
        "T1,tax,450102,web,2024-03-04 09:00,2024-03-04 09:00,2024-03-05 09:00,2024-03-10,"
        "completed,0\n"
        "T2,tax,450102,hall,2024-03-04 10:00,2024-03-04 10:00,2024-03-12 09:00,2024-03-10,"
        "completed,1\n"
        "T3,health,450102,web,2024-03-05 09:00,2024-03-05 09:00,,2024-03-20,in_progress,0\n"
        "T8,,450102,web,2024-03-07 10:00,2024-03-07 10:00,2024-03-08 09:00,2024-03-10,"
        "completed,0\n"},
       {"evaluations",
        "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name,comment\n"
        "E1,T1,450102,tax,2024-03-05 12:00,5,false,fine\n"
        "E2,T2,450102,tax,2024-03-12 12:00,1,true,x\n"
        "E6,T3,450102,health,2024-03-08 12:00,2,true,\n"},
       {"rectifications", "evaluation_id,event,at,actor,note\nE2,verified,2024-03-13 09:00,,\n"},
       {"probes",
        "target,region_code,dept_code,checked_at,ok\n"
        "site-a1,450102,tax,2024-03-04 09:00,true\n"
        "site-a1,450102,tax,2024-03-04 10:00,false\n"}});
  for (const std::string by : {"", "city", "dept,channel"}) {
    auto store = Store::Open(alone);
    ASSERT_TRUE(store.ok());
    IndicatorsRequest r;
    r.from = "2024-03-01";
    r.to = "2024-04-01";
    r.keys = *ParseGroupKeys(by);
    auto expected = Indicators(**store, r);
    ASSERT_TRUE(expected.ok()) << expected.status().message();
    const Values scoped = Scoped(kDistrictA1, by);
    ASSERT_EQ(scoped.size(), expected->rows.size()) << by;
    for (const IndicatorRow& row : expected->rows) {
      std::string g;
      for (size_t i = 0; i < row.keys.size(); ++i) g += (i ? "|" : "") + row.keys[i];
      auto it = scoped.find({g, std::string(row.indicator)});
      ASSERT_NE(it, scoped.end()) << by << " " << g << " " << row.indicator;
      EXPECT_EQ(it->second, row.value) << by << " " << g << " " << row.indicator;
    }
  }
}

TEST(Scope, UnrestrictedIsByteIdentical) {
  auto store = Store::Open(HandStore());
  ASSERT_TRUE(store.ok());
  IndicatorsRequest r;
  r.from = "2024-03-01";
  r.to = "2024-04-01";
  r.keys = *ParseGroupKeys("region,dept");
  auto plain = Indicators(**store, r);
  r.scope = AccessScope{};
  auto scoped = Indicators(**store, r);
  ASSERT_TRUE(plain.ok() && scoped.ok());
  EXPECT_EQ(render::IndicatorsJson(*plain), render::IndicatorsJson(*scoped));
  EXPECT_EQ(render::IndicatorsCsv(*plain), render::IndicatorsCsv(*scoped));
}

// The policy's pieces, on reference tables built in memory.
Table RegionsTable() {
  Table t(Kind::kRegions);
  for (auto [code, parent] :
       std::vector<std::pair<const char*, const char*>>{{"450000", ""},
                                                        {"450100", "450000"},
                                                        {"450102", "450100"},
                                                        {"450103", "450100"},
                                                        {"450300", "450000"},
                                                        {"450302", "450300"}}) {
    Column& c = t.col(regions_col::kCode);
    c.codes.push_back(c.dict.Intern(code));
    Column& p = t.col(regions_col::kParentCode);
    p.codes.push_back(*parent ? p.dict.Intern(parent) : kNullCode);
    t.col(regions_col::kName).offsets.push_back(0);
    t.col(regions_col::kMacroRegion).bytes.push_back(kNullBool);
    t.col(regions_col::kKeyCity).bytes.push_back(kNullBool);
  }
  t.SetRows(6);
  return t;
}
Table DepartmentsTable() {
  Table t(Kind::kDepartments);
  for (auto [code, region] : std::vector<std::pair<const char*, const char*>>{
           {"tax", "450000"}, {"health", "450000"}, {"bpolice", "450300"}}) {
    Column& c = t.col(departments_col::kCode);
    c.codes.push_back(c.dict.Intern(code));
    Column& r = t.col(departments_col::kRegionCode);
    r.codes.push_back(r.dict.Intern(region));
    t.col(departments_col::kName).offsets.push_back(0);
  }
  t.SetRows(3);
  return t;
}

TEST(ScopeFilter, SubtreeAncestorsAndVisibleGroups) {
  const Table regions = RegionsTable(), departments = DepartmentsTable();
  const ScopeFilter a1(kDistrictA1, regions, departments);
  EXPECT_TRUE(a1.RegionIn("450102"));
  EXPECT_FALSE(a1.RegionIn("450100"));  // the city: an ancestor, not in the subtree
  EXPECT_FALSE(a1.RegionIn("450103"));
  EXPECT_FALSE(a1.RegionIn(""));
  EXPECT_TRUE(a1.IsAncestor("450100") && a1.IsAncestor("450000"));
  EXPECT_FALSE(a1.IsAncestor("450300"));
  EXPECT_TRUE(a1.DeptIn("") && a1.DeptIn("tax"));  // no departments named: all, even none
  EXPECT_TRUE(a1.GroupVisible(GroupKey::kCity, "450100"));
  EXPECT_FALSE(a1.GroupVisible(GroupKey::kCity, "450300"));
  EXPECT_FALSE(a1.GroupVisible(GroupKey::kRegion, "450302"));
  EXPECT_TRUE(a1.GroupVisible(GroupKey::kDept, "tax"));       // provincial: an ancestor's
  EXPECT_FALSE(a1.GroupVisible(GroupKey::kDept, "bpolice"));  // of the other branch
  EXPECT_TRUE(a1.GroupVisible(GroupKey::kChannel, "web"));

  const ScopeFilter city_a(AccessScope{"450100", {}}, regions, departments);
  EXPECT_TRUE(city_a.RegionIn("450100") && city_a.RegionIn("450102") && city_a.RegionIn("450103"));
  EXPECT_FALSE(city_a.RegionIn("450302"));

  const ScopeFilter tax(kTax, regions, departments);
  EXPECT_TRUE(tax.RegionIn("450302") && tax.RegionIn(""));
  EXPECT_TRUE(tax.DeptIn("tax"));
  EXPECT_FALSE(tax.DeptIn("") || tax.DeptIn("health"));
  EXPECT_FALSE(tax.GroupVisible(GroupKey::kDept, "health"));

  // Naming an out-of-scope unit (an unknown one too) is denied; an ancestor is not.
  EXPECT_EQ(a1.CheckUnit(GroupKey::kCity, "450300").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(a1.CheckUnit(GroupKey::kRegion, "999999").code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(a1.CheckUnit(GroupKey::kCity, "450100").ok());
  EXPECT_EQ(tax.CheckUnit(GroupKey::kDept, "health").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(a1.CheckUnit(GroupKey::kRegion, "450103").message(),
            "region '450103' is outside your scope (region 450102)");
  EXPECT_EQ(tax.CheckUnit(GroupKey::kDept, "health").message(),
            "dept 'health' is outside your scope (every region, departments tax)");
  Dataset d;
  d.regions = regions;
  d.departments = departments;
  EXPECT_EQ(CheckUnitInScope(kDistrictA1, d, GroupKey::kRegion, "450302").code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckUnitInScope({}, d, GroupKey::kRegion, "450302").ok());
}

TEST(ScopeFilter, OrgRowsByTheirUnit) {
  const Table regions = RegionsTable(), departments = DepartmentsTable();
  Table org(Kind::kOrg);
  for (const char* unit : {"450102", "450100", "tax", "450302", "health"}) {
    Column& u = org.col(org_col::kUnitCode);
    u.codes.push_back(u.dict.Intern(unit));
    Column& p = org.col(org_col::kPeriod);
    p.codes.push_back(p.dict.Intern("2024"));
    org.col(org_col::kBlock).bytes.push_back(0);
    Column& i = org.col(org_col::kIndicator);
    i.codes.push_back(i.dict.Intern("staff"));
    org.col(org_col::kValue).reals.push_back(1);
    org.col(org_col::kEvidence).offsets.push_back(0);
  }
  org.SetRows(5);
  // A district user: its own district's rows; not its city's (they speak for the whole
  // city), and not the provincial departments' (their region is outside the subtree).
  auto a1 = ScopeFilter(kDistrictA1, regions, departments).Mask(org);
  ASSERT_TRUE(a1.ok());
  EXPECT_EQ(*a1, (std::vector<bool>{true, false, false, false, false}));
  // A department scope: that department's rows only, no region's.
  auto tax = ScopeFilter(kTax, regions, departments).Mask(org);
  ASSERT_TRUE(tax.ok());
  EXPECT_EQ(*tax, (std::vector<bool>{false, false, true, false, false}));
}

TEST(Scope, KeepRowsKeepsFingerprintsAligned) {
  Table t(Kind::kEvaluations);
  for (const char* id : {"E1", "E2", "E3", "E4"}) {
    for (int c = 0; c < static_cast<int>(t.def().columns.size()); ++c) {
      Column& col = t.col(c);
      if (c == eval_col::kId) {
        col.text += id;
        col.offsets.push_back(col.text.size());
      } else if (col.type == ColumnType::kText) {
        col.offsets.push_back(col.text.size());
      } else if (col.type == ColumnType::kCode) {
        col.codes.push_back(col.dict.Intern(std::string("r") + id));
      } else {
        col.ResizeFixed(col.size() + 1);
      }
    }
  }
  t.SetRows(4);
  t.fingerprints[1] = {FingerprintOf("E1"), FingerprintOf("E2"), FingerprintOf("E3"),
                       FingerprintOf("E4")};
  t.KeepRows({false, true, false, true});
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.col(eval_col::kId).TextAt(0), "E2");
  EXPECT_EQ(t.col(eval_col::kId).TextAt(1), "E4");
  EXPECT_EQ(t.col(eval_col::kRegionCode).CodeAt(1), "rE4");
  ASSERT_EQ(t.fingerprints[1].size(), 2u);
  EXPECT_EQ(t.fingerprints[1][0], FingerprintOf("E2"));
  EXPECT_EQ(t.fingerprints[1][1], FingerprintOf("E4"));
  const Table copy = t.Filter({true, false});
  ASSERT_EQ(copy.rows(), 1u);
  EXPECT_EQ(copy.col(eval_col::kId).TextAt(0), "E2");
  ASSERT_EQ(copy.fingerprints[1].size(), 1u);
  EXPECT_EQ(copy.fingerprints[1][0], FingerprintOf("E2"));
}

// ---- records --------------------------------------------------------------------------

Result<RecordsResult> Page(RecordsRequest r) {
  auto store = Store::Open(HandStore());
  EXPECT_TRUE(store.ok());
  return Records(**store, r);
}

std::vector<std::string> Column0(const RecordsResult& r) {
  std::vector<std::string> ids;
  for (const auto& row : r.rows) ids.push_back(row[0]);
  return ids;
}

TEST(Records, InScopeRecordsPagedWithTheirTotal) {
  RecordsRequest r;
  r.kind = "transactions";
  r.scope = kDistrictA1;
  r.limit = 2;
  r.offset = 1;
  auto page = Page(r);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->total, 4);  // T1, T2, T3, T8
  EXPECT_EQ(Column0(*page), (std::vector<std::string>{"T2", "T3"}));
  r.offset = 3;
  EXPECT_EQ(Column0(*Page(r)), (std::vector<std::string>{"T8"}));
  r.offset = 4;
  EXPECT_TRUE(Page(r)->rows.empty());
  // Filters narrow within the scope; the period is the anchor time's.
  r = RecordsRequest{};
  r.kind = "transactions";
  r.scope = kTax;
  r.region = "450100";
  r.from = "2024-03-05";
  r.to = "2024-03-07";
  auto narrowed = Page(r);
  ASSERT_TRUE(narrowed.ok()) << narrowed.status().message();
  EXPECT_EQ(Column0(*narrowed), (std::vector<std::string>{"T4", "T5"}));
  EXPECT_EQ(narrowed->total, 2);
}

TEST(Records, RectificationsFollowTheirEvaluation) {
  RecordsRequest r;
  r.kind = "rectifications";
  r.scope = kDistrictA1;
  auto page = Page(r);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(Column0(*page), (std::vector<std::string>{"E2"}));
  r.scope = kTax;
  EXPECT_EQ(Page(r)->total, 3);
  r.dept = "tax";
  r.region = "450300";
  EXPECT_EQ(Column0(*Page(r)), (std::vector<std::string>{"E4", "E4"}));
}

TEST(Records, CommentsScrubbedAndJson) {
  RecordsRequest r;
  r.kind = "evaluations";
  r.scope = kCityATax;
  r.limit = 2;
  auto page = Page(r);
  ASSERT_TRUE(page.ok()) << page.status().message();
  const auto& cols = page->columns;
  const size_t comment = std::find(cols.begin(), cols.end(), "comment") - cols.begin();
  ASSERT_LT(comment, cols.size());
  EXPECT_EQ(page->rows[1][comment], "call me on *** or ***");
  EXPECT_EQ(page->total, 3);  // E1, E2, E3
  const std::string json = render::RecordsJson(*page);
  EXPECT_TRUE(json.starts_with(
      "{\"kind\":\"evaluations\",\"total\":3,\"offset\":0,\"limit\":2,\"columns\":[\"id\","))
      << json;
  EXPECT_NE(
      json.find("\n[\"E1\",\"T1\",\"450102\",\"tax\",null,null,\"2024-03-05T04:00:00.000Z\",5,"),
      std::string::npos)
      << json;
  EXPECT_EQ(json.find("13812345678"), std::string::npos);
  // Notes of rectifications too.
  r.kind = "rectifications";
  auto events = Page(r);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->rows[0][4], "rang ***");
}

TEST(Records, NeverAContactColumn) {
  RecordsRequest r;
  r.kind = "guides";  // a guide's contact field is a publication's, but no contact is shown here
  auto page = Page(r);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->total, 0);
  EXPECT_EQ(std::count(page->columns.begin(), page->columns.end(), "contact"), 0);
  EXPECT_EQ(page->columns.size(), GetKindDef(Kind::kGuides).columns.size() - 1);
  EXPECT_EQ(render::RecordsJson(*page).substr(0, 47),
            "{\"kind\":\"guides\",\"total\":0,\"offset\":0,\"limit\":1");
}

TEST(Records, ErrorsSayWhatIsWrong) {
  RecordsRequest r;
  r.kind = "people";
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Page(r).status().message(),
            "records: unknown kind 'people' (transactions, evaluations, rectifications, probes, "
            "guides, org)");
  r.kind = "regions";
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  r.kind = "transactions";
  r.limit = 1001;
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Page(r).status().message(), "records: limit must be between 1 and 1000 (got 1001)");
  r.limit = 0;
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  r.limit = 1000;
  EXPECT_TRUE(Page(r).ok());
  r.offset = -1;
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  r.offset = 0;
  r.kind = "probes";
  r.item = "x";
  EXPECT_EQ(Page(r).status().code(), StatusCode::kInvalidInput);
  // Naming a unit outside the scope.
  r = RecordsRequest{};
  r.kind = "transactions";
  r.scope = kDistrictA1;
  r.region = "450302";
  EXPECT_EQ(Page(r).status().code(), StatusCode::kPermissionDenied);
  r.scope = kCityATax;
  r.region = "";
  r.dept = "health";
  EXPECT_EQ(Page(r).status().code(), StatusCode::kPermissionDenied);
}

// ---- explain --------------------------------------------------------------------------

LoadedFramework SmallFramework() {
  auto fw = ParseFramework(
      "[framework]\nname = \"small\"\nversion = \"1\"\nshape = \"tree\"\nmin_sample = 0\n"
      "[index]\ncode = \"index\"\naggregation = \"arithmetic\"\n"
      "[[node]]\ncode = \"all\"\nparent = \"index\"\nweight = 1\n"
      "[[indicator]]\ncode = \"volume\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n"
      "[[indicator]]\ncode = \"on_time_rate\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n",
      "small.toml");
  EXPECT_TRUE(fw.ok()) << fw.status().message();
  return LoadedFramework{*fw, "small.toml"};
}

TEST(ScopedExplain, OutOfScopeUnitIsDeniedAndRecordsHidden) {
  auto store = Store::Open(HandStore());
  ASSERT_TRUE(store.ok());
  ExplainRequest r;
  r.input.from = "2024-03-01";
  r.input.to = "2024-04-01";
  r.input.by = "city";
  r.input.scope = kDistrictA1;
  r.unit = "450300";
  auto denied = Explain(SmallFramework(), r, store->get());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  // The ancestor city, over A1's records: 4 transactions, 2 of 3 completed on time; with
  // record examples, then without.
  r.unit = "450100";
  auto shown = Explain(SmallFramework(), r, store->get());
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  const auto& e = *shown->evidence[1];
  EXPECT_EQ(e.value, 2.0 / 3);
  EXPECT_EQ(e.base.denominator, 3);
  EXPECT_FALSE(e.examples.in_ids.empty());
  for (const auto& id : e.examples.in_ids) EXPECT_TRUE(id == "T1" || id == "T8") << id;
  for (const auto& id : e.examples.out_ids) EXPECT_EQ(id, "T2");
  r.show_records = false;
  auto hidden = Explain(SmallFramework(), r, store->get());
  ASSERT_TRUE(hidden.ok());
  for (const auto& ev : hidden->evidence) {
    if (!ev) continue;
    EXPECT_TRUE(ev->examples.in_ids.empty() && ev->examples.out_ids.empty());
    EXPECT_TRUE(ev->examples.detail.empty());
  }
  EXPECT_EQ(hidden->evidence[0]->value, 4);
}

TEST(ScopedDisparity, OverTheScopesUnitsOnly) {
  auto store = Store::Open(HandStore());
  ASSERT_TRUE(store.ok());
  DisparityRequest r;
  r.input.from = "2024-03-01";
  r.input.to = "2024-04-01";
  r.input.by = "region";
  r.input.scope = kCityATax;
  r.indicator = "evaluations";  // not in the framework: computed for the scoped units
  auto out = Disparity(SmallFramework(), r, store->get());
  ASSERT_TRUE(out.ok()) << out.status().message();
  // Units 450100 (T5, no evaluation: left out), 450102 (E1, E2) and 450103 (E3); B none.
  EXPECT_EQ(out->left_out, 1u);
  EXPECT_EQ(out->result.units, 2u);
  EXPECT_DOUBLE_EQ(out->result.mean, 1.5);
  EXPECT_DOUBLE_EQ(out->result.min, 1);
  EXPECT_DOUBLE_EQ(out->result.max, 2);
  ASSERT_TRUE(out->result.gini.has_value());
  EXPECT_DOUBLE_EQ(*out->result.gini, 2.0 / 12);  // (|2-1| + |1-2|) / (2 * 2^2 * 1.5)
}

TEST(ScopedScore, UnitsAndOrgRowsOfTheScopeOnly) {
  auto store = Store::Open(HandStore());
  ASSERT_TRUE(store.ok());
  auto fw = ParseFramework(
      "[framework]\nname = \"s\"\nversion = \"1\"\nshape = \"tree\"\nmin_sample = 0\n"
      "[index]\ncode = \"index\"\naggregation = \"arithmetic\"\n"
      "[[node]]\ncode = \"all\"\nparent = \"index\"\nweight = 1\n"
      "[[indicator]]\ncode = \"volume\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n"
      "[[indicator]]\ncode = \"staff_ratio\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n",
      "s.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  auto score = [&](const AccessScope& scope, const std::string& by) {
    ScoreRequest r;
    r.input.from = "2024-03-01";
    r.input.to = "2024-04-01";
    r.input.by = by;
    r.input.scope = scope;
    auto out = Score(LoadedFramework{*fw, "s.toml"}, r, store->get());
    EXPECT_TRUE(out.ok()) << out.status().message();
    return std::move(out.value());
  };
  // The whole province by city: A (6 transactions, its own org row 0.5) and B (2).
  const ScoreOutput all = score({}, "city");
  ASSERT_EQ(all.input.values.units, (std::vector<std::string>{"450100", "450300"}));
  EXPECT_EQ(all.input.values.values[0][0], 6);
  EXPECT_EQ(all.input.values.values[0][1], 0.5);
  // A district user by city: the city over A1's 4 transactions, without the city's own org
  // row (it speaks for the whole city); B never.
  const ScoreOutput a1_city = score(kDistrictA1, "city");
  ASSERT_EQ(a1_city.input.values.units, (std::vector<std::string>{"450100"}));
  EXPECT_EQ(a1_city.input.values.values[0][0], 4);
  EXPECT_FALSE(a1_city.input.values.values[0][1].has_value());
  // By region: A1 with its own org row.
  const ScoreOutput a1 = score(kDistrictA1, "region");
  ASSERT_EQ(a1.input.values.units, (std::vector<std::string>{"450102"}));
  EXPECT_EQ(a1.input.values.values[0][1], 0.9);
}

}  // namespace
}  // namespace govqm::app
