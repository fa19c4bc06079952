// govqm explain --format json through the real program: the output parses, its numbers are
// those the text shows and those of score --format json for the same unit, and those worked
// out by hand (score_small: tests/cli/score_test.cc's comment; the store case below).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <list>
#include <map>
#include <set>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

std::string Source(const std::string& rel) { return std::string(GOVQM_SOURCE_DIR) + "/" + rel; }

const std::string kValues = " --values " + Source("tests/cli/data/score_small.values.csv") +
                            " --framework " + Source("tests/cli/data/score_small.toml");

class ExplainJsonCliTest : public CliTest {
 protected:
  simdjson::dom::element Parse(const std::string& text) {
    docs_.emplace_back(text);
    parsers_.emplace_back();
    auto doc = parsers_.back().parse(docs_.back());
    EXPECT_EQ(doc.error(), simdjson::SUCCESS) << text;
    return doc.value();
  }

  // The unit object of `score --format json`.
  static simdjson::dom::element ScoreUnit(simdjson::dom::element score, std::string_view unit) {
    for (simdjson::dom::element u : simdjson::dom::array(score["units"])) {
      if (std::string_view(u["unit"]) == unit) return u;
    }
    ADD_FAILURE() << "no unit " << unit;
    return score;
  }
  static simdjson::dom::element ByCode(simdjson::dom::array a, std::string_view code) {
    for (simdjson::dom::element e : a) {
      if (std::string_view(e["code"]) == code) return e;
    }
    ADD_FAILURE() << "no " << code;
    return a.at(0);
  }

  std::list<simdjson::padded_string> docs_;
  std::list<simdjson::dom::parser> parsers_;
};

TEST_F(ExplainJsonCliTest, ValuesAgreeWithScoreAndText) {
  RunResult json = Run("explain --unit A --cell s1/d2 --format json" + kValues);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  RunResult text = Run("explain --unit A --cell s1/d2" + kValues);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  RunResult score = Run("score --format json" + kValues);
  ASSERT_EQ(score.exit_code, 0) << score.err;
  simdjson::dom::element e = Parse(json.out);
  simdjson::dom::element s = ScoreUnit(Parse(score.out), "A");

  // By hand: A's index .75·232.5/7 + .25·50 = 37.410714; s1/d2 = (50 + 3·60)/4 = 57.5.
  EXPECT_NEAR(double(e["unit"]["index"]), 37.410714, 1e-6);
  EXPECT_DOUBLE_EQ(double(e["unit"]["index"]), double(s["index"]));
  EXPECT_EQ(std::string_view(e["unit"]["grade"]), std::string_view(s["grade"]));
  EXPECT_EQ(int64_t(e["unit"]["rank"]), int64_t(s["rank"]));
  EXPECT_EQ(std::string_view(e["source"]), std::string_view(Parse(score.out)["source"]));
  EXPECT_NEAR(double(e["target"]["score"]), 57.5, 1e-9);
  EXPECT_DOUBLE_EQ(double(e["target"]["score"]), double(ByCode(s["nodes"], "s1/d2")["score"]));
  const size_t cell = text.out.find("    cell s1/d2 ");
  ASSERT_NE(cell, std::string::npos) << text.out;
  EXPECT_EQ(text.out.substr(text.out.find(": score ", cell), 14), ": score 57.50\n") << text.out;

  // The path: index, then the matrix with the score's weight 0.75.
  simdjson::dom::array path = e["path"];
  ASSERT_EQ(path.size(), 2u);
  EXPECT_DOUBLE_EQ(double(path.at(1)["weight"]), double(ByCode(s["nodes"], "matrix")["weight"]));
  EXPECT_NEAR(double(path.at(1)["weight"]), 0.75, 1e-12);

  // Indicators: positive_rate .95 → 50 (weight 1/4), top2_rate .8 → 60 (weight 3/4).
  simdjson::dom::array inds = e["indicators"];
  ASSERT_EQ(inds.size(), 2u);
  const std::map<std::string, std::pair<double, double>> want = {{"positive_rate", {0.95, 50}},
                                                                 {"top2_rate", {0.8, 60}}};
  for (simdjson::dom::element i : inds) {
    const std::string code{std::string_view(i["code"])};
    ASSERT_TRUE(want.count(code)) << code;
    simdjson::dom::element si = ByCode(s["indicators"], code);
    EXPECT_DOUBLE_EQ(double(i["value"]), want.at(code).first) << code;
    EXPECT_NEAR(double(i["score"]), want.at(code).second, 1e-9) << code;
    EXPECT_DOUBLE_EQ(double(i["value"]), double(si["value"])) << code;
    EXPECT_DOUBLE_EQ(double(i["score"]), double(si["score"])) << code;
    EXPECT_DOUBLE_EQ(double(i["weight"]), double(si["weight"])) << code;
    EXPECT_EQ(std::string_view(i["source"]), "values");
    // The text shows the same value and score.
    char line[128];
    std::snprintf(line, sizeof line, "value %s → score %.2f", code == "top2_rate" ? "0.8" : "0.95",
                  double(i["score"]));
    EXPECT_NE(text.out.find(line), std::string::npos) << line << "\n" << text.out;
  }
  EXPECT_NEAR(double(ByCode(inds, "top2_rate")["effective_weight"]), 0.75, 1e-12);
}

