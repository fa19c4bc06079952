#include "app/render/bulletin_xlsx.h"

#include <fmt/format.h>

#include "app/bulletin.h"
#include "core/engine/same_source.h"

namespace govqm::render {
namespace {

using app::BulletinData;
using app::BulletinUnit;
using platform::XlsxCell;
using platform::XlsxSheet;
using platform::XlsxStyle;
using Row = std::vector<XlsxCell>;

template <typename... Args>
std::string F(Lang lang, Msg msg, Args&&... args) {
  return fmt::format(fmt::runtime(T(lang, msg)), std::forward<Args>(args)...);
}

XlsxCell Text(const std::string& s, XlsxStyle st = XlsxStyle::kText) { return XlsxCell::Text(s, st); }
XlsxCell Head(std::string_view s) { return XlsxCell::Text(std::string(s), XlsxStyle::kHeader); }
XlsxCell Num(std::optional<double> v, XlsxStyle st) {
  return v && std::isfinite(*v) ? XlsxCell::Number(*v, st) : XlsxCell::Blank();
}
XlsxCell Int(int64_t v) { return XlsxCell::Number(static_cast<double>(v), XlsxStyle::kInteger); }
XlsxCell Score(std::optional<double> v) { return Num(v, XlsxStyle::kDecimal1); }
XlsxCell Rate(std::optional<double> v) { return Num(v, XlsxStyle::kPercent); }

// A catalog indicator's value in its best format: rates as percents, counts whole.
XlsxCell IndicatorCell(std::string_view code, std::optional<double> v) {
  if (IsRate(code)) return Rate(v);
  const int i = FindIndicator(code);
  if (i >= 0 && Catalog()[static_cast<size_t>(i)].unit == "count") return Num(v, XlsxStyle::kInteger);
  return Num(v, XlsxStyle::kDecimal2);
}

XlsxSheet NewSheet(Lang lang, Msg name, const std::string& title) {
  XlsxSheet s;
  s.name = std::string(T(lang, name));
  s.rows.push_back({Text(title, XlsxStyle::kTitle)});
  return s;
}

void Blank(XlsxSheet* s) { s->rows.emplace_back(); }

int RowIndex(const XlsxSheet& s) { return static_cast<int>(s.rows.size()); }

XlsxSheet SummarySheet(const BulletinData& d, Lang lang) {
  const Framework& fw = d.framework;
  XlsxSheet s = NewSheet(lang, Msg::kSheetSummary, std::string(T(lang, Msg::kTitle)));
  std::string scope(T(lang, Msg::kWhole));
  if (!d.scope.unrestricted()) {
    scope = d.scope.region;
    for (const std::string& x : d.scope.depts) scope += (scope.empty() ? "" : ", ") + x;
  }
  auto line = [&](Msg m, XlsxCell v) { s.rows.push_back({Text(std::string(T(lang, m)), XlsxStyle::kBold), std::move(v)}); };
  line(Msg::kPeriod, Text(d.from + " – " + d.to));
  line(Msg::kPrevious, Text(d.previous_from + " – " + d.previous_to));
  line(Msg::kUnitLevel, Text(KeyLabel(lang, d.by)));
  line(Msg::kScope, Text(scope));
  line(Msg::kFramework, Text(fw.name + (fw.version.empty() ? "" : " " + fw.version)));
  line(Msg::kZone, Text(d.zone));
  Blank(&s);
  std::optional<double> mean;
  double sum = 0;
  int n = 0;
  for (const BulletinUnit& u : d.units) {
    if (u.score.rank > 0 && u.index()) {
      sum += *u.index();
      ++n;
    }
  }
  if (n > 0) mean = sum / n;
  line(Msg::kUnits, Int(static_cast<int64_t>(d.units.size())));
  line(Msg::kRanked, Int(static_cast<int64_t>(d.ranked)));
  line(Msg::kMeanIndex, Score(mean));
  line(Msg::kAlertsTotal, Int(static_cast<int64_t>(d.alerts.total)));
  line(Msg::kCasesPeriod, Int(d.closed_loop.total.period.cases));
  line(Msg::kOverdueNow, Int(d.closed_loop.total.backlog.overdue));
  Blank(&s);
  for (const std::string& note : d.notes) s.rows.push_back({Text(note, XlsxStyle::kNote)});
  s.rows.push_back({Text(std::string(T(lang, Msg::kGeneratedBy)), XlsxStyle::kNote)});
  s.widths = {22, 60};
  return s;
}

XlsxSheet IndexSheet(const BulletinData& d, Lang lang) {
  XlsxSheet s = NewSheet(lang, Msg::kSheetIndex, std::string(T(lang, Msg::kSecIndex)));
  s.rows.push_back({Head(T(lang, Msg::kRank)), Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName)),
                    Head(T(lang, Msg::kIndex)), Head(T(lang, Msg::kGrade)),
                    Head(T(lang, Msg::kChange)), Head(T(lang, Msg::kPreviousIndex)),
                    Head(T(lang, Msg::kPreviousRank)), Head(T(lang, Msg::kRankChange)),
                    Head(T(lang, Msg::kSample)), Head(T(lang, Msg::kNote))});
  // Ranked first by rank, then the others by code (the units are in code order).
  std::vector<const BulletinUnit*> order;
  for (const BulletinUnit& u : d.units) order.push_back(&u);
  std::stable_sort(order.begin(), order.end(), [](const BulletinUnit* a, const BulletinUnit* b) {
    const int ra = a->score.rank > 0 ? a->score.rank : 1 << 30;
    const int rb = b->score.rank > 0 ? b->score.rank : 1 << 30;
    return ra < rb;
  });
  const int first = RowIndex(s);
  for (const BulletinUnit* u : order) {
    std::string note;
    if (u->score.below_min_sample) {
      note = std::string(T(lang, Msg::kBelowMinSample));
    } else if (u->score.rank == 0) {
      note = std::string(T(lang, Msg::kNotRanked));
    }
    if (!u->in_previous) note += (note.empty() ? "" : "; ") + std::string(T(lang, Msg::kNewUnit));
    s.rows.push_back({u->score.rank > 0 ? Int(u->score.rank) : XlsxCell::Blank(), Text(u->code),
                      Text(u->name), Score(u->index()),
                      Text(GradeLabel(d.framework, u->index(), lang)),
                      Num(u->change, XlsxStyle::kSigned1), Score(u->previous_index),
                      u->previous_rank > 0 ? Int(u->previous_rank) : XlsxCell::Blank(),
                      u->rank_change ? Int(*u->rank_change) : XlsxCell::Blank(),
                      Num(u->score.sample, XlsxStyle::kInteger), Text(note)});
  }
  if (RowIndex(s) > first) s.score_scales.push_back({first, 3, RowIndex(s) - 1, 3});
  s.widths = {7, 14, 22, 9, 10, 9, 10, 10, 10, 10, 28};
  s.freeze_rows = 2;
  return s;
}

