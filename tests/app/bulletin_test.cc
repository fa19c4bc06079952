// The bulletin use case on the hand-made store of bulletin_fixture.h: every expected value is
// worked out there from the rows, by hand. Also: the bulletin's diagnosis per unit equals
// app::Diagnose's for the same unit (it reuses the scores instead of scoring again), and the
// HTML renderer's page references nothing outside itself.
#include "app/bulletin.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>

#include "app/bulletin_fixture.h"
#include "app/import.h"
#include "app/init.h"
#include "app/render/bulletin_html.h"
#include "app/render/bulletin_xlsx.h"
#include "app/render/html.h"
#include "framework/alert_rules.h"
#include "province.h"

namespace govqm::app {
namespace {

namespace fx = govqm::testing::bulletin;

struct Fixture {
  std::filesystem::path dir;
  std::string db, framework_file, stopwords;
};

const Fixture& Made() {
  static const Fixture f = [] {
    Fixture f;
    f.dir = MakeTempDir("bulletin");
    f.db = (f.dir / "govqm.db").string();
    auto created = Init({f.db, "Asia/Shanghai"});
    EXPECT_TRUE(created.ok()) << created.status().message();
    auto store = Store::Open(f.db);
    EXPECT_TRUE(store.ok()) << store.status().message();
    const std::map<std::string, std::string> csv = {
        {"regions", fx::kRegions},         {"departments", fx::kDepartments},
        {"evaluations", fx::Evaluations()}, {"rectifications", fx::kRectifications},
        {"guides", fx::kGuides}};
    for (const char* kind : {"regions", "departments", "evaluations", "rectifications", "guides"}) {
      const auto file = f.dir / (std::string(kind) + ".csv");
      std::ofstream(file) << csv.at(kind);
      ImportRequest r;
      r.kind = *ParseKind(kind);
      r.files = {file.string()};
      auto summary = Import(**store, r);
      EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
      if (summary.ok()) {
        EXPECT_EQ(summary->rejected, 0) << kind;
      }
    }
    f.framework_file = (f.dir / "fw.toml").string();
    std::ofstream(f.framework_file) << fx::kFramework;
    f.stopwords = std::string(GOVQM_SOURCE_DIR) + "/config/diagnosis/stopwords-zh.txt";
    return f;
  }();
  return f;
}

BulletinRequest RequestBy(const std::string& by, size_t top = 2) {
  BulletinRequest r;
  r.input.from = "2024-07-01";
  r.input.to = "2024-08-01";
  r.input.by = by;
  r.top = top;
  r.stopwords_file = Made().stopwords;
  auto rules = ParseAlertRules(fx::kAlertRules, "rules.toml");
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  r.rules = *rules;
  return r;
}

Result<BulletinData> MakeBulletin(const BulletinRequest& r) {
  auto store = Store::Open(Made().db);
  if (!store.ok()) return store.status();
  GOVQM_ASSIGN_OR_RETURN(LoadedFramework fw, LoadFramework(Made().framework_file, {}));
  return Bulletin(**store, std::move(fw), r);
}

const BulletinUnit* Find(const std::vector<BulletinUnit>& units, const std::string& code) {
  for (const BulletinUnit& u : units) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

std::vector<std::string> Codes(const Board& b, const std::vector<size_t>& list) {
  std::vector<std::string> out;
  for (size_t i : list) out.push_back(b.units[i].code);
  return out;
}

TEST(Bulletin, IndexGradeRankAndChangeByCity) {
  auto d = MakeBulletin(RequestBy("city"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->previous_from, "2024-05-31");
  EXPECT_EQ(d->previous_to, "2024-07-01");
  ASSERT_EQ(d->units.size(), 2u);
  const BulletinUnit* nn = Find(d->units, "450100");
  const BulletinUnit* lz = Find(d->units, "450200");
  ASSERT_TRUE(nn && lz);
  EXPECT_EQ(nn->name, "南宁市");
  // 南宁: July 22/23 positive, June 18/20; 柳州: 21/30 and 22/30.
  const double nn_now = 200.0 * 22 / 23 - 100, nn_before = 200.0 * 18 / 20 - 100;
  const double lz_now = 200.0 * 21 / 30 - 100, lz_before = 200.0 * 22 / 30 - 100;
  EXPECT_NEAR(*nn->index(), nn_now, 1e-9);
  EXPECT_NEAR(*nn->previous_index, nn_before, 1e-9);
  EXPECT_NEAR(*nn->change, nn_now - nn_before, 1e-9);
  EXPECT_NEAR(*lz->index(), lz_now, 1e-9);
  EXPECT_NEAR(*lz->change, lz_now - lz_before, 1e-9);
  EXPECT_EQ(nn->score.rank, 1);
  EXPECT_EQ(lz->score.rank, 2);
  EXPECT_EQ(nn->previous_rank, 1);
  EXPECT_EQ(*lz->rank_change, 0);
  EXPECT_EQ(*nn->score.sample, 23);
  EXPECT_EQ(d->ranked, 2u);
  // The heatmap: the one cell's mean over the two cities.
  ASSERT_EQ(d->heat.size(), 1u);
  EXPECT_NEAR(*d->heat[0][0], (nn_now + lz_now) / 2, 1e-9);
  EXPECT_EQ(d->heat_units[0][0], 2);
  // Disparity of the two indexes: Gini = |a − b| / (2 (a + b)) for two values.
  EXPECT_EQ(d->divide.disparity.units, 2u);
  EXPECT_NEAR(*d->divide.disparity.gini, std::abs(nn_now - lz_now) / (2 * (nn_now + lz_now)),
              1e-12);
  EXPECT_EQ(d->divide.within, "macro_region");
}

TEST(Bulletin, RedAndBlackListsWithTheTalkMark) {
  auto d = MakeBulletin(RequestBy("city", 2));
  ASSERT_TRUE(d.ok()) << d.status().message();
  const Board& b = d->depts;
  EXPECT_EQ(b.by, "dept");
  // D6 (3 evaluations) is below min_sample 5: five ranked in July, five in June (D6 absent).
  EXPECT_EQ(b.ranked, 5u);
  EXPECT_EQ(b.previous_ranked, 5u);
  // July: D1 100, D2 80, D3 60, D4 40, D5 20; k = min(2, 5 / 2) = 2.
  EXPECT_EQ(Codes(b, b.best), (std::vector<std::string>{"D1", "D2"}));
  EXPECT_EQ(Codes(b, b.worst), (std::vector<std::string>{"D5", "D4"}));
  // June: D2 100, D5 80, D1 60, D3 40, D4 20: the black list D4, D3. D4 is on both (约谈);
  // D5 only now, D3 only before.
  EXPECT_EQ(b.previous_worst, (std::vector<std::string>{"D4", "D3"}));
  EXPECT_EQ(b.talk, (std::vector<bool>{false, true}));
  const BulletinUnit* d5 = Find(b.units, "D5");
  ASSERT_TRUE(d5);
  EXPECT_NEAR(*d5->change, 20 - 80, 1e-9);
  EXPECT_EQ(d5->score.rank, 5);
  EXPECT_EQ(d5->previous_rank, 2);
  EXPECT_EQ(*d5->rank_change, -3);
  const BulletinUnit* d6 = Find(b.units, "D6");
  ASSERT_TRUE(d6);
  EXPECT_TRUE(d6->score.below_min_sample);
  EXPECT_FALSE(d6->in_previous);
  // The windows (one per department) make the same lists.
  EXPECT_EQ(Codes(d->windows, d->windows.worst), (std::vector<std::string>{"W5", "W4"}));
  EXPECT_EQ(d->windows.talk, (std::vector<bool>{false, true}));
  // --top 5 with five ranked: k = 5 / 2 = 2 still, so no unit is on both lists.
  auto wide = MakeBulletin(RequestBy("city", 5));
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(Codes(wide->depts, wide->depts.best), (std::vector<std::string>{"D1", "D2"}));
  // --top 1: the last only; D5 was not last in June (D4 was): no talk.
  auto one = MakeBulletin(RequestBy("city", 1));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Codes(one->depts, one->depts.worst), (std::vector<std::string>{"D5"}));
  EXPECT_EQ(one->depts.talk, (std::vector<bool>{false}));
}

TEST(Bulletin, ClosedLoopCountsAndRates) {
  auto d = MakeBulletin(RequestBy("city"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  const ClosedLoop& cl = d->closed_loop;
  EXPECT_TRUE(cl.counts_by_unit);
  // July's cases K1 closed, K2 verified (overdue), K3 open, K4 invalid.
  const CaseCounts& p = cl.total.period;
  EXPECT_EQ(p.cases, 4);
  EXPECT_EQ(p.by_state, (std::array<int64_t, 6>{1, 1, 0, 0, 1, 1}));
  EXPECT_EQ(p.overdue, 1);
  // Unfinished at 08-01: K0 (overdue), K2 (overdue), K3.
  EXPECT_EQ(cl.total.backlog.cases, 3);
  EXPECT_EQ(cl.total.backlog.unfinished(), 3);
  EXPECT_EQ(cl.total.backlog.overdue, 2);
  // The rates over K1, K2, K3 (K4 invalid): verified 2/3, rectified 1/3, on time 1/1,
  // revisited 1/1, satisfied 1/1.
  EXPECT_NEAR(*cl.total.reply_rate, 2.0 / 3, 1e-12);
  EXPECT_NEAR(*cl.total.rectification_rate, 1.0 / 3, 1e-12);
  EXPECT_NEAR(*cl.total.rectification_on_time_rate, 1, 1e-12);
  EXPECT_NEAR(*cl.total.revisit_rate, 1, 1e-12);
  EXPECT_NEAR(*cl.total.revisit_satisfaction, 1, 1e-12);
  ASSERT_EQ(cl.units.size(), 2u);
  const ClosedLoopRow& nn = cl.units[0];
  const ClosedLoopRow& lz = cl.units[1];
  EXPECT_EQ(nn.unit, "450100");
  EXPECT_EQ(nn.name, "南宁市");
  EXPECT_EQ(nn.period.cases, 1);
  EXPECT_EQ(nn.period.by_state[static_cast<size_t>(CaseState::kInvalid)], 1);
  EXPECT_EQ(nn.backlog.cases, 0);
  EXPECT_FALSE(nn.reply_rate.has_value());  // no valid case
  EXPECT_EQ(lz.period.cases, 3);
  EXPECT_EQ(lz.period.overdue, 1);
  EXPECT_EQ(lz.backlog.cases, 3);
  EXPECT_EQ(lz.backlog.overdue, 2);
  EXPECT_NEAR(*lz.reply_rate, 2.0 / 3, 1e-12);
  // By a key cases do not carry, only the total is counted.
  auto by_age = MakeBulletin(RequestBy("age_band"));
  ASSERT_TRUE(by_age.ok()) << by_age.status().message();
  EXPECT_FALSE(by_age->closed_loop.counts_by_unit);
  EXPECT_EQ(by_age->closed_loop.total.period.cases, 4);
}

TEST(Bulletin, AlertsSameSourceAndDivide) {
  auto d = MakeBulletin(RequestBy("city"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  // pr_floor: D4 and D5; at 08-01, cases K0 and K2 overdue and K3 on its last working day.
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const AlertCount& c : d->alerts.counts) counts[{c.rule, c.kind}] = c.count;
  EXPECT_EQ(counts, (std::map<std::pair<std::string, std::string>, int64_t>{
                        {{"pr_floor", "threshold"}, 2},
                        {{"case", "case_overdue"}, 2},
                        {{"case", "deadline_yellow"}, 1}}));
  EXPECT_EQ(d->alerts.total, 5u);
  EXPECT_EQ(d->alerts.IndicatorOf("pr_floor"), "positive_rate");
  // Same source, by the platform publication's department: D1's item I1 (its copy's name
  // differs); D3's items I2 (matches) and I3 (D4's copy differs in fee and location).
  EXPECT_EQ(d->same_source_mismatches, 2);
  std::map<std::string, const BulletinSameSource*> ss;
  for (const BulletinSameSource& s : d->same_source) ss[s.counts.dept] = &s;
  ASSERT_TRUE(ss.count("D1") && ss.count("D3"));
  EXPECT_EQ(ss.count("D4"), 0u) << "D4 publishes no platform item";
  EXPECT_EQ(ss["D1"]->counts.items, 1);
  EXPECT_EQ(ss["D1"]->counts.compared, 1);
  EXPECT_EQ(ss["D1"]->counts.mismatching, 1);
  EXPECT_EQ(ss["D1"]->counts.by_field, (std::array<int64_t, 8>{1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ss["D3"]->counts.items, 2);
  EXPECT_EQ(ss["D3"]->counts.compared, 2);
  EXPECT_EQ(ss["D3"]->counts.mismatching, 1);
  EXPECT_EQ(ss["D3"]->counts.by_field, (std::array<int64_t, 8>{0, 0, 0, 0, 0, 1, 1, 0}));
  EXPECT_NEAR(*ss["D1"]->same_source_rate, 0, 1e-12);
  EXPECT_NEAR(*ss["D1"]->field_match_rate, 7.0 / 8, 1e-12);
  EXPECT_NEAR(*ss["D3"]->same_source_rate, 0.5, 1e-12);
  EXPECT_NEAR(*ss["D3"]->field_match_rate, 14.0 / 16, 1e-12);
  EXPECT_NEAR(*ss["D3"]->catalog_coverage, 1, 1e-12);
  EXPECT_EQ(ss["D3"]->name, "柳州市公安局");
  // Age bands: D1's ten July evaluations are 65 (60–69): all positive; the other 43 have no
  // age: 33 positive, scores summing to 46 + 43 + 41 + 37 + 15 = 182.
  std::map<std::string, const DivideRow*> bands;
  for (const DivideRow& r : d->divide.age_bands) bands[r.label] = &r;
  ASSERT_TRUE(bands.count("60-69") && bands.count(""));
  EXPECT_EQ(*bands["60-69"]->evaluations, 10);
  EXPECT_NEAR(*bands["60-69"]->positive_rate, 1, 1e-12);
  EXPECT_NEAR(*bands[""]->positive_rate, 33.0 / 43, 1e-12);
  EXPECT_NEAR(*bands[""]->mean_score, 182.0 / 43, 1e-12);
  EXPECT_EQ(d->divide.age_bands.back().label, "");  // the unknown age last
  // 南宁's elderly satisfaction gap: 5 − (50 + 46 + 15) / 23 = 4/23; 柳州 has no elderly.
  ASSERT_EQ(d->divide.units.size(), 2u);
  EXPECT_NEAR(*d->divide.units[0].elderly_satisfaction_gap, 4.0 / 23, 1e-12);
  EXPECT_FALSE(d->divide.units[1].elderly_satisfaction_gap.has_value());
}

TEST(Bulletin, DiagnosisPerUnitIsDiagnosesOwn) {
  auto d = MakeBulletin(RequestBy("city"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->diagnosis.size(), 2u);
  auto store = Store::Open(Made().db);
  ASSERT_TRUE(store.ok());
  for (const UnitBrief& b : d->diagnosis) {
    const BulletinUnit& u = d->units[b.unit];
    DiagnoseRequest dr;
    dr.input = RequestBy("city").input;
    dr.unit = u.code;
    dr.stopwords_file = Made().stopwords;
    dr.top = 3;
    dr.examples = 1;
    auto fw = LoadFramework(Made().framework_file, {});
    ASSERT_TRUE(fw.ok());
    auto own = Diagnose(**store, std::move(fw).value(), dr);
    ASSERT_TRUE(own.ok()) << own.status().message();
    EXPECT_EQ(b.diagnosis.weak, own->current.weak) << u.code;
    EXPECT_EQ(b.diagnosis.highlights, own->current.highlights) << u.code;
    EXPECT_EQ(b.difficulties, own->difficulties) << u.code;
    EXPECT_EQ(b.pain.bad_reviews, own->pain.bad_reviews) << u.code;
    ASSERT_EQ(b.pain.reasons.size(), own->pain.reasons.size()) << u.code;
    for (size_t k = 0; k < b.pain.reasons.size(); ++k) {
      EXPECT_EQ(b.pain.reasons[k].code, own->pain.reasons[k].code);
      EXPECT_EQ(b.pain.reasons[k].count, own->pain.reasons[k].count);
    }
  }
  // By hand: 柳州 (rank 2 of 2, 40 < 100) is weak in positive_rate and its cell, both with loss
  // 1 × (100 − 40) = 60; it was weak in June too, but May and April had no records: no
  // difficulty. Its bad reviews: 2 + 3 + 4 = 9, reasons long_wait 6, system_error 3 (K1–K3);
  // K1's comment shown scrubbed. 南宁 (91.3 ≥ 80, first) has the cell as a highlight.
  const UnitBrief& lz = d->diagnosis[1];
  EXPECT_EQ(d->units[lz.unit].code, "450200");
  ASSERT_EQ(lz.diagnosis.weak.size(), 2u);
  EXPECT_NEAR(lz.diagnosis.items[lz.diagnosis.weak[0]].loss, 60, 1e-9);
  EXPECT_TRUE(lz.difficulties.empty());
  EXPECT_EQ(lz.pain.bad_reviews, 9);
  ASSERT_EQ(lz.pain.reasons.size(), 2u);
  EXPECT_EQ(lz.pain.reasons[0].code, "long_wait");
  EXPECT_EQ(lz.pain.reasons[0].count, 6);
  EXPECT_EQ(lz.pain.reasons[1].count, 3);
  ASSERT_EQ(lz.pain.reasons[1].examples.size(), 1u);
  EXPECT_EQ(lz.pain.reasons[1].examples[0].comment.find("13812345678"), std::string::npos);
  const UnitBrief& nn = d->diagnosis[0];
  EXPECT_EQ(nn.diagnosis.highlights.size(), 1u);
  EXPECT_TRUE(nn.diagnosis.weak.empty());
  // Without records: counts, no example comments.
  BulletinRequest hidden = RequestBy("city");
  hidden.show_records = false;
  auto h = MakeBulletin(hidden);
  ASSERT_TRUE(h.ok());
  for (const UnitBrief& b : h->diagnosis) {
    for (const PainReason& r : b.pain.reasons) EXPECT_TRUE(r.examples.empty());
    for (const PainWord& w : b.pain.words) EXPECT_TRUE(w.examples.empty());
  }
  EXPECT_EQ(h->diagnosis[1].pain.bad_reviews, 9);
}

TEST(Bulletin, ScopeLeavesTheOtherCityOut) {
  BulletinRequest r = RequestBy("city");
  r.input.scope.region = "450200";
  auto d = MakeBulletin(r);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->units.size(), 1u);
  EXPECT_EQ(d->units[0].code, "450200");
  EXPECT_EQ(Find(d->depts.units, "D1"), nullptr);
  EXPECT_EQ(Find(d->depts.units, "D2"), nullptr);
  EXPECT_EQ(d->closed_loop.total.period.cases, 3);  // K4 (南宁) left out
  for (const BulletinSameSource& s : d->same_source) EXPECT_NE(s.counts.dept, "D1");
}

TEST(Bulletin, Errors) {
  BulletinRequest r = RequestBy("city");
  r.input.from = "2024-07-01T00:00:00";
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kUsage);
  r = RequestBy("month");
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kUsage);
  r = RequestBy("city");
  r.top = 0;
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kUsage);
  r = RequestBy("nowhere");
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kUsage);
  r = RequestBy("city");
  r.input.from = "2023-01-01";
  r.input.to = "2023-02-01";
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kInvalidInput);  // no records
  r = RequestBy("city");
  r.stopwords_file = (Made().dir / "missing.txt").string();
  EXPECT_EQ(MakeBulletin(r).status().code(), StatusCode::kNotFound);
}

// ---- The renderers -------------------------------------------------------------------------

TEST(BulletinRender, HtmlEscapes) {
  EXPECT_EQ(render::HtmlEscape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(render::HtmlEscape("南宁\x01\xff"), "南宁 \xEF\xBF\xBD");
}

TEST(BulletinRender, TheHtmlReferencesNothingOutsideItself) {
  auto d = MakeBulletin(RequestBy("city"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  for (render::Lang lang : {render::Lang::kZh, render::Lang::kEn}) {
    const std::string html = render::BulletinHtml(*d, lang);
    EXPECT_NE(html.find(lang == render::Lang::kZh ? "<html lang=\"zh-CN\">" : "<html lang=\"en\">"),
              std::string::npos);
    for (const char* bad : {"http:", "https:", "//", "@import", "<script", "<img", "<link"}) {
      EXPECT_EQ(html.find(bad), std::string::npos) << bad;
    }
    // Every src= or url( reference is to data: or to an anchor.
    const std::regex ref(R"((src=|href=|url\()\s*["']?([^"')\s>]*))");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), ref);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[2];
      EXPECT_TRUE(target.rfind("#", 0) == 0 || target.rfind("data:", 0) == 0) << target;
    }
    EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("13812345678"), std::string::npos);
  }
  // The workbook: a sheet per section, in order.
  const platform::XlsxWorkbook book = render::BulletinWorkbook(*d, render::Lang::kEn);
  std::vector<std::string> names;
  for (const auto& s : book.sheets) names.push_back(s.name);
  EXPECT_EQ(names, render::BulletinSheetNames(render::Lang::kEn));
  EXPECT_EQ(names.size(), 9u);
}

}  // namespace
}  // namespace govqm::app