TEST_F(ExplainJsonCliTest, BelowMinSampleAndErrors) {
  RunResult r = Run("explain --unit B --cell s1/d2 --format json" + kValues);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element e = Parse(r.out);
  EXPECT_TRUE(bool(e["unit"]["below_min_sample"]));
  EXPECT_TRUE(e["unit"]["index"].is_null());
  EXPECT_TRUE(e["unit"]["rank"].is_null());
  simdjson::dom::element top2 = ByCode(e["indicators"], "top2_rate");
  EXPECT_TRUE(top2["value"].is_null());
  EXPECT_EQ(std::string_view(top2["note"]),
            "no value for this unit: left out, its weight shared within s1/d2");
  EXPECT_DOUBLE_EQ(double(ByCode(e["indicators"], "positive_rate")["value"]), 0.99);

  r = Run("explain --unit A --format xml" + kValues);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format must be text or json, not 'xml'"), std::string::npos) << r.err;
  r = Run("explain --format json" + kValues);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--unit U is required"), std::string::npos) << r.err;
  r = Run("explain --unit Z --format json" + kValues);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

// A store: region 450100 with T1 (web, on time), T2 (app, late), T3 (window, on time).
// on_time_rate = 2/3 from 2 on time of 3 completed with a due date; the records counted in are
// T1 and T3, T2 is not.
TEST_F(ExplainJsonCliTest, StoreBaseMeasuresAgreeWithTextAndScore) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("regions.csv",
        "code,name,parent_code,macro_region,key_city\n450000,广西,,west,\n450100,南宁市,450000,,\n");
  const std::string head =
      "id,item_code,dept_code,region_code,channel,applicant_type,applicant_age,submitted_at,"
      "accepted_at,completed_at,due_at,promised_days,statutory_days,status,visits,"
      "materials_required,materials_exempted,cross_region,wait_minutes,reported_at,window_code\n";
  auto tx = [](const char* id, const char* channel, const char* done) {
    return std::string(id) + ",I1,D1,450100," + channel +
           ",person,40,2024-03-01T09:00,2024-03-01T09:00," + done +
           ",2024-03-05,3,20,completed,0,2,1,false,,2024-03-01T10:00,\n";
  };
  Write("t.csv", head + tx("T1", "web", "2024-03-02T09:00") + tx("T2", "app", "2024-03-10T09:00") +
                     tx("T3", "window", "2024-03-03T09:00"));
  ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
  ASSERT_EQ(Run("import transactions t.csv").exit_code, 0);
  const std::string opts = " --from 2024-03-01 --to 2024-04-01 --by region --framework " +
                           Source("config/framework.toml");
  RunResult json = Run("explain --unit 450100 --cell handling/timeliness --format json" + opts);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  RunResult text = Run("explain --unit 450100 --cell handling/timeliness" + opts);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  RunResult score = Run("score --format json" + opts);
  ASSERT_EQ(score.exit_code, 0) << score.err;
  simdjson::dom::element e = Parse(json.out);
  simdjson::dom::element s = ScoreUnit(Parse(score.out), "450100");

  EXPECT_EQ(std::string_view(e["unit"]["name"]), "南宁市");
  EXPECT_DOUBLE_EQ(double(e["unit"]["sample"]), 3);
  EXPECT_DOUBLE_EQ(double(e["unit"]["sample"]), double(s["sample"]));
  simdjson::dom::element on_time = ByCode(e["indicators"], "on_time_rate");
  EXPECT_DOUBLE_EQ(double(on_time["value"]), 2.0 / 3);
  EXPECT_DOUBLE_EQ(double(on_time["value"]), double(ByCode(s["indicators"], "on_time_rate")["value"]));
  simdjson::dom::element base = on_time["base"];
  EXPECT_DOUBLE_EQ(double(base["numerator"]), 2);
  EXPECT_DOUBLE_EQ(double(base["denominator"]), 3);
  EXPECT_TRUE(bool(base["agrees"]));
  // The text's line of the same base measures.
  EXPECT_NE(text.out.find("base: 2 completed_at <= due_at / 3 completed with due_at = 0.6666666666666666"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("sample: 3 records in the period"), std::string::npos) << text.out;
  std::set<std::string> in, out;
  for (simdjson::dom::element id : simdjson::dom::array(on_time["records"]["counted_in"]))
    in.insert(std::string(std::string_view(id)));
  for (simdjson::dom::element id : simdjson::dom::array(on_time["records"]["not_counted_in"]))
    out.insert(std::string(std::string_view(id)));
  EXPECT_EQ(in, (std::set<std::string>{"T1", "T3"}));
  EXPECT_EQ(out, (std::set<std::string>{"T2"}));
  EXPECT_NE(text.out.find("records not counted in: T2"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace govqm::testing