XlsxSheet HeatmapSheet(const BulletinData& d, Lang lang) {
  const Framework& fw = d.framework;
  XlsxSheet s = NewSheet(lang, Msg::kSheetHeatmap, std::string(T(lang, Msg::kSecHeatmap)));
  if (!fw.matrix || d.heat.empty()) {
    s.rows.push_back({Text(std::string(T(lang, Msg::kNoMatrix)), XlsxStyle::kNote)});
    return s;
  }
  auto grid = [&](Msg title, bool counts) {
    s.rows.push_back({Text(std::string(T(lang, title)), XlsxStyle::kBold)});
    Row head = {Head(std::string(T(lang, Msg::kStage)) + " \\ " + std::string(T(lang, Msg::kDimension)))};
    for (size_t k = 0; k < fw.dimensions.size(); ++k) head.push_back(Head(DimensionLabel(fw, k, lang)));
    s.rows.push_back(std::move(head));
    const int first = RowIndex(s);
    for (size_t st = 0; st < fw.stages.size(); ++st) {
      Row r = {Text(StageLabel(fw, st, lang), XlsxStyle::kBold)};
      for (size_t k = 0; k < fw.dimensions.size(); ++k) {
        const bool cell = fw.CellNode(static_cast<int>(st), static_cast<int>(k)) >= 0;
        if (!cell) {
          r.push_back(XlsxCell::Blank());
        } else if (counts) {
          r.push_back(Int(d.heat_units[st][k]));
        } else {
          r.push_back(Score(d.heat[st][k]));
        }
      }
      s.rows.push_back(std::move(r));
    }
    if (!counts) {
      s.score_scales.push_back({first, 1, RowIndex(s) - 1, static_cast<int>(fw.dimensions.size())});
    }
    Blank(&s);
  };
  grid(Msg::kMeanCellScore, false);
  grid(Msg::kUnitsPerCell, true);
  s.rows.push_back({Text(std::string(T(lang, Msg::kUnitsByStageDimension)), XlsxStyle::kBold)});
  Row head = {Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName))};
  for (size_t st = 0; st < fw.stages.size(); ++st) head.push_back(Head(StageLabel(fw, st, lang)));
  for (size_t k = 0; k < fw.dimensions.size(); ++k) head.push_back(Head(DimensionLabel(fw, k, lang)));
  s.rows.push_back(std::move(head));
  const int first = RowIndex(s);
  for (const BulletinUnit& u : d.units) {
    if (u.score.below_min_sample) continue;
    Row r = {Text(u.code), Text(u.name)};
    for (size_t st = 0; st < fw.stages.size(); ++st) {
      r.push_back(Score(st < u.score.stage_score.size() ? u.score.stage_score[st] : std::nullopt));
    }
    for (size_t k = 0; k < fw.dimensions.size(); ++k) {
      r.push_back(Score(k < u.score.dimension_score.size() ? u.score.dimension_score[k]
                                                           : std::nullopt));
    }
    s.rows.push_back(std::move(r));
  }
  if (RowIndex(s) > first) {
    s.score_scales.push_back({first, 2, RowIndex(s) - 1,
                              1 + static_cast<int>(fw.stages.size() + fw.dimensions.size())});
  }
  s.widths.assign(2 + fw.stages.size() + fw.dimensions.size(), 11);
  s.widths[0] = 16;
  s.widths[1] = 18;
  s.landscape = true;
  return s;
}

