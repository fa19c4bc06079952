// render::ExplainJson on a store of four transactions and three org rows, parsed with simdjson;
// every expected value is worked out by hand below.
//
// Framework: stages s1, s2 × dimension d1 (cells s1/d1, s2/d1: weight 1 × 1 each, so 0.5 and
// 0.5 in the matrix); matrix weight 3, block org weight 1 → 0.75 and 0.25 in the index.
//   on_time_rate  cell s1/d1, target rule 0.5 → 0, 1 → 100
//   online_rate   cell s2/d1, target rule 0 → 0, 1 → 100
//   staff_per_window  block org, target rule 1 → 0, 2 → 100
// Region 450100 (南宁市), March 2024:
//   T1 web, completed 03-02, due 03-05: on time, online
//   T2 app, completed 03-10, due 03-05: late, online
//   T3 window, completed 03-03, due 03-05: on time, offline
//   on_time_rate = 2/3 → (2/3 − .5)/.5 = 33.333…; online_rate = 2/3 → 66.666…
//   staff_per_window: rows 2024-03 = 1.6 and 2024Q1 = 2.0 overlap March (2024-05 = 9 does
//   not) → mean 1.8 → 80
//   matrix = (33.333… + 66.666…)/2 = 50; index = .75·50 + .25·80 = 57.5 (低, < 65)
// Region 450200: T4 window, on time: on_time 1 → 100, online 0 → 0, matrix 50; org 2024 = 1.2
//   → 20; index = 37.5 + 5 = 42.5: rank 2, so 450100 is rank 1.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <set>

#include "app/explain.h"
#include "app/render/explain.h"
#include "province.h"

