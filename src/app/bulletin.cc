#include "app/bulletin.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "app/cases.h"
#include "app/common.h"
#include "app/scope.h"
#include "app/score.h"
#include "core/engine/grouping.h"
#include "core/table.h"
#include "platform/file.h"

namespace govqm::app {

int64_t CaseCounts::unfinished() const {
  return cases - by_state[static_cast<size_t>(CaseState::kClosed)] -
         by_state[static_cast<size_t>(CaseState::kInvalid)];
}

std::string BulletinAlerts::IndicatorOf(const std::string& rule) const {
  for (const auto& [code, indicator] : rule_indicators) {
    if (code == rule) return indicator;
  }
  return "";
}

namespace {

// A period's scores, or nullopt when the period has no records in scope (a state of the
// period, not an error: the previous periods of a young store).
Result<std::optional<ScoreOutput>> ScorePeriod(const Store& store, const LoadedFramework& fw,
                                               const ScoringRequest& input,
                                               const std::string& from, const std::string& to,
                                               const std::string& by) {
  ScoreRequest sr;
  sr.input = input;
  sr.input.from = from;
  sr.input.to = to;
  sr.input.by = by;
  auto scored = Score(fw, sr, &store);
  if (!scored.ok()) {
    if (scored.status().code() == StatusCode::kInvalidInput &&
        scored.status().message().rfind("no records", 0) == 0) {
      return std::optional<ScoreOutput>();
    }
    return scored.status();
  }
  return std::optional<ScoreOutput>(std::move(scored).value());
}

std::optional<double> IndexOf(const UnitScore& s) {
  return s.node_score.empty() ? std::nullopt : s.node_score[0];
}

// The units of a scored level, with the previous period's index and rank beside them.
std::vector<BulletinUnit> UnitsOf(const ScoreOutput& now, const std::optional<ScoreOutput>& before) {
  std::map<std::string, const UnitScore*> previous;
  if (before) {
    for (const UnitScore& s : before->result.units) previous[s.unit] = &s;
  }
  std::vector<BulletinUnit> out;
  const auto& units = now.input.values.units;
  for (size_t u = 0; u < units.size(); ++u) {
    BulletinUnit b;
    b.code = units[u];
    b.name = now.input.names[u];
    b.score = now.result.units[u];
    b.score.grade = nullptr;  // it points into the scoring framework; renderers use Grade()
    if (auto it = previous.find(b.code); it != previous.end()) {
      b.in_previous = true;
      b.previous_index = IndexOf(*it->second);
      b.previous_rank = it->second->rank;
    }
    if (b.index() && b.previous_index) b.change = *b.index() - *b.previous_index;
    if (b.score.rank > 0 && b.previous_rank > 0) b.rank_change = b.previous_rank - b.score.rank;
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(),
            [](const BulletinUnit& a, const BulletinUnit& b) { return a.code < b.code; });
  return out;
}

// The ranked units by index (best first), ties in code order; the best k and the worst k,
// k = min(top, n / 2), the worst taken from the bottom of that order.
struct Lists {
  std::vector<size_t> best, worst;
  size_t ranked = 0;
};
Lists ListsOf(const std::vector<const UnitScore*>& scores, const std::vector<std::string>& codes,
              size_t top) {
  std::vector<size_t> order;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i]->rank > 0 && IndexOf(*scores[i])) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double ia = *IndexOf(*scores[a]), ib = *IndexOf(*scores[b]);
    if (ia != ib) return ia > ib;
    return codes[a] < codes[b];
  });
  Lists l;
  l.ranked = order.size();
  const size_t k = std::min(top, order.size() / 2);
  for (size_t i = 0; i < k; ++i) l.best.push_back(order[i]);
  for (size_t i = 0; i < k; ++i) l.worst.push_back(order[order.size() - 1 - i]);
  return l;
}