XlsxSheet BoardsSheet(const BulletinData& d, Lang lang) {
  XlsxSheet s = NewSheet(lang, Msg::kSheetBoards, std::string(T(lang, Msg::kSecBoards)));
  for (const app::Board* b : {&d.windows, &d.depts}) {
    Blank(&s);
    s.rows.push_back({Text(std::string(T(lang, b->by == "window" ? Msg::kWindows : Msg::kDepts)),
                           XlsxStyle::kBold)});
    s.rows.push_back({Text(F(lang, Msg::kBoardNote, b->ranked, b->previous_ranked), XlsxStyle::kNote)});
    if (b->best.empty()) {
      s.rows.push_back({Text(std::string(T(lang, Msg::kNoBoard)))});
      continue;
    }
    s.rows.push_back({Head(T(lang, Msg::kList)), Head(T(lang, Msg::kPosition)),
                      Head(T(lang, Msg::kRank)), Head(T(lang, Msg::kCode)),
                      Head(T(lang, Msg::kName)), Head(T(lang, Msg::kIndex)),
                      Head(T(lang, Msg::kPreviousIndex)), Head(T(lang, Msg::kChange)),
                      Head(T(lang, Msg::kTalk))});
    auto rows = [&](const std::vector<size_t>& list, bool black) {
      const std::string name = black ? F(lang, Msg::kBlackList, list.size())
                                     : F(lang, Msg::kRedList, list.size());
      for (size_t k = 0; k < list.size(); ++k) {
        const BulletinUnit& u = b->units[list[k]];
        s.rows.push_back({Text(name), Int(static_cast<int64_t>(k + 1)), Int(u.score.rank),
                          Text(u.code), Text(u.name), Score(u.index()), Score(u.previous_index),
                          Num(u.change, XlsxStyle::kSigned1),
                          Text(black && b->talk[k] ? std::string(T(lang, Msg::kTalk)) : "")});
      }
    };
    rows(b->best, false);
    rows(b->worst, true);
  }
  s.widths = {16, 8, 7, 16, 24, 9, 10, 9, 8};
  return s;
}