namespace govqm::app {
namespace {

constexpr const char* kFramework = R"(
[framework]
name = "tiny"
version = "2"
min_sample = 0
[[stage]]
code = "s1"
[[stage]]
code = "s2"
[[dimension]]
code = "d1"
[matrix]
weight = 3
[[block]]
code = "org"
weight = 1
[[indicator]]
code = "on_time_rate"
cell = "s1/d1"
floor = 0.5
target = 1.0
reason = "promises kept"
[[indicator]]
code = "online_rate"
cell = "s2/d1"
floor = 0
target = 1.0
[[indicator]]
code = "staff_per_window"
block = "org"
floor = 1
target = 2
)";

class ExplainJsonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(MakeTempDir("explain_json"));
    const auto write = [](const std::string& name, const std::string& text) {
      std::ofstream(*dir_ / name, std::ios::binary) << text;
      return (*dir_ / name).string();
    };
    const std::string head =
        "id,item_code,dept_code,region_code,channel,applicant_type,applicant_age,submitted_at,"
        "accepted_at,completed_at,due_at,promised_days,statutory_days,status,visits,"
        "materials_required,materials_exempted,cross_region,wait_minutes,reported_at,"
        "window_code\n";
    auto tx = [](const char* id, const char* region, const char* channel, const char* done) {
      return std::string(id) + ",I1,D1," + region + "," + channel +
             ",person,40,2024-03-01T09:00,2024-03-01T09:00," + done +
             ",2024-03-05,3,20,completed,0,2,1,false,,2024-03-01T10:00,\n";
    };
    const std::vector<std::pair<const char*, std::string>> files = {
        {"regions", write("regions.csv",
                          "code,name,parent_code,macro_region,key_city\n450000,广西,,west,\n"
                          "450100,南宁市,450000,,\n450200,柳州市,450000,,\n")},
        {"transactions", write("t.csv", head + tx("T1", "450100", "web", "2024-03-02T09:00") +
                                            tx("T2", "450100", "app", "2024-03-10T09:00") +
                                            tx("T3", "450100", "window", "2024-03-03T09:00") +
                                            tx("T4", "450200", "window", "2024-03-02T09:00"))},
        {"org", write("org.csv",
                      "unit_code,period,block,indicator,value,evidence\n"
                      "450100,2024-03,organization,staff_per_window,1.6,roster March\n"
                      "450100,2024Q1,organization,staff_per_window,2.0,roster Q1\n"
                      "450100,2024-05,organization,staff_per_window,9,roster May\n"
                      "450200,2024,organization,staff_per_window,1.2,roster 2024\n")}};
    db_ = new std::string((*dir_ / "govqm.db").string());
    ASSERT_TRUE(Init({*db_, "Asia/Shanghai"}).ok());
    auto store = Store::Open(*db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    for (const auto& [kind, file] : files) {
      ImportRequest r;
      r.kind = *ParseKind(kind);
      r.files = {file};
      auto summary = Import(**store, r);
      ASSERT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
      ASSERT_EQ(summary->rejected, 0) << kind;
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }

  // explain of unit 450100 over March 2024 by region, as JSON, parsed.
  simdjson::dom::element Explain(ExplainRequest r) {
    r.input.from = "2024-03-01";
    r.input.to = "2024-04-01";
    r.input.by = "region";
    if (r.unit.empty()) r.unit = "450100";
    auto fw = ParseFramework(kFramework, "tiny.toml");
    EXPECT_TRUE(fw.ok()) << fw.status().message();
    auto store = Store::Open(*db_);
    EXPECT_TRUE(store.ok());
    auto out = app::Explain({*fw, "tiny.toml"}, r, store->get());
    EXPECT_TRUE(out.ok()) << out.status().message();
    json_ = simdjson::padded_string(render::ExplainJson(*out));
    return parser_.parse(json_);
  }

  // The object of `array` whose "code" is `code`.
  static simdjson::dom::element ByCode(simdjson::dom::array array, std::string_view code) {
    for (simdjson::dom::element e : array) {
      if (std::string_view(e["code"]) == code) return e;
    }
    ADD_FAILURE() << "no " << code;
    return array.at(0);
  }

  static std::set<std::string> Strings(simdjson::dom::array array) {
    std::set<std::string> s;
    for (simdjson::dom::element e : array) s.insert(std::string(std::string_view(e)));
    return s;
  }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline std::string* db_ = nullptr;
  simdjson::padded_string json_;
  simdjson::dom::parser parser_;
};

TEST_F(ExplainJsonTest, CellDownToBaseMeasuresAndRecords) {
  ExplainRequest r;
  r.cell = "s1/d1";
  simdjson::dom::element doc = Explain(r);
  EXPECT_EQ(std::string_view(doc["framework"]["name"]), "tiny");
  EXPECT_EQ(std::string_view(doc["framework"]["version"]), "2");
  EXPECT_EQ(std::string_view(doc["framework"]["shape"]), "matrix");
  EXPECT_EQ(std::string_view(doc["period"]["from"]), "2024-03-01");
  EXPECT_EQ(std::string_view(doc["period"]["to"]), "2024-04-01");
  EXPECT_EQ(std::string_view(doc["by"]), "region");
  EXPECT_TRUE(bool(doc["show_records"]));

  simdjson::dom::element unit = doc["unit"];
  EXPECT_EQ(std::string_view(unit["unit"]), "450100");
  EXPECT_EQ(std::string_view(unit["name"]), "南宁市");
  EXPECT_DOUBLE_EQ(double(unit["sample"]), 3);  // volume: T1, T2, T3
  EXPECT_NEAR(double(unit["index"]), 57.5, 1e-9);
  EXPECT_EQ(std::string_view(unit["grade"]), "低");
  EXPECT_EQ(int64_t(unit["rank"]), 1);
  EXPECT_FALSE(bool(unit["below_min_sample"]));

  simdjson::dom::element target = doc["target"];
  EXPECT_EQ(std::string_view(target["kind"]), "node");
  EXPECT_EQ(std::string_view(target["level"]), "cell");
  EXPECT_EQ(std::string_view(target["code"]), "s1/d1");
  EXPECT_NEAR(double(target["score"]), 100.0 / 3, 1e-9);

  // index → matrix (weight .75 of the index), then the cell.
  simdjson::dom::array path = doc["path"];
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(std::string_view(path.at(0)["level"]), "index");
  EXPECT_TRUE(path.at(0)["weight"].is_null());
  EXPECT_NEAR(double(path.at(0)["score"]), 57.5, 1e-9);
  EXPECT_EQ(std::string_view(path.at(1)["code"]), "matrix");
  EXPECT_NEAR(double(path.at(1)["score"]), 50, 1e-9);
  EXPECT_NEAR(double(path.at(1)["weight"]), 0.75, 1e-12);
  EXPECT_NEAR(double(path.at(1)["global_weight"]), 0.75, 1e-12);

  simdjson::dom::array children = doc["children"];
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(std::string_view(children.at(0)["level"]), "indicator");
  EXPECT_NEAR(double(children.at(0)["effective_weight"]), 1, 1e-12);

  simdjson::dom::array indicators = doc["indicators"];
  ASSERT_EQ(indicators.size(), 1u);
  simdjson::dom::element ind = indicators.at(0);
  EXPECT_EQ(std::string_view(ind["code"]), "on_time_rate");
  EXPECT_EQ(std::string_view(ind["parent"]), "s1/d1");
  EXPECT_EQ(std::string_view(ind["source"]), "store");
  EXPECT_EQ(std::string_view(ind["rule"]), "target");
  EXPECT_EQ(std::string_view(ind["reason"]), "promises kept");
  EXPECT_NEAR(double(ind["value"]), 2.0 / 3, 1e-15);
  EXPECT_NEAR(double(ind["score"]), 100.0 / 3, 1e-9);
  simdjson::dom::element base = ind["base"];
  EXPECT_EQ(std::string_view(base["measure"]), "ratio");
  EXPECT_DOUBLE_EQ(double(base["numerator"]), 2);    // T1, T3 completed by their due date
  EXPECT_DOUBLE_EQ(double(base["denominator"]), 3);  // T1, T2, T3 completed with a due date
  EXPECT_DOUBLE_EQ(double(base["sample"]), 3);
  EXPECT_NEAR(double(base["value_again"]), 2.0 / 3, 1e-15);
  EXPECT_TRUE(bool(base["agrees"]));
  EXPECT_EQ(Strings(ind["records"]["counted_in"]), (std::set<std::string>{"T1", "T3"}));
  EXPECT_EQ(Strings(ind["records"]["not_counted_in"]), (std::set<std::string>{"T2"}));
}

TEST_F(ExplainJsonTest, IndexShowsWeightsAndOrgPeriods) {
  simdjson::dom::element doc = Explain({});
  EXPECT_EQ(std::string_view(doc["target"]["level"]), "index");
  EXPECT_NEAR(double(doc["target"]["score"]), 57.5, 1e-9);
  EXPECT_EQ(simdjson::dom::array(doc["path"]).size(), 0u);
  simdjson::dom::array children = doc["children"];
  ASSERT_EQ(children.size(), 2u);
  EXPECT_NEAR(double(ByCode(children, "matrix")["score"]), 50, 1e-9);
  EXPECT_NEAR(double(ByCode(children, "matrix")["effective_weight"]), 0.75, 1e-12);
  EXPECT_NEAR(double(ByCode(children, "org")["score"]), 80, 1e-9);
  EXPECT_NEAR(double(ByCode(children, "org")["weight"]), 0.25, 1e-12);
  // The org block is a leaf: its indicator is shown; the matrix's are one level further down.
  simdjson::dom::array indicators = doc["indicators"];
  ASSERT_EQ(indicators.size(), 1u);
  simdjson::dom::element staff = indicators.at(0);
  EXPECT_EQ(std::string_view(staff["code"]), "staff_per_window");
  EXPECT_EQ(std::string_view(staff["source"]), "org");
  EXPECT_NEAR(double(staff["value"]), 1.8, 1e-12);
  EXPECT_NEAR(double(staff["score"]), 80, 1e-9);
  simdjson::dom::array periods = staff["org_periods"];
  ASSERT_EQ(periods.size(), 2u);  // 2024-05 does not overlap March
  std::set<std::pair<std::string, double>> got;
  for (simdjson::dom::element p : periods) {
    got.insert({std::string(std::string_view(p["period"])), double(p["value"])});
  }
  EXPECT_EQ(got, (std::set<std::pair<std::string, double>>{{"2024-03", 1.6}, {"2024Q1", 2.0}}));
}

TEST_F(ExplainJsonTest, StageIsAViewOverItsCells) {
  ExplainRequest r;
  r.stage = "s2";
  simdjson::dom::element doc = Explain(r);
  EXPECT_EQ(std::string_view(doc["target"]["kind"]), "stage");
  EXPECT_EQ(std::string_view(doc["target"]["code"]), "s2");
  EXPECT_NEAR(double(doc["target"]["score"]), 200.0 / 3, 1e-9);
  simdjson::dom::array path = doc["path"];
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(std::string_view(path.at(1)["code"]), "matrix");
  simdjson::dom::array cells = doc["children"];
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(std::string_view(cells.at(0)["code"]), "s2/d1");
  EXPECT_NEAR(double(cells.at(0)["weight"]), 0.5, 1e-12);
  EXPECT_NEAR(double(cells.at(0)["effective_weight"]), 1, 1e-12);
  simdjson::dom::element online = ByCode(doc["indicators"], "online_rate");
  EXPECT_DOUBLE_EQ(double(online["base"]["numerator"]), 2);  // T1 web, T2 app
  EXPECT_DOUBLE_EQ(double(online["base"]["denominator"]), 3);
  EXPECT_EQ(Strings(online["records"]["not_counted_in"]), (std::set<std::string>{"T3"}));
}

TEST_F(ExplainJsonTest, NoRecordIdsWithoutShowRecords) {
  ExplainRequest r;
  r.cell = "s1/d1";
  r.show_records = false;
  simdjson::dom::element doc = Explain(r);
  EXPECT_FALSE(bool(doc["show_records"]));
  simdjson::dom::element ind = simdjson::dom::array(doc["indicators"]).at(0);
  EXPECT_DOUBLE_EQ(double(ind["base"]["numerator"]), 2);  // the aggregates stay
  EXPECT_EQ(ind["records"].error(), simdjson::NO_SUCH_FIELD);
  for (const char* id : {"\"T1\"", "\"T2\"", "\"T3\""}) {
    EXPECT_EQ(std::string_view(json_).find(id), std::string_view::npos) << id;
  }
}

TEST_F(ExplainJsonTest, OtherUnitAndMissingValueNote) {
  ExplainRequest r;
  r.unit = "450200";
  r.cell = "s2/d1";
  simdjson::dom::element doc = Explain(r);
  EXPECT_NEAR(double(doc["unit"]["index"]), 42.5, 1e-9);
  EXPECT_EQ(int64_t(doc["unit"]["rank"]), 2);
  simdjson::dom::element online = simdjson::dom::array(doc["indicators"]).at(0);
  EXPECT_DOUBLE_EQ(double(online["value"]), 0);  // T4 at the window
  EXPECT_DOUBLE_EQ(double(online["score"]), 0);
  EXPECT_DOUBLE_EQ(double(online["base"]["numerator"]), 0);
  EXPECT_DOUBLE_EQ(double(online["base"]["denominator"]), 1);
  EXPECT_EQ(Strings(online["records"]["counted_in"]), std::set<std::string>{});
}

}  // namespace
}  // namespace govqm::app
