// The alerts use case (service.md §7): the rules of a parsed rules file run over the store's
// indicators, scoped like every reading use case (app/scope.h: the indicators are computed
// over the in-scope records only), and with --at the deadline warnings of the open
// transactions and of the rectification cases (app/cases.h, the same scope).
//
// Deadline rows give value = the share of the promised time used at --at and limit = the share
// from which their level holds, so the two kinds read alike:
// - a transaction (rule "deadline"): value = (at − accepted_at)/(due_at − accepted_at);
//   deadline_yellow limit 0.8, deadline_red limit 1.
// - a case (rule "case", keys region, dept, case = the evaluation id): its next step (verify,
//   rectify, revisit) is due at the end of its last working day (core/closed_loop.h); value =
//   (at − since)/(deadline − since), since = the instant of the step that reached the case's
//   state (the review for verify). deadline_yellow when --at falls on that last working day
//   (local) and the deadline has not passed: limit = the share at the start (00:00 local) of
//   that day; case_overdue when deadline < at: limit 1 (value > 1).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/access.h"
#include "core/closed_loop.h"
#include "core/status.h"
#include "framework/alert_rules.h"
#include "store/store.h"

namespace govqm::app {

struct AlertsRequest {
  AlertRules rules;
  // Local dates (YYYY-MM-DD) in the zone, the period [from, to) like every other command: the
  // monitored days are from … to − 1. Threshold rules read the whole period; a drop compares
  // it with the period of the same number of days just before; control charts run on its
  // days, with their baseline_days before from.
  std::string from, to;
  std::string zone;  // "" = the store's
  // A date or ISO 8601 time: the deadline warnings of the open transactions at that instant
  // (service.md §7); "" = no deadline warnings.
  std::string at;
  AccessScope scope;
  // The cases' working-day deadlines (the config's [closed_loop] table; default 1/15/5).
  ClosedLoopDeadlines deadlines;
};

struct AlertRow {
  std::string rule;  // the rule's code
  std::string kind;  // threshold, drop, ewma, cusum, deadline_yellow, deadline_red, case_overdue
  std::vector<std::pair<std::string, std::string>> keys;  // (group key name, label)
  // control charts: the local day (YYYY-MM-DD); deadlines: the local day of --at; period
  // rules: "".
  std::string day;
  // threshold/drop: the period's value; ewma: z_t; cusum: S_t; deadlines: the share of the
  // promised time used at --at (see the top of this file).
  double value = 0;
  // below/above: x; drop: previous − x; ewma: the control limit; cusum: h; a transaction's
  // deadline_yellow: 0.8; deadline_red and case_overdue: 1; a case's deadline_yellow: the share
  // at the start of its last working day.
  double limit = 0;
  int64_t n = 0;  // records behind the value (the day's denominator for a chart; 1 for a deadline)
  std::optional<double> mu0, sigma0;  // control charts: the baseline
  std::optional<double> x;            // control charts: the day's value x_t
  std::optional<double> previous;     // drop: the previous period's value
  // The API path that drills down (service.md §3): the indicator by the rule's keys over the
  // period (a chart: over the alert's day); a transaction's deadline: the group's transaction
  // records; a case: /api/v1/cases/{id}.
  std::string path;
};

// A control chart group that raised nothing because its baseline had fewer than 7 kept days
// or σ0 = 0 (service.md §7: "no baseline").
struct NoBaseline {
  std::string rule;
  std::vector<std::pair<std::string, std::string>> keys;
  int64_t kept_days = 0;
  double sigma0 = 0;
};

struct AlertsResult {
  // Rules in file order ([[rule]] then [[control]]), groups sorted; then the deadline
  // warnings (rule "deadline", keys region, dept, transaction) in the store's order; then the
  // cases' (rule "case", keys region, dept, case) by review time, then id.
  std::vector<AlertRow> alerts;
  std::vector<NoBaseline> no_baseline;
};

// Usage for a period that is not two dates with from < to; errors of the store as they come.
Result<AlertsResult> Alerts(const Store& store, const AlertsRequest& request);

}  // namespace govqm::app