XlsxSheet ClosedLoopSheet(const BulletinData& d, Lang lang) {
  const app::ClosedLoop& cl = d.closed_loop;
  XlsxSheet s = NewSheet(lang, Msg::kSheetClosedLoop, std::string(T(lang, Msg::kSecClosedLoop)));
  s.rows.push_back({Text(F(lang, Msg::kClosedLoopNote, d.to), XlsxStyle::kNote)});
  if (!cl.counts_by_unit) {
    s.rows.push_back({Text(F(lang, Msg::kCasesByUnitNone, KeyLabel(lang, d.by)), XlsxStyle::kNote)});
  }
  const char* rates[] = {"reply_rate", "rectification_rate", "rectification_on_time_rate",
                         "revisit_rate", "revisit_satisfaction"};
  Row head = {Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName)), Head(T(lang, Msg::kPeriodCases))};
  for (size_t st = 0; st < 6; ++st) head.push_back(Head(StateLabel(lang, st)));
  head.push_back(Head(T(lang, Msg::kOverdue)));
  head.push_back(Head(T(lang, Msg::kBacklog)));
  head.push_back(Head(std::string(T(lang, Msg::kBacklog)) + " · " + std::string(T(lang, Msg::kOverdue))));
  for (const char* r : rates) head.push_back(Head(IndicatorLabel(d.framework, r, lang)));
  s.rows.push_back(std::move(head));
  auto row = [&](const app::ClosedLoopRow& r, bool counts, const std::string& code,
                 const std::string& name) {
    Row x = {Text(code, counts && code.empty() ? XlsxStyle::kBold : XlsxStyle::kText), Text(name)};
    if (counts) {
      x.push_back(Int(r.period.cases));
      for (int64_t n : r.period.by_state) x.push_back(Int(n));
      x.push_back(Int(r.period.overdue));
      x.push_back(Int(r.backlog.unfinished()));
      x.push_back(Int(r.backlog.overdue));
    } else {
      for (int k = 0; k < 10; ++k) x.push_back(XlsxCell::Blank());
    }
    for (const auto& v : {r.reply_rate, r.rectification_rate, r.rectification_on_time_rate,
                          r.revisit_rate, r.revisit_satisfaction}) {
      x.push_back(Rate(v));
    }
    s.rows.push_back(std::move(x));
  };
  for (const app::ClosedLoopRow& r : cl.units) row(r, cl.counts_by_unit, r.unit, r.name);
  row(cl.total, true, std::string(T(lang, Msg::kTotal)), "");
  s.widths = {14, 20, 9, 8, 8, 8, 8, 8, 8, 8, 10, 10, 11, 11, 11, 11, 11};
  s.freeze_rows = 3;
  s.landscape = true;
  return s;
}

