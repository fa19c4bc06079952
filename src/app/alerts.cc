#include "app/alerts.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <map>

#include "app/cases.h"
#include "app/common.h"
#include "app/indicators.h"
#include "app/scope.h"
#include "core/table.h"

namespace govqm::app {
namespace {

// A strict YYYY-MM-DD local date → day number; Usage naming the option otherwise.
Result<int64_t> DateOption(const std::string& option, const std::string& text) {
  if (text.empty()) return Status::Usage(fmt::format("--{} DATE is required", option));
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return Status::Usage(fmt::format("--{}: alerts run on whole local days; give a date "
                                     "YYYY-MM-DD, not '{}'", option, text));
  }
  const int64_t day = DaysFromCivil(y, m, d);
  const CivilDate back = CivilFromDays(day);
  if (back.month != m || back.day != d) {
    return Status::Usage(fmt::format("--{}: no such date: '{}'", option, text));
  }
  return day;
}

std::string DayText(int64_t day) {
  const CivilDate c = CivilFromDays(day);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

// The records behind a row's value: the ratio's denominator, else the sample.
int64_t RecordsBehind(const IndicatorRow& row) {
  if (!row.base) return 0;
  const int i = FindIndicator(row.indicator);
  const Measure m = i >= 0 ? Catalog()[static_cast<size_t>(i)].measure : Measure::kCount;
  const double n = (m == Measure::kRatio) ? row.base->denominator : row.base->sample;
  return static_cast<int64_t>(n);
}

using Keys = std::vector<std::pair<std::string, std::string>>;

// A query value, percent-encoded except for unreserved characters and the list comma.
std::string QueryValue(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : v) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == ',') {
      out.push_back(ch);
    } else {
      out += '%';
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string IndicatorsPath(int64_t from_day, int64_t to_day, const std::vector<GroupKey>& by,
                           const std::string& indicator) {
  std::string keys;
  for (GroupKey k : by) {
    if (!keys.empty()) keys += ',';
    keys += GroupKeyName(k);
  }
  std::string path = "/api/v1/indicators?from=" + DayText(from_day) + "&to=" + DayText(to_day);
  if (!keys.empty()) path += "&by=" + QueryValue(keys);
  return path + "&only=" + QueryValue(indicator);
}

Keys LabelsOf(const std::vector<GroupKey>& by, const IndicatorRow& row) {
  Keys keys;
  for (size_t k = 0; k < by.size(); ++k) keys.emplace_back(GroupKeyName(by[k]), row.keys[k]);
  return keys;
}

Result<IndicatorsResult> Compute(const Store& store, const AlertsRequest& request,
                                 const std::string& indicator, std::vector<GroupKey> keys,
                                 int64_t from_day, int64_t to_day) {
  IndicatorsRequest ir;
  ir.from = DayText(from_day);
  ir.to = DayText(to_day);
  ir.zone = request.zone;
  ir.keys = std::move(keys);
  ir.only = {indicator};
  ir.scope = request.scope;
  ir.base_measures = true;
  return Indicators(store, ir);
}

Status RunRule(const Store& store, const AlertsRequest& request, const AlertRule& rule,
               int64_t from_day, int64_t to_day, AlertsResult* out) {
  GOVQM_ASSIGN_OR_RETURN(IndicatorsResult now,
                         Compute(store, request, rule.indicator, rule.by, from_day, to_day));
  std::map<std::vector<std::string>, const IndicatorRow*> before;
  IndicatorsResult prev;
  if (rule.threshold.kind == ThresholdKind::kDrop) {
    const int64_t length = to_day - from_day;
    GOVQM_ASSIGN_OR_RETURN(prev, Compute(store, request, rule.indicator, rule.by,
                                         from_day - length, from_day));
    for (const IndicatorRow& row : prev.rows) before[row.keys] = &row;
  }
  for (const IndicatorRow& row : now.rows) {
    if (!row.value) continue;
    std::optional<double> previous;
    int64_t n_previous = 0;
    if (auto it = before.find(row.keys); it != before.end() && it->second->value) {
      previous = it->second->value;
      n_previous = RecordsBehind(*it->second);
    }
    auto a = EvaluateThreshold(rule.threshold, *row.value, RecordsBehind(row), previous, n_previous);
    if (!a) continue;
    AlertRow r;
    r.rule = rule.code;
    r.kind = rule.threshold.kind == ThresholdKind::kDrop ? "drop" : "threshold";
    r.keys = LabelsOf(rule.by, row);
    r.value = a->value;
    r.limit = a->limit;
    r.n = a->n;
    r.previous = a->previous;
    r.path = IndicatorsPath(from_day, to_day, rule.by, rule.indicator);
    out->alerts.push_back(std::move(r));
  }
  return Status::Ok();
}

Status RunControl(const Store& store, const AlertsRequest& request, const ControlRule& rule,
                  int64_t from_day, int64_t to_day, AlertsResult* out) {
  std::vector<GroupKey> keys = rule.by;
  keys.push_back(GroupKey::kDay);
  GOVQM_ASSIGN_OR_RETURN(
      IndicatorsResult daily,
      Compute(store, request, rule.indicator, keys, from_day - rule.params.baseline_days, to_day));
  // Rows are sorted by labels, so each group's days are in order (YYYY-MM-DD sorts by date).
  std::map<std::vector<std::string>, std::vector<DailyPoint>> series;
  for (const IndicatorRow& row : daily.rows) {
    std::vector<std::string> group(row.keys.begin(), row.keys.end() - 1);
    auto day = DateOption("day", row.keys.back());
    if (!day.ok()) return Status::Internal("alerts: unexpected day label '" + row.keys.back() + "'");
    auto& s = series[group];
    if (row.value) s.push_back(DailyPoint{*day, *row.value, RecordsBehind(row)});
  }
  for (const auto& [group, points] : series) {
    Keys labels;
    for (size_t k = 0; k < rule.by.size(); ++k) labels.emplace_back(GroupKeyName(rule.by[k]), group[k]);
    const ControlResult c = RunControlChart(points, from_day, to_day - 1, rule.params, rule.bad);
    if (!c.has_baseline) {
      out->no_baseline.push_back(NoBaseline{rule.code, labels, c.baseline_kept, c.sigma0});
      continue;
    }
    for (const ControlAlert& a : c.alerts) {
      AlertRow r;
      r.rule = rule.code;
      r.kind = rule.params.method == ControlMethod::kEwma ? "ewma" : "cusum";
      r.keys = labels;
      r.day = DayText(a.day);
      r.value = a.value;
      r.limit = a.limit;
      r.n = a.n;
      r.mu0 = c.mu0;
      r.sigma0 = c.sigma0;
      r.x = a.x;
      r.path = IndicatorsPath(a.day, a.day + 1, rule.by, rule.indicator);
      out->alerts.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

// The open transactions' deadline warnings at `at_ms` (service.md §7), over the in-scope
// transactions.
Status RunDeadlines(const Store& store, const AlertsRequest& request, int64_t at_ms,
                    const TimeZone& zone, AlertsResult* out) {
  GOVQM_ASSIGN_OR_RETURN(const Dataset data, LoadScopedDataset(store, request.scope));
  const Table& tx = data.transactions;
  const Column& status = tx.col(tx_col::kStatus);
  const Column& accepted = tx.col(tx_col::kAcceptedAt);
  const Column& due = tx.col(tx_col::kDueAt);
  const std::string day = DayText(FloorDiv(zone.UtcToLocal(at_ms), kMsPerDay));
  for (size_t i = 0; i < tx.rows(); ++i) {
    if (status.bytes[i] != static_cast<int8_t>(TxStatus::kInProgress)) continue;
    const int64_t a = accepted.times[i], d = due.times[i];
    if (a == kNullTime || d == kNullTime || d <= a) continue;
    const DeadlineLevel level = DeadlineWarning(a, d, at_ms);
    if (level == DeadlineLevel::kNone) continue;
    AlertRow r;
    r.rule = "deadline";
    r.kind = level == DeadlineLevel::kRed ? "deadline_red" : "deadline_yellow";
    r.keys = {{"region", std::string(tx.col(tx_col::kRegionCode).CodeAt(i))},
              {"dept", std::string(tx.col(tx_col::kDeptCode).CodeAt(i))},
              {"transaction", std::string(tx.col(tx_col::kId).TextAt(i))}};
    r.day = day;
    r.value = static_cast<double>(at_ms - a) / static_cast<double>(d - a);
    r.limit = level == DeadlineLevel::kRed ? 1.0 : 0.8;
    r.n = 1;
    r.path = "/api/v1/records/transactions?region=" + QueryValue(r.keys[0].second);
    if (!r.keys[1].second.empty()) r.path += "&dept=" + QueryValue(r.keys[1].second);
    out->alerts.push_back(std::move(r));
  }
  return Status::Ok();
}

// The rectification cases' deadline warnings at `at_ms` (service.md §7): yellow on the next
// step's last working day, overdue after its deadline; through the cases use case, so under
// the same scope, calendar and deadlines as `govqm cases`.
Status RunCaseDeadlines(const Store& store, const AlertsRequest& request, int64_t at_ms,
                        const TimeZone& zone, AlertsResult* out) {
  CasesRequest cr;
  cr.at_ms = at_ms;
  cr.zone = request.zone;
  cr.scope = request.scope;
  cr.deadlines = request.deadlines;
  GOVQM_ASSIGN_OR_RETURN(const CasesResult cases, ListCases(store, cr));
  const int64_t today = LocalDayOf(zone, at_ms);
  const std::string day = DayText(today);
  for (const CaseRecord& c : cases.cases) {
    const CaseStatus& s = c.status;
    if (!s.next.has_value() || s.deadline == kNullTime || s.since == kNullTime) continue;
    // The last working day: the local day whose end is the deadline.
    const int64_t last_day = LocalDayOf(zone, s.deadline - 1);
    const bool overdue = s.deadline < at_ms;
    if (!overdue && today != last_day) continue;
    const double span = static_cast<double>(s.deadline - s.since);
    if (span <= 0) continue;  // a step dated after its own deadline: nothing to measure
    AlertRow r;
    r.rule = "case";
    r.kind = overdue ? "case_overdue" : "deadline_yellow";
    r.keys = {{"region", c.region_code}, {"dept", c.dept_code}, {"case", c.id}};
    r.day = day;
    r.value = static_cast<double>(at_ms - s.since) / span;
    r.limit = overdue ? 1.0
                      : static_cast<double>(zone.LocalToUtc(last_day * kMsPerDay) - s.since) / span;
    r.n = 1;
    r.path = "/api/v1/cases/" + QueryValue(c.id);
    out->alerts.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

Result<AlertsResult> Alerts(const Store& store, const AlertsRequest& request) {
  GOVQM_ASSIGN_OR_RETURN(const int64_t from_day, DateOption("from", request.from));
  GOVQM_ASSIGN_OR_RETURN(const int64_t to_day, DateOption("to", request.to));
  if (from_day >= to_day) {
    return Status::Usage(fmt::format("--from {} must be before --to {}", request.from, request.to));
  }
  // One committed state for every rule and both kinds of deadline warnings.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  AlertsResult out;
  for (const AlertRule& rule : request.rules.rules) {
    GOVQM_RETURN_IF_ERROR(RunRule(store, request, rule, from_day, to_day, &out));
  }
  for (const ControlRule& rule : request.rules.controls) {
    GOVQM_RETURN_IF_ERROR(RunControl(store, request, rule, from_day, to_day, &out));
  }
  if (!request.at.empty()) {
    GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(request.zone, store.zone()));
    GOVQM_ASSIGN_OR_RETURN(const int64_t at_ms, ParseBound("at", request.at, *zone));
    GOVQM_RETURN_IF_ERROR(RunDeadlines(store, request, at_ms, *zone, &out));
    GOVQM_RETURN_IF_ERROR(RunCaseDeadlines(store, request, at_ms, *zone, &out));
  }
  return out;
}

}  // namespace govqm::app