Result<Board> BoardOf(const std::string& by, const ScoreOutput* now,
                      const std::optional<ScoreOutput>& before, size_t top) {
  Board b;
  b.by = by;
  if (now == nullptr) return b;
  b.units = UnitsOf(*now, before);
  std::vector<const UnitScore*> scores;
  std::vector<std::string> codes;
  for (const BulletinUnit& u : b.units) {
    scores.push_back(&u.score);
    codes.push_back(u.code);
  }
  const Lists l = ListsOf(scores, codes, top);
  b.ranked = l.ranked;
  b.best = l.best;
  b.worst = l.worst;
  std::set<std::string> previous_worst;
  if (before) {
    std::vector<const UnitScore*> ps;
    std::vector<std::string> pc;
    for (const UnitScore& s : before->result.units) {
      ps.push_back(&s);
      pc.push_back(s.unit);
    }
    const Lists p = ListsOf(ps, pc, top);
    b.previous_ranked = p.ranked;
    for (size_t i : p.worst) {
      b.previous_worst.push_back(pc[i]);
      previous_worst.insert(pc[i]);
    }
  }
  for (size_t i : b.worst) b.talk.push_back(previous_worst.count(b.units[i].code) > 0);
  return b;
}

// Names of regions and departments, from the reference tables.
class Names {
 public:
  explicit Names(const Dataset& data) {
    const Table& rt = data.regions;
    for (size_t r = 0; r < rt.rows(); ++r) {
      regions_.emplace(rt.col(regions_col::kCode).CodeAt(r), rt.col(regions_col::kName).TextAt(r));
    }
    const Table& dt = data.departments;
    for (size_t r = 0; r < dt.rows(); ++r) {
      depts_.emplace(dt.col(departments_col::kCode).CodeAt(r),
                     dt.col(departments_col::kName).TextAt(r));
    }
  }
  std::string Of(GroupKey key, const std::string& code) const {
    const auto& m = key == GroupKey::kDept ? depts_ : regions_;
    if (key != GroupKey::kDept && key != GroupKey::kRegion && key != GroupKey::kCity) return "";
    auto it = m.find(code);
    return it == m.end() ? "" : it->second;
  }
  std::string Dept(const std::string& code) const { return Of(GroupKey::kDept, code); }

 private:
  std::map<std::string, std::string, std::less<>> regions_, depts_;
};

// Rows of ComputeScoped by the first key's label: indicator → value.
using ValuesByLabel = std::map<std::string, std::map<std::string, std::optional<double>>>;
Result<ValuesByLabel> ValuesBy(const Dataset& data, const EngineOptions& base,
                               const ScopeFilter& scope, std::vector<GroupKey> keys,
                               std::vector<std::string> only) {
  EngineOptions o = base;
  o.keys = std::move(keys);
  o.only = std::move(only);
  GOVQM_ASSIGN_OR_RETURN(const std::vector<IndicatorRow> rows, ComputeScoped(data, o, scope));
  ValuesByLabel out;
  for (const IndicatorRow& r : rows) {
    out[r.keys.empty() ? std::string() : r.keys[0]][std::string(r.indicator)] = r.value;
  }
  return out;
}

std::optional<double> Get(const ValuesByLabel& v, const std::string& label, const char* code) {
  auto it = v.find(label);
  if (it == v.end()) return std::nullopt;
  auto jt = it->second.find(code);
  return jt == it->second.end() ? std::nullopt : jt->second;
}

void Count(const CaseRecord& c, CaseCounts* counts) {
  ++counts->cases;
  ++counts->by_state[static_cast<size_t>(c.status.state)];
  if (c.status.overdue) ++counts->overdue;
}

// The Theil decomposition's groups for --by `key` ("" = none): the units of a city's level
// and below are compared within their cities, cities within their macro regions.
std::optional<GroupKey> WithinOf(GroupKey key) {
  switch (key) {
    case GroupKey::kRegion:
    case GroupKey::kDept:
    case GroupKey::kWindow:
    case GroupKey::kItem:
      return GroupKey::kCity;
    case GroupKey::kCity:
      return GroupKey::kMacroRegion;
    default:
      return std::nullopt;
  }
}

class Clock {
 public:
  explicit Clock(platform::Env& env, std::vector<std::pair<std::string, double>>* out)
      : env_(env), out_(out), last_(env.NowSeconds()) {}
  void Mark(const std::string& phase) {
    const double now = env_.NowSeconds();
    out_->emplace_back(phase, now - last_);
    last_ = now;
  }

 private:
  platform::Env& env_;
  std::vector<std::pair<std::string, double>>* out_;
  double last_;
};

}  // namespace