XlsxSheet AlertsSheet(const BulletinData& d, Lang lang) {
  const app::BulletinAlerts& a = d.alerts;
  XlsxSheet s = NewSheet(lang, Msg::kSheetAlerts, std::string(T(lang, Msg::kSecAlerts)));
  if (!a.rules.empty()) s.rows.push_back({Text(a.rules, XlsxStyle::kNote)});
  if (a.total == 0) s.rows.push_back({Text(std::string(T(lang, Msg::kNoAlerts)))});
  s.rows.push_back({Head(T(lang, Msg::kRule)), Head(T(lang, Msg::kKind)), Head(T(lang, Msg::kIndicator)),
                    Head(T(lang, Msg::kCount))});
  for (const app::AlertCount& c : a.counts) {
    s.rows.push_back({Text(c.rule), Text(AlertKindLabel(lang, c.kind)),
                      Text(c.indicator.empty() ? "" : IndicatorLabel(d.framework, c.indicator, lang)),
                      Int(c.count)});
  }
  Blank(&s);
  s.rows.push_back({Head(T(lang, Msg::kRule)), Head(T(lang, Msg::kKind)), Head(T(lang, Msg::kGroup)),
                    Head(T(lang, Msg::kDay)), Head(T(lang, Msg::kValue)), Head(T(lang, Msg::kLimit)),
                    Head(T(lang, Msg::kSample))});
  for (const app::AlertRow& r : a.listed) {
    std::string keys;
    for (const auto& [k, v] : r.keys) keys += (keys.empty() ? "" : ", ") + k + "=" + v;
    const std::string indicator = a.IndicatorOf(r.rule);
    const bool share = r.kind.rfind("deadline", 0) == 0 || r.kind == "case_overdue";
    const XlsxStyle st = share                                 ? XlsxStyle::kPercent
                         : (r.kind == "ewma" || r.kind == "cusum") ? XlsxStyle::kDecimal4
                         : IsRate(indicator)                   ? XlsxStyle::kPercent
                                                               : XlsxStyle::kDecimal2;
    s.rows.push_back({Text(r.rule), Text(AlertKindLabel(lang, r.kind)), Text(keys), Text(r.day),
                      XlsxCell::Number(r.value, st), XlsxCell::Number(r.limit, st), Int(r.n)});
  }
  if (a.total > a.listed.size()) {
    s.rows.push_back({Text(F(lang, Msg::kAndMore, a.total - a.listed.size()), XlsxStyle::kNote)});
  }
  if (a.no_baseline > 0) {
    s.rows.push_back({Text(F(lang, Msg::kNoBaseline, a.no_baseline), XlsxStyle::kNote)});
  }
  s.widths = {26, 16, 34, 12, 11, 11, 9};
  return s;
}

XlsxSheet SameSourceSheet(const BulletinData& d, Lang lang) {
  XlsxSheet s = NewSheet(lang, Msg::kSheetSameSource, std::string(T(lang, Msg::kSecSameSource)));
  s.rows.push_back({Text(F(lang, Msg::kSameSourceNote, d.to), XlsxStyle::kNote)});
  Row head = {Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName)),
              Head(T(lang, Msg::kPublicationsCompared)), Head(T(lang, Msg::kMismatching))};
  for (std::string_view f : kGuideKeyFields) head.push_back(Head(GuideFieldLabel(lang, f)));
  for (const char* c : {"same_source_rate", "field_match_rate", "catalog_coverage"}) {
    head.push_back(Head(IndicatorLabel(d.framework, c, lang)));
  }
  s.rows.push_back(std::move(head));
  for (const app::BulletinSameSource& x : d.same_source) {
    Row r = {Text(x.counts.dept), Text(x.name), Int(x.counts.compared), Int(x.counts.mismatching)};
    for (int64_t n : x.counts.by_field) r.push_back(Int(n));
    r.push_back(Rate(x.same_source_rate));
    r.push_back(Rate(x.field_match_rate));
    r.push_back(Rate(x.catalog_coverage));
    s.rows.push_back(std::move(r));
  }
  s.widths = {14, 24, 10, 10, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10};
  s.freeze_rows = 3;
  s.landscape = true;
  return s;
}

