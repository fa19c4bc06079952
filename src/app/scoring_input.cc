#include "app/scoring_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "app/common.h"
#include "core/engine/inputs.h"
#include "ingest/csv_reader.h"
#include "ingest/time_parse.h"
#include "ingest/value_parse.h"
#include "platform/file.h"
#include "store/dataset_loader.h"

namespace govqm::app {
namespace {

// A new unit without values: its slots in every per-unit list.
void AddUnit(const Framework& fw, const std::string& unit, ScoringInput* in) {
  in->values.units.push_back(unit);
  in->names.emplace_back();
  in->values.values.emplace_back(fw.indicators.size());
  in->values.sample.emplace_back();
  in->context.emplace_back(fw.context.size());
}

// --values FILE.csv: header with columns unit, indicator, value (any order, others ignored).
Status ReadValuesTable(const std::string& path, const Framework& fw, ScoringInput* in) {
  auto text = platform::ReadFile(path);
  if (!text.ok()) return text.status();
  CsvReader reader(*text);
  CsvRecord rec;
  Status error;
  if (!reader.Next(&rec, &error)) {
    if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", path, error.message()));
    return Status::Invalid(
        fmt::format("{}: empty file (header unit,indicator,value expected)", path));
  }
  int cu = -1, ci = -1, cv = -1;
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    std::string f(rec.fields[i]);
    if (f == "unit") cu = static_cast<int>(i);
    if (f == "indicator") ci = static_cast<int>(i);
    if (f == "value") cv = static_cast<int>(i);
  }
  if (cu < 0 || ci < 0 || cv < 0) {
    return Status::Invalid(
        fmt::format("{}:1: columns unit, indicator and value are required", path));
  }
  const int need = std::max({cu, ci, cv});
  std::map<std::string, size_t> unit_index;
  std::map<std::pair<size_t, std::string>, int64_t> seen;
  std::set<std::string> ignored;
  const int ctx_n = static_cast<int>(fw.context.size());
  while (reader.Next(&rec, &error)) {
    if (static_cast<int>(rec.fields.size()) <= need) {
      return Status::Invalid(fmt::format("{}:{}: too few fields", path, rec.line));
    }
    const std::string unit(rec.fields[cu]), code(rec.fields[ci]);
    if (unit.empty()) return Status::Invalid(fmt::format("{}:{}: empty unit", path, rec.line));
    auto [it, fresh] = unit_index.try_emplace(unit, in->values.units.size());
    if (fresh) AddUnit(fw, unit, in);
    const size_t u = it->second;
    auto [dup, first] = seen.try_emplace({u, code}, rec.line);
    if (!first) {
      return Status::Invalid(fmt::format("{}:{}: unit '{}' indicator '{}' repeats line {}", path,
                                         rec.line, unit, code, dup->second));
    }
    std::optional<double> value;
    const std::string_view vtext = rec.fields[cv];
    if (!vtext.empty() && vtext != "NA" && vtext != "null") {
      double v;
      if (!ParseReal(vtext, &v)) {
        return Status::Invalid(
            fmt::format("{}:{}: value '{}' is not a number", path, rec.line, vtext));
      }
      value = v;
    }
    bool used = false;
    if (const int i = fw.FindIndicator(code); i >= 0) {
      in->values.values[u][i] = value;
      used = true;
    }
    if (code == fw.sample_indicator) {
      in->values.sample[u] = value;
      used = true;
    }
    for (int k = 0; k < ctx_n; ++k) {
      if (fw.context[k] == code) {
        in->context[u][k] = value;
        used = true;
      }
    }
    if (!used) ignored.insert(code);
  }
  if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", path, error.message()));
  if (in->values.units.empty()) return Status::Invalid(fmt::format("{}: no values", path));
  if (!ignored.empty()) {
    std::string list;
    for (const std::string& c : ignored) list += (list.empty() ? "" : ", ") + c;
    in->notes.push_back("indicators not in the framework, ignored: " + list);
  }
  return Status::Ok();
}

// The names readers see for the units of `key` (regions for region and city, departments
// for dept; none for the other keys).
std::map<std::string, std::string, std::less<>> UnitNamesOf(GroupKey key, const Dataset& data) {
  std::map<std::string, std::string, std::less<>> names;
  if (key == GroupKey::kRegion || key == GroupKey::kCity) {
    const Table& rt = data.regions;
    for (size_t r = 0; r < rt.rows(); ++r) {
      names.emplace(rt.col(regions_col::kCode).CodeAt(r), rt.col(regions_col::kName).TextAt(r));
    }
  } else if (key == GroupKey::kDept) {
    const Table& dt = data.departments;
    for (size_t r = 0; r < dt.rows(); ++r) {
      names.emplace(dt.col(departments_col::kCode).CodeAt(r),
                    dt.col(departments_col::kName).TextAt(r));
    }
  }
  return names;
}

Status ReadStore(const ScoringRequest& request, const Store& store, const Framework& fw, bool full,
                 ScoringInput* in) {
  // One snapshot for the calendar, the org table and every kind the engine reads.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(in->zone, ResolveZone(request.zone, store.zone()));
  GOVQM_ASSIGN_OR_RETURN(const int64_t from, ParseBound("from", request.from, *in->zone));
  GOVQM_ASSIGN_OR_RETURN(const int64_t to, ParseBound("to", request.to, *in->zone));
  in->from_text = request.from;
  in->to_text = request.to;
  in->by = request.by;
  if (in->by.empty()) return Status::Usage("--by KEY is required (e.g. --by city)");
  in->key = ParseGroupKey(in->by);
  if (!in->key) {
    return Status::Usage(fmt::format(
        "unknown key '{}' in --by (region, city, dept, item, window, channel, mode, age_band, "
        "macro_region, day, month)",
        in->by));
  }
  in->source = "store " + store.path();
  EngineOptions& o = in->options;
  o.from_ms = from;
  o.to_ms = to;
  o.keys = {*in->key};
  o.zone = in->zone.get();
  GOVQM_ASSIGN_OR_RETURN(auto calendar, StoredCalendar(store));
  in->calendar = std::make_unique<WorkingCalendar>(std::move(calendar));
  o.calendar = in->calendar.get();
  o.only = EngineCodesOf(fw);

  // explain (full) reads every row; the others need only what the indicators read.
  const DatasetNeeds needs{o.keys, o.only};
  // Records outside the request's scope are dropped as they load, before any aggregate.
  auto data = full ? LoadScopedDataset(store, request.scope)
                   : LoadScopedDataset(store, request.scope, &in->streams, &needs);
  if (!data.ok()) return data.status();
  in->data = std::make_unique<Dataset>(std::move(data.value()));
  in->scope = ScopeFilter(request.scope, in->data->regions, in->data->departments);
  std::vector<IndicatorRow> rows;
  if (!o.only.empty()) {
    auto computed = ComputeScoped(*in->data, o, in->scope);
    if (!computed.ok()) return computed.status();
    rows = std::move(computed.value());
  }
  AddEngineValues(fw, rows, in);
  // A sample indicator whose kind was never loaded (no transactions: no volume) says nothing
  // of the units' sizes: unknown (scored, not ranked), not 0 (every unit below min_sample).
  if (!in->data->kind_loaded.empty() && FindIndicator(fw.sample_indicator) >= 0 &&
      ReadsAbsentKind(fw.sample_indicator, in->data->kind_loaded)) {
    for (auto& s : in->values.sample) s.reset();
    if (fw.min_sample > 0) {
      in->notes.push_back(fmt::format(
          "no '{}' values ({}): sample sizes unknown, no unit is ranked (min_sample {})",
          fw.sample_indicator, AbsentKindReason(fw.sample_indicator, in->data->kind_loaded),
          fw.min_sample));
    }
  }
  if (ReadsOrgTable(fw, *in->key)) {
    auto org = store.Load(Kind::kOrg);
    if (!org.ok()) return org.status();
    in->data->org = std::move(org.value());
    // The org rows of units outside the scope (a district user's city) are left out too.
    if (!in->scope.unrestricted()) {
      GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, in->scope.Mask(in->data->org));
      in->data->org.KeepRows(keep);
    }
  }
  AddOrgValues(fw, in->data->org, in);
  // Kinds the store never held: their indicators are null (ComputeScoped; the org table is
  // empty), so they take no part in the scores. Said once per kind.
  if (!in->data->kind_loaded.empty()) {
    const std::vector<std::string_view> codes(o.only.begin(), o.only.end());
    std::vector<AbsentExtra> extra;
    if (ReadsOrgTable(fw, *in->key)) {
      AbsentExtra org{Kind::kOrg, {}};
      for (const IndicatorSpec& s : fw.indicators) {
        if (FindIndicator(s.code) < 0) org.codes.push_back(s.code);
      }
      extra.push_back(std::move(org));
    }
    for (std::string& note : AbsentKindNotes(codes, in->data->kind_loaded, extra)) {
      in->notes.push_back(std::move(note));
    }
  }
  AddUnitNames(UnitNamesOf(*in->key, *in->data), in);
  if (in->values.units.empty()) {
    return Status::Invalid(
        fmt::format("no records in [{}, {}) to score", in->from_text, in->to_text));
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> DefaultFrameworkFiles(const std::string& configured,
                                               const std::vector<std::string>& data_dirs) {
  std::vector<std::string> candidates;
  if (!configured.empty()) candidates.push_back(configured);
  for (const std::string& dir : data_dirs) {
    if (!dir.empty()) candidates.push_back((std::filesystem::path(dir) / "framework.toml").string());
  }
  return candidates;
}

std::vector<std::string> DefaultFrameworkFiles(const std::string& configured,
                                               const std::string& data_dir) {
  return DefaultFrameworkFiles(configured, std::vector<std::string>{data_dir});
}

Result<LoadedFramework> LoadFramework(const std::string& file,
                                      const std::vector<std::string>& defaults) {
  auto load = [](const std::string& path) -> Result<LoadedFramework> {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(path));
    GOVQM_ASSIGN_OR_RETURN(Framework fw, ParseFramework(text, path));
    return LoadedFramework{std::move(fw), path};
  };
  if (!file.empty()) return load(file);
  std::string looked;
  for (const std::string& candidate : defaults) {
    std::error_code ec;
    // Anything there (a directory, an unreadable file) is read, so that its error is told.
    if (std::filesystem::exists(candidate, ec)) return load(candidate);
    looked += (looked.empty() ? "" : ", ") + candidate;
  }
  if (looked.empty()) return Status::NotFound("no framework file (give --framework FILE)");
  return Status::NotFound(
      fmt::format("no framework file: looked for {} (give --framework FILE)", looked));
}

Result<ScoringInput> LoadScoringInput(const ScoringRequest& request, const Framework& fw,
                                      const Store* store, bool full_dataset) {
  ScoringInput in;
  if (!request.values_file.empty()) {
    in.source = "values " + request.values_file;
    GOVQM_RETURN_IF_ERROR(ReadValuesTable(request.values_file, fw, &in));
    bool any_sample = false;
    for (const auto& s : in.values.sample) any_sample = any_sample || s.has_value();
    if (!any_sample && fw.min_sample > 0) {
      in.notes.push_back(
          fmt::format("no '{}' values: sample sizes unknown, no unit is ranked (min_sample {})",
                      fw.sample_indicator, fw.min_sample));
    }
    return in;
  }
  if (store == nullptr) return Status::Internal("no store to score from");
  GOVQM_RETURN_IF_ERROR(ReadStore(request, *store, fw, full_dataset, &in));
  return in;
}

std::vector<std::string> EngineCodesOf(const Framework& fw) {
  std::set<std::string> only;
  for (const IndicatorSpec& s : fw.indicators) {
    if (FindIndicator(s.code) >= 0) only.insert(s.code);
  }
  for (const std::string& c : fw.context) {
    if (FindIndicator(c) >= 0) only.insert(c);
  }
  if (FindIndicator(fw.sample_indicator) >= 0) only.insert(fw.sample_indicator);
  return {only.begin(), only.end()};
}

bool OrgUnitKey(GroupKey key) {
  return key == GroupKey::kRegion || key == GroupKey::kCity || key == GroupKey::kDept;
}

bool ReadsOrgTable(const Framework& fw, GroupKey key) {
  if (!OrgUnitKey(key)) return false;
  for (const IndicatorSpec& s : fw.indicators) {
    if (FindIndicator(s.code) < 0) return true;
  }
  return false;
}

void AddEngineValues(const Framework& fw, const std::vector<IndicatorRow>& rows,
                     ScoringInput* in) {
  // Units: every non-null group, in the engine's order (sorted by label).
  std::map<std::string, size_t> unit_index;
  const int ctx_n = static_cast<int>(fw.context.size());
  std::set<std::string> labels;
  for (const IndicatorRow& r : rows) {
    if (!r.keys[0].empty()) labels.insert(r.keys[0]);
  }
  for (const std::string& l : labels) {
    unit_index.emplace(l, in->values.units.size());
    AddUnit(fw, l, in);
  }
  for (const IndicatorRow& r : rows) {
    if (r.keys[0].empty()) continue;
    const size_t u = unit_index[r.keys[0]];
    if (const int i = fw.FindIndicator(r.indicator); i >= 0) in->values.values[u][i] = r.value;
    if (r.indicator == fw.sample_indicator) in->values.sample[u] = r.value;
    for (int k = 0; k < ctx_n; ++k) {
      if (fw.context[k] == r.indicator) in->context[u][k] = r.value;
    }
  }
  // A unit with no transaction at all has sample 0, not unknown.
  if (FindIndicator(fw.sample_indicator) >= 0) {
    for (auto& s : in->values.sample) {
      if (!s) s = 0;
    }
  }
}

void AddOrgValues(const Framework& fw, const Table& t, ScoringInput* in) {
  // Org indicators: periods overlapping [from, to), per unit code; the mean of the overlaps.
  bool any_org = false;
  for (const IndicatorSpec& s : fw.indicators) any_org = any_org || FindIndicator(s.code) < 0;
  in->org_rows.assign(in->values.units.size(),
                      std::vector<std::vector<size_t>>(fw.indicators.size()));
  if (!any_org) return;
  if (!OrgUnitKey(*in->key)) {
    in->notes.push_back("org indicators are kept per region or department: not available --by " +
                        in->by);
    return;
  }
  std::map<std::string, size_t, std::less<>> unit_index;
  for (size_t u = 0; u < in->values.units.size(); ++u) unit_index.emplace(in->values.units[u], u);
  std::set<std::string> bad_periods;
  for (size_t r = 0; r < t.rows(); ++r) {
    auto it = unit_index.find(t.col(org_col::kUnitCode).CodeAt(r));
    if (it == unit_index.end()) continue;
    const int i = fw.FindIndicator(t.col(org_col::kIndicator).CodeAt(r));
    if (i < 0 || FindIndicator(fw.indicators[i].code) >= 0) continue;
    int64_t start, end;
    const std::string period(t.col(org_col::kPeriod).CodeAt(r));
    if (!OrgPeriodBounds(period, *in->zone, &start, &end)) {
      bad_periods.insert(period);
      continue;
    }
    if (start >= in->options.to_ms || end <= in->options.from_ms) continue;
    if (std::isnan(t.col(org_col::kValue).reals[r])) continue;
    in->org_rows[it->second][i].push_back(r);
  }
  for (size_t u = 0; u < in->values.units.size(); ++u) {
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      const auto& list = in->org_rows[u][i];
      if (list.empty()) continue;
      double sum = 0;
      for (size_t r : list) sum += t.col(org_col::kValue).reals[r];
      in->values.values[u][i] = sum / static_cast<double>(list.size());
    }
  }
  if (!bad_periods.empty()) {
    in->notes.push_back("org periods not understood, left out: " + *bad_periods.begin() +
                        (bad_periods.size() > 1 ? " and others" : ""));
  }
}

