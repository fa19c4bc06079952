// Rendering of alerts (service.md §7): one row per alert — rule code, kind, group keys, day,
// value, limit, evidence (n, μ0, σ0) — as CSV, JSON or a readable table (deadline warnings:
// rule "deadline", group region;dept;transaction; case alerts: rule "case", group
// region;dept;case). Groups whose control chart had no baseline are listed apart ("no
// baseline").
#pragma once

#include <string>

#include "app/alerts.h"

namespace govqm::render {

// CSV header: rule,kind,group,day,value,limit,n,mu0,sigma0,path. `group` is "key=label;key=label"
// ("" for a rule without `by`); day, mu0 and sigma0 are empty where they do not apply.
std::string AlertsCsv(const app::AlertsResult& r);
// {"alerts": [{"rule", "kind", "keys": {key: label}, "day" (null for period rules), "value",
// "limit", "evidence": {"n", "mu0", "sigma0"}, "path"}], "no_baseline": [{"rule", "keys",
// "kept_days", "sigma0"}]}
std::string AlertsJson(const app::AlertsResult& r);
// One alert's object of AlertsJson, alone (no newline): the body `alerts --deliver` POSTs.
std::string AlertJson(const app::AlertRow& a);
std::string AlertsTable(const app::AlertsResult& r);
// One line per group without a baseline ("alerts: RULE GROUP: no baseline (…)"), for stderr.
std::string NoBaselineText(const app::AlertsResult& r);

}  // namespace govqm::render