XlsxSheet DivideSheet(const BulletinData& d, Lang lang) {
  const app::DigitalDivide& dd = d.divide;
  XlsxSheet s = NewSheet(lang, Msg::kSheetDivide, std::string(T(lang, Msg::kSecDivide)));
  auto table = [&](Msg head, const std::vector<app::DivideRow>& rows, bool age) {
    Blank(&s);
    Row h = {Head(T(lang, head))};
    for (const char* c : {"volume", "online_rate", "evaluations", "positive_rate", "mean_score"}) {
      h.push_back(Head(IndicatorLabel(d.framework, c, lang)));
    }
    s.rows.push_back(std::move(h));
    for (const app::DivideRow& r : rows) {
      s.rows.push_back({Text(age ? AgeBandLabel(lang, r.label) : ChannelLabel(lang, r.label)),
                        Num(r.volume, XlsxStyle::kInteger), Rate(r.online_rate),
                        Num(r.evaluations, XlsxStyle::kInteger), Rate(r.positive_rate),
                        Num(r.mean_score, XlsxStyle::kDecimal2)});
    }
  };
  table(Msg::kAgeBand, dd.age_bands, true);
  table(Msg::kMode, dd.modes, false);
  table(Msg::kChannel, dd.channels, false);
  Blank(&s);
  s.rows.push_back({Text(std::string(T(lang, Msg::kElderlyGaps)), XlsxStyle::kBold)});
  s.rows.push_back({Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName)),
                    Head(IndicatorLabel(d.framework, "elderly_online_gap", lang)),
                    Head(IndicatorLabel(d.framework, "elderly_satisfaction_gap", lang))});
  for (const app::DivideUnit& u : dd.units) {
    s.rows.push_back({Text(u.unit), Text(u.name), Rate(u.elderly_online_gap),
                      Num(u.elderly_satisfaction_gap, XlsxStyle::kDecimal2)});
  }
  Blank(&s);
  s.rows.push_back({Text(std::string(T(lang, Msg::kDisparity)), XlsxStyle::kBold)});
  const DisparityResult& r = dd.disparity;
  const bool any = r.units > 0;
  auto stat = [&](std::string label, XlsxCell v) {
    s.rows.push_back({Text(std::move(label)), std::move(v)});
  };
  stat(std::string(T(lang, Msg::kUnits)), Int(static_cast<int64_t>(r.units)));
  stat(std::string(T(lang, Msg::kMean)), any ? Score(r.mean) : XlsxCell::Blank());
  stat(std::string(T(lang, Msg::kMin)), any ? Score(r.min) : XlsxCell::Blank());
  stat(std::string(T(lang, Msg::kMax)), any ? Score(r.max) : XlsxCell::Blank());
  stat(std::string(T(lang, Msg::kGini)), Num(r.gini, XlsxStyle::kDecimal4));
  stat(std::string(T(lang, Msg::kTheil)), Num(r.theil, XlsxStyle::kDecimal4));
  stat(std::string(T(lang, Msg::kTheil)) + " " + std::string(T(lang, Msg::kTheilBetween)),
       Num(r.theil_between, XlsxStyle::kDecimal4));
  stat(std::string(T(lang, Msg::kTheil)) + " " + std::string(T(lang, Msg::kTheilWithin)),
       Num(r.theil_within, XlsxStyle::kDecimal4));
  stat(std::string(T(lang, Msg::kCv)), Num(r.cv, XlsxStyle::kDecimal4));
  stat(std::string(T(lang, Msg::kMaxMin)), Num(r.max_min_ratio, XlsxStyle::kDecimal4));
  s.rows.push_back({Text(dd.within.empty() ? std::string(T(lang, Msg::kNoWithin))
                                           : F(lang, Msg::kWithinNote, KeyLabel(lang, dd.within),
                                               KeyLabel(lang, dd.within)),
                         XlsxStyle::kNote)});
  if (!r.groups.empty()) {
    s.rows.push_back({Head(KeyLabel(lang, dd.within)), Head(T(lang, Msg::kUnits)),
                      Head(T(lang, Msg::kMean)), Head(T(lang, Msg::kShare)),
                      Head(std::string(T(lang, Msg::kTheil)) + " " +
                           std::string(T(lang, Msg::kTheilWithin)))});
    for (const TheilGroup& g : r.groups) {
      s.rows.push_back({Text(g.group), Int(static_cast<int64_t>(g.units)), Score(g.mean),
                        Rate(g.share_of_total), Num(g.theil_within, XlsxStyle::kDecimal4)});
    }
  }
  s.widths = {22, 22, 14, 14, 14, 14};
  return s;
}

