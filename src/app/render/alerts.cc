#include "app/render/alerts.h"

#include <fmt/format.h>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/table.h"

namespace govqm::render {
namespace {

std::string GroupText(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::string out;
  for (const auto& [k, v] : keys) {
    if (!out.empty()) out += ';';
    out += k + "=" + v;
  }
  return out;
}

std::string KeysJson(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::string out = "{";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ",";
    out += JsonString(keys[i].first) + ":" + JsonString(keys[i].second);
  }
  return out + "}";
}

std::string Optional(std::optional<double> v) { return v ? NumberText(*v) : ""; }

}  // namespace

std::string AlertsCsv(const app::AlertsResult& r) {
  std::string out = "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n";
  for (const app::AlertRow& a : r.alerts) {
    AppendCsvRow(&out, {a.rule, a.kind, GroupText(a.keys), a.day, NumberText(a.value),
                        NumberText(a.limit), std::to_string(a.n), Optional(a.mu0),
                        Optional(a.sigma0), a.path});
  }
  return out;
}

std::string AlertJson(const app::AlertRow& a) {
  return fmt::format(
      "{{\"rule\":{},\"kind\":{},\"keys\":{},\"day\":{},\"value\":{},\"limit\":{},"
      "\"evidence\":{{\"n\":{},\"mu0\":{},\"sigma0\":{}}},\"path\":{}}}",
      JsonString(a.rule), JsonString(a.kind), KeysJson(a.keys),
      a.day.empty() ? "null" : JsonString(a.day), NumberText(a.value), NumberText(a.limit), a.n,
      JsonNumber(a.mu0), JsonNumber(a.sigma0), JsonString(a.path));
}

std::string AlertsJson(const app::AlertsResult& r) {
  std::string out = "{\"alerts\":[";
  for (size_t i = 0; i < r.alerts.size(); ++i) {
    if (i) out += ",";
    out += AlertJson(r.alerts[i]);
  }
  out += "],\"no_baseline\":[";
  for (size_t i = 0; i < r.no_baseline.size(); ++i) {
    const app::NoBaseline& b = r.no_baseline[i];
    if (i) out += ",";
    out += fmt::format("{{\"rule\":{},\"keys\":{},\"kept_days\":{},\"sigma0\":{}}}",
                       JsonString(b.rule), KeysJson(b.keys), b.kept_days, NumberText(b.sigma0));
  }
  return out + "]}\n";
}

std::string AlertsTable(const app::AlertsResult& r) {
  if (r.alerts.empty()) return "no alerts\n";
  std::vector<std::vector<std::string>> rows = {
      {"rule", "kind", "group", "day", "value", "limit", "n", "mu0", "sigma0"}};
  auto fixed = [](double v) { return fmt::format("{:.4f}", v); };
  for (const app::AlertRow& a : r.alerts) {
    rows.push_back({a.rule, a.kind, GroupText(a.keys), a.day.empty() ? "-" : a.day, fixed(a.value),
                    fixed(a.limit), std::to_string(a.n), a.mu0 ? fixed(*a.mu0) : "-",
                    a.sigma0 ? fixed(*a.sigma0) : "-"});
  }
  return RenderTable(rows, TableStyle{4, true, ""});
}

std::string NoBaselineText(const app::AlertsResult& r) {
  std::string out;
  for (const app::NoBaseline& b : r.no_baseline) {
    out += fmt::format("alerts: {} {}: no baseline ({} kept days, sigma0 {})\n", b.rule,
                       b.keys.empty() ? "(all)" : GroupText(b.keys), b.kept_days,
                       NumberText(b.sigma0));
  }
  return out;
}

}  // namespace govqm::render