void AddUnitNames(const std::map<std::string, std::string, std::less<>>& names,
                  ScoringInput* in) {
  for (size_t u = 0; u < in->values.units.size(); ++u) {
    if (auto it = names.find(in->values.units[u]); it != names.end()) in->names[u] = it->second;
  }
}

bool OrgPeriodBounds(std::string_view label, const TimeZone& zone, int64_t* start, int64_t* end) {
  auto num = [](std::string_view s, int64_t* out) {
    if (s.empty()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  int64_t y;
  if (label.size() < 4 || !num(label.substr(0, 4), &y)) return false;
  int64_t d0, d1;
  const std::string_view rest = label.substr(4);
  int64_t k;
  if (rest.empty()) {
    d0 = DaysFromCivil(y, 1, 1);
    d1 = DaysFromCivil(y + 1, 1, 1);
  } else if ((rest[0] == 'Q' || rest[0] == 'q') && num(rest.substr(1), &k) && k >= 1 && k <= 4) {
    d0 = DaysFromCivil(y, static_cast<unsigned>(3 * k - 2), 1);
    d1 =
        k == 4 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, static_cast<unsigned>(3 * k + 1), 1);
  } else if ((rest[0] == 'H' || rest[0] == 'h') && num(rest.substr(1), &k) && k >= 1 && k <= 2) {
    d0 = DaysFromCivil(y, k == 1 ? 1 : 7, 1);
    d1 = k == 1 ? DaysFromCivil(y, 7, 1) : DaysFromCivil(y + 1, 1, 1);
  } else if (rest.size() == 3 && rest[0] == '-' && num(rest.substr(1), &k) && k >= 1 && k <= 12) {
    d0 = DaysFromCivil(y, static_cast<unsigned>(k), 1);
    d1 = k == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, static_cast<unsigned>(k + 1), 1);
  } else if (rest.size() == 6 && rest[0] == '-' && rest[3] == '-' && num(rest.substr(1, 2), &k) &&
             k >= 1 && k <= 12) {
    int64_t d;
    if (!num(rest.substr(4), &d) || d < 1 || d > 31) return false;
    d0 = DaysFromCivil(y, static_cast<unsigned>(k), static_cast<unsigned>(d));
    d1 = d0 + 1;
  } else {
    return false;
  }
  constexpr int64_t kDay = 86400000;
  *start = zone.LocalToUtc(d0 * kDay);
  *end = zone.LocalToUtc(d1 * kDay);
  return true;
}

}  // namespace govqm::app