XlsxSheet DiagnosisSheet(const BulletinData& d, Lang lang) {
  const Framework& fw = d.framework;
  XlsxSheet s = NewSheet(lang, Msg::kSheetDiagnosis, std::string(T(lang, Msg::kSecDiagnosis)));
  s.rows.push_back({Text(std::string(T(lang, Msg::kDiagnosisNote)), XlsxStyle::kNote)});
  s.rows.push_back({Head(T(lang, Msg::kCode)), Head(T(lang, Msg::kName)), Head(T(lang, Msg::kSection)),
                    Head(T(lang, Msg::kItem)), Head(T(lang, Msg::kValue)), Head(T(lang, Msg::kTarget)),
                    Head(T(lang, Msg::kPeersMedian)), Head(T(lang, Msg::kRank)),
                    Head(T(lang, Msg::kCompared)), Head(T(lang, Msg::kNote))});
  auto value_cell = [&](const DiagnosedItem& it, std::optional<double> v) {
    if (!it.indicator) return Score(v);
    const std::string& code = fw.indicators[static_cast<size_t>(it.index)].code;
    return FindIndicator(code) >= 0 ? IndicatorCell(code, v) : Num(v, XlsxStyle::kDecimal2);
  };
  for (const app::UnitBrief& b : d.diagnosis) {
    const BulletinUnit& u = d.units[b.unit];
    const UnitDiagnosis& diag = b.diagnosis;
    auto item_row = [&](Msg section, const DiagnosedItem& it) {
      s.rows.push_back({Text(u.code), Text(u.name), Text(std::string(T(lang, section))),
                        Text(ItemLabel(fw, it, lang)), value_cell(it, it.value),
                        value_cell(it, it.target), value_cell(it, it.peers_median),
                        it.rank > 0 ? Int(it.rank) : XlsxCell::Blank(), Int(it.compared),
                        XlsxCell::Blank()});
    };
    for (size_t k = 0; k < diag.weak.size() && k < 3; ++k) item_row(Msg::kWeak, diag.items[diag.weak[k]]);
    for (size_t i : b.difficulties) item_row(Msg::kDifficulties, diag.items[i]);
    for (const app::PainReason& r : b.pain.reasons) {
      std::string example;
      if (!r.examples.empty()) example = r.examples.front().comment;
      s.rows.push_back({Text(u.code), Text(u.name), Text(std::string(T(lang, Msg::kPain))),
                        Text(std::string(T(lang, Msg::kReasons)) + ": " + ReasonLabel(lang, r.code)),
                        Int(r.count), XlsxCell::Blank(), XlsxCell::Blank(), XlsxCell::Blank(),
                        XlsxCell::Blank(), Text(example)});
    }
    for (const app::PainWord& w : b.pain.words) {
      s.rows.push_back({Text(u.code), Text(u.name), Text(std::string(T(lang, Msg::kPain))),
                        Text(std::string(T(lang, Msg::kWords)) + ": " + w.word), Int(w.comments),
                        XlsxCell::Blank(), XlsxCell::Blank(), XlsxCell::Blank(), XlsxCell::Blank(),
                        Text(w.examples.empty() ? "" : w.examples.front().comment)});
    }
    for (size_t k = 0; k < diag.highlights.size() && k < 3; ++k) {
      item_row(Msg::kHighlights, diag.items[diag.highlights[k]]);
    }
  }
  s.widths = {14, 18, 10, 30, 11, 11, 12, 7, 10, 40};
  s.freeze_rows = 3;
  s.landscape = true;
  return s;
}

}  // namespace

std::vector<std::string> BulletinSheetNames(Lang lang) {
  std::vector<std::string> out;
  for (Msg m : {Msg::kSheetSummary, Msg::kSheetIndex, Msg::kSheetHeatmap, Msg::kSheetBoards,
                Msg::kSheetClosedLoop, Msg::kSheetAlerts, Msg::kSheetSameSource,
                Msg::kSheetDivide, Msg::kSheetDiagnosis}) {
    out.emplace_back(T(lang, m));
  }
  return out;
}

platform::XlsxWorkbook BulletinWorkbook(const BulletinData& d, Lang lang) {
  platform::XlsxWorkbook book;
  book.title = std::string(T(lang, Msg::kTitle)) + " " + d.from + " – " + d.to;
  book.subject = KeyLabel(lang, d.by);
  book.sheets.push_back(SummarySheet(d, lang));
  book.sheets.push_back(IndexSheet(d, lang));
  book.sheets.push_back(HeatmapSheet(d, lang));
  book.sheets.push_back(BoardsSheet(d, lang));
  book.sheets.push_back(ClosedLoopSheet(d, lang));
  book.sheets.push_back(AlertsSheet(d, lang));
  book.sheets.push_back(SameSourceSheet(d, lang));
  book.sheets.push_back(DivideSheet(d, lang));
  book.sheets.push_back(DiagnosisSheet(d, lang));
  return book;
}

}  // namespace govqm::render