Result<BulletinData> Bulletin(const Store& store, LoadedFramework framework,
                              const BulletinRequest& request, platform::Env& env) {
  const ScoringRequest& input = request.input;
  if (!input.values_file.empty()) {
    return Status::Usage("the bulletin reads the store: it takes no --values file");
  }
  for (const auto& [option, text] : {std::pair{"from", &input.from}, std::pair{"to", &input.to}}) {
    if (!PlainDateDays(*text)) {
      return Status::Usage(fmt::format(
          "--{}: a bulletin covers whole local days; give a date YYYY-MM-DD, not '{}'", option,
          *text));
    }
  }
  if (input.by.empty()) return Status::Usage("--by KEY is required (e.g. --by city)");
  const std::optional<GroupKey> key = ParseGroupKey(input.by);
  if (key && (*key == GroupKey::kDay || *key == GroupKey::kMonth)) {
    return Status::Usage(fmt::format(
        "the bulletin compares units; --by {} makes periods, not units (e.g. --by city, dept)",
        input.by));
  }
  if (request.top < 1 || request.top > 100) {
    return Status::Usage(fmt::format("--top must be 1 to 100, not {}", request.top));
  }

  BulletinData out;
  Clock clock(env, &out.timings);
  // One committed state for every part of the bulletin.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(const auto zone, ResolveZone(input.zone, store.zone()));
  GOVQM_ASSIGN_OR_RETURN(const auto periods,
                         PreviousPeriods(input.from, input.to, *zone, kDifficultyPeriods));
  GOVQM_ASSIGN_OR_RETURN(const std::string stop_text, platform::ReadFile(request.stopwords_file));
  const StopWords stop = ParseStopWords(stop_text);
  GOVQM_ASSIGN_OR_RETURN(const int64_t to_ms, ParseBound("to", input.to, *zone));

  out.framework = framework.fw;
  out.framework_path = framework.path;
  out.from = input.from;
  out.to = input.to;
  out.by = input.by;
  out.previous_from = periods[0].first;
  out.previous_to = periods[0].second;
  out.zone = input.zone.empty() ? store.zone() : input.zone;
  out.scope = input.scope;
  out.top = request.top;
  out.show_records = request.show_records;
  const Framework& fw = out.framework;

  // ---- The units of --by: this period and the three before it (diagnosis's difficulties).
  GOVQM_ASSIGN_OR_RETURN(std::optional<ScoreOutput> current,
                         ScorePeriod(store, framework, input, input.from, input.to, input.by));
  if (!current) {
    return Status::Invalid(fmt::format("no records in [{}, {}) to report", input.from, input.to));
  }
  std::vector<std::optional<ScoreOutput>> previous;
  for (const auto& [from, to] : periods) {
    GOVQM_ASSIGN_OR_RETURN(auto p, ScorePeriod(store, framework, input, from, to, input.by));
    previous.push_back(std::move(p));
  }
  clock.Mark("scores (the --by units, 4 periods)");
  out.units = UnitsOf(*current, previous[0]);
  for (const BulletinUnit& u : out.units) out.ranked += u.score.rank > 0;
  out.notes = current->input.notes;

  // ---- The heatmap: mean cell scores over the scored units.
  if (fw.matrix) {
    out.heat.assign(fw.stages.size(), std::vector<std::optional<double>>(fw.dimensions.size()));
    out.heat_units.assign(fw.stages.size(), std::vector<int>(fw.dimensions.size(), 0));
    for (size_t s = 0; s < fw.stages.size(); ++s) {
      for (size_t d = 0; d < fw.dimensions.size(); ++d) {
        const int node = fw.CellNode(static_cast<int>(s), static_cast<int>(d));
        if (node < 0) continue;
        double sum = 0;
        int n = 0;
        for (const BulletinUnit& u : out.units) {
          if (u.score.below_min_sample) continue;
          const auto& v = u.score.node_score[static_cast<size_t>(node)];
          if (!v) continue;
          sum += *v;
          ++n;
        }
        out.heat_units[s][d] = n;
        if (n > 0) out.heat[s][d] = sum / n;
      }
    }
  }

  // ---- 红黑榜: windows and departments, this period and the previous one.
  for (const char* by : {"window", "dept"}) {
    std::optional<ScoreOutput> now_own, before_own;
    const ScoreOutput* now = nullptr;
    const std::optional<ScoreOutput>* before = nullptr;
    if (input.by == by) {
      now = &*current;
      before = &previous[0];
    } else {
      GOVQM_ASSIGN_OR_RETURN(now_own, ScorePeriod(store, framework, input, input.from, input.to, by));
      GOVQM_ASSIGN_OR_RETURN(before_own, ScorePeriod(store, framework, input, periods[0].first,
                                                     periods[0].second, by));
      now = now_own ? &*now_own : nullptr;
      before = &before_own;
    }
    GOVQM_ASSIGN_OR_RETURN(Board board, BoardOf(by, now, *before, request.top));
    (std::string(by) == "window" ? out.windows : out.depts) = std::move(board);
  }
  clock.Mark("scores (windows, departments, 2 periods)");

  // ---- The indicators beside the scores: one load of the in-scope records.
  GOVQM_ASSIGN_OR_RETURN(const Dataset data, LoadScopedDataset(store, input.scope));
  const ScopeFilter scope(input.scope, data.regions, data.departments);
  const Names names(data);
  const EngineOptions& base = current->input.options;
  clock.Mark("load");

  // ---- The closed loop.
  CasesRequest cr;
  cr.at = input.to;
  cr.zone = input.zone;
  cr.scope = input.scope;
  cr.deadlines = request.deadlines;
  GOVQM_ASSIGN_OR_RETURN(const CasesResult cases, ListCases(store, cr));
  GOVQM_ASSIGN_OR_RETURN(const int64_t from_ms, ParseBound("from", input.from, *zone));
  ClosedLoop& loop = out.closed_loop;
  loop.counts_by_unit = *key == GroupKey::kRegion || *key == GroupKey::kCity ||
                        *key == GroupKey::kDept;
  std::map<std::string, ClosedLoopRow> rows;
  for (const BulletinUnit& u : out.units) rows[u.code].unit = u.code;
  const engine::RegionTree tree(data.regions);
  for (const CaseRecord& c : cases.cases) {
    const bool in_period = c.reviewed_at >= from_ms && c.reviewed_at < to_ms;
    const bool unfinished =
        c.status.state != CaseState::kClosed && c.status.state != CaseState::kInvalid;
    if (in_period) Count(c, &loop.total.period);
    if (unfinished) Count(c, &loop.total.backlog);
    if (!loop.counts_by_unit) continue;
    const std::string unit = *key == GroupKey::kDept   ? c.dept_code
                             : *key == GroupKey::kCity ? std::string(tree.City(c.region_code))
                                                       : c.region_code;
    if (unit.empty() || !scope.GroupVisible(*key, unit)) continue;
    ClosedLoopRow& row = rows[unit];
    row.unit = unit;
    if (in_period) Count(c, &row.period);
    if (unfinished) Count(c, &row.backlog);
  }
  const std::vector<std::string> rect = {"reply_rate", "rectification_rate",
                                         "rectification_on_time_rate", "revisit_rate",
                                         "revisit_satisfaction"};
  auto rates = [](const ValuesByLabel& v, const std::string& label, ClosedLoopRow* row) {
    row->reply_rate = Get(v, label, "reply_rate");
    row->rectification_rate = Get(v, label, "rectification_rate");
    row->rectification_on_time_rate = Get(v, label, "rectification_on_time_rate");
    row->revisit_rate = Get(v, label, "revisit_rate");
    row->revisit_satisfaction = Get(v, label, "revisit_satisfaction");
  };
  {
    GOVQM_ASSIGN_OR_RETURN(const ValuesByLabel by_unit, ValuesBy(data, base, scope, {*key}, rect));
    GOVQM_ASSIGN_OR_RETURN(const ValuesByLabel all, ValuesBy(data, base, scope, {}, rect));
    rates(all, "", &loop.total);
    for (const auto& [label, values] : by_unit) {
      if (!label.empty()) rows[label].unit = label;
    }
    for (auto& [label, row] : rows) {
      rates(by_unit, label, &row);
      row.name = names.Of(*key, label);
      loop.units.push_back(row);
    }
  }
  clock.Mark("closed loop");

  // ---- Alerts over the period, deadlines at its end.
  AlertsRequest ar;
  ar.rules = request.rules;
  ar.from = input.from;
  ar.to = input.to;
  ar.zone = input.zone;
  ar.at = input.to;
  ar.scope = input.scope;
  ar.deadlines = request.deadlines;
  GOVQM_ASSIGN_OR_RETURN(AlertsResult alerts, Alerts(store, ar));
  out.alerts.total = alerts.alerts.size();
  out.alerts.rules = request.rules.source;
  for (const AlertRule& r : request.rules.rules) out.alerts.rule_indicators.emplace_back(r.code, r.indicator);
  for (const ControlRule& r : request.rules.controls) {
    out.alerts.rule_indicators.emplace_back(r.code, r.indicator);
  }
  out.alerts.no_baseline = alerts.no_baseline.size();
  for (AlertRow& a : alerts.alerts) {
    auto it = std::find_if(out.alerts.counts.begin(), out.alerts.counts.end(),
                           [&](const AlertCount& c) { return c.rule == a.rule && c.kind == a.kind; });
    if (it == out.alerts.counts.end()) {
      out.alerts.counts.push_back({a.rule, a.kind, out.alerts.IndicatorOf(a.rule), 1});
    } else {
      ++it->count;
    }
    if (out.alerts.listed.size() < request.alerts_listed) out.alerts.listed.push_back(std::move(a));
  }
  clock.Mark("alerts");

  // ---- Same source by department (the platform publication's), as app::SameSource counts.
  {
    SameSourceRequest sr;
    sr.to = input.to;
    sr.zone = input.zone;
    sr.scope = input.scope;
    GOVQM_ASSIGN_OR_RETURN(const SameSourceResult same, SameSource(store, sr));
    std::map<std::string, BulletinSameSource> depts;
    for (const SameSourceDept& d : same.depts) {
      depts[d.dept].counts = d;
      out.same_source_mismatches += d.mismatching;
    }
    GOVQM_ASSIGN_OR_RETURN(
        const ValuesByLabel v,
        ValuesBy(data, base, scope, {GroupKey::kDept},
                 {"same_source_rate", "field_match_rate", "catalog_coverage"}));
    for (const auto& [label, values] : v) {
      if (label.empty()) continue;
      BulletinSameSource& d = depts[label];
      d.counts.dept = label;
      d.same_source_rate = Get(v, label, "same_source_rate");
      d.field_match_rate = Get(v, label, "field_match_rate");
      d.catalog_coverage = Get(v, label, "catalog_coverage");
    }
    for (auto& [code, d] : depts) {
      if (d.counts.items == 0 && !d.same_source_rate && !d.field_match_rate && !d.catalog_coverage)
        continue;
      d.name = names.Dept(code);
      out.same_source.push_back(std::move(d));
    }
  }
  clock.Mark("same source");

  // ---- The digital divide.
  {
    DigitalDivide& dd = out.divide;
    const std::vector<std::string> side = {"volume", "online_rate", "evaluations", "positive_rate",
                                           "mean_score"};
    auto rows_of = [&](GroupKey k, std::vector<DivideRow>* into) -> Status {
      GOVQM_ASSIGN_OR_RETURN(const ValuesByLabel v, ValuesBy(data, base, scope, {k}, side));
      for (const auto& [label, values] : v) {
        DivideRow r;
        r.label = label;
        r.volume = Get(v, label, "volume");
        r.online_rate = Get(v, label, "online_rate");
        r.evaluations = Get(v, label, "evaluations");
        r.positive_rate = Get(v, label, "positive_rate");
        r.mean_score = Get(v, label, "mean_score");
        into->push_back(std::move(r));
      }
      return Status::Ok();
    };
    GOVQM_RETURN_IF_ERROR(rows_of(GroupKey::kAgeBand, &dd.age_bands));
    // The bands youngest first, the unknown age last (the engine sorts labels as text).
    auto band_rank = [](const std::string& b) {
      static const char* const kOrder[] = {"<30", "30-44", "45-59", "60-69", "70+"};
      for (int i = 0; i < 5; ++i) {
        if (b == kOrder[i]) return i;
      }
      return b.empty() ? 6 : 5;
    };
    std::stable_sort(dd.age_bands.begin(), dd.age_bands.end(),
                     [&](const DivideRow& a, const DivideRow& b) {
                       return band_rank(a.label) < band_rank(b.label);
                     });
    GOVQM_RETURN_IF_ERROR(rows_of(GroupKey::kChannel, &dd.channels));
    GOVQM_RETURN_IF_ERROR(rows_of(GroupKey::kMode, &dd.modes));
    GOVQM_ASSIGN_OR_RETURN(
        const ValuesByLabel gaps,
        ValuesBy(data, base, scope, {*key}, {"elderly_online_gap", "elderly_satisfaction_gap"}));
    for (const BulletinUnit& u : out.units) {
      dd.units.push_back({u.code, u.name, Get(gaps, u.code, "elderly_online_gap"),
                          Get(gaps, u.code, "elderly_satisfaction_gap")});
    }
    // Disparity of the index across the scored units.
    const std::optional<GroupKey> within = WithinOf(*key);
    std::map<std::string, std::pair<double, std::string>> group_of;
    if (within) {
      dd.within = std::string(GroupKeyName(*within));
      EngineOptions o = base;
      o.keys = {*key, *within};
      o.only = {"volume"};
      GOVQM_ASSIGN_OR_RETURN(const std::vector<IndicatorRow> vr, ComputeScoped(data, o, scope));
      for (const IndicatorRow& r : vr) {
        const double v = r.value.value_or(0);
        auto [it, fresh] = group_of.try_emplace(r.keys[0], v, r.keys[1]);
        if (!fresh && v > it->second.first) it->second = {v, r.keys[1]};
      }
    }
    std::vector<double> values;
    std::vector<std::string> groups;
    for (const BulletinUnit& u : out.units) {
      if (u.score.below_min_sample || !u.index()) {
        ++dd.left_out;
        continue;
      }
      values.push_back(*u.index());
      if (within) {
        auto it = group_of.find(u.code);
        groups.push_back(it == group_of.end() || it->second.second.empty() ? "(none)"
                                                                           : it->second.second);
      }
    }
    GOVQM_ASSIGN_OR_RETURN(dd.disparity, govqm::Disparity(values, groups));
  }
  clock.Mark("digital divide");

  // ---- Diagnosis per unit, from the scores above (no unit is scored again).
  {
    std::vector<std::string> codes;
    const auto& units = current->input.values.units;
    std::map<std::string, size_t> index_of;  // code → index into out.units
    for (size_t i = 0; i < out.units.size(); ++i) index_of[out.units[i].code] = i;
    std::vector<size_t> scored;  // indexes into current's units
    for (size_t u = 0; u < units.size(); ++u) {
      if (current->result.units[u].below_min_sample) continue;
      scored.push_back(u);
    }
    std::sort(scored.begin(), scored.end(),
              [&](size_t a, size_t b) { return units[a] < units[b]; });
    for (size_t u : scored) codes.push_back(units[u]);
    GOVQM_ASSIGN_OR_RETURN(std::vector<PainPoints> pain,
                           CountPainPoints(store, current->input, codes, stop,
                                           PainRequest{3, 1, request.show_records}));
    for (size_t k = 0; k < scored.size(); ++k) {
      const size_t u = scored[k];
      UnitBrief brief;
      brief.unit = index_of[units[u]];
      GOVQM_ASSIGN_OR_RETURN(brief.diagnosis, DiagnoseUnit(current->framework.fw, current->input.values,
                                                           current->result, u));
      std::vector<UnitDiagnosis> before(previous.size());
      std::vector<const UnitDiagnosis*> pointers;
      for (size_t p = 0; p < previous.size(); ++p) {
        const UnitDiagnosis* d = nullptr;
        if (previous[p]) {
          const auto& pu = previous[p]->input.values.units;
          const auto it = std::find(pu.begin(), pu.end(), units[u]);
          if (it != pu.end()) {
            const size_t i = static_cast<size_t>(it - pu.begin());
            if (!previous[p]->result.units[i].below_min_sample) {
              GOVQM_ASSIGN_OR_RETURN(before[p], DiagnoseUnit(previous[p]->framework.fw,
                                                             previous[p]->input.values,
                                                             previous[p]->result, i));
              d = &before[p];
            }
          }
        }
        pointers.push_back(d);
      }
      brief.difficulties = Difficulties(brief.diagnosis, pointers);
      brief.pain = std::move(pain[k]);
      out.diagnosis.push_back(std::move(brief));
    }
  }
  clock.Mark("diagnosis");
  return out;
}

}  // namespace govqm::app
