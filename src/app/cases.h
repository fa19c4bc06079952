// The cases use case (service.md §6): every real-name bad review with its rectification events,
// where it stands at an instant, its next step's working-day deadline and whether it is overdue.
// Reads the store's evaluations and rectifications under the request's scope (app/scope.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/closed_loop.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm::app {

struct CasesRequest {
  std::string at;                   // date or ISO 8601 time, local to the zone
  int64_t at_ms = kNullTime;        // the instant when `at` is empty (the edge's clock)
  std::string zone;                 // "" = the store's
  std::optional<CaseState> state;   // only cases in this state at `at`
  bool overdue_only = false;        // only cases overdue at `at`
  std::string id;                   // only this case (the evaluation id); "" = all
  AccessScope scope;                // records outside it are left out (app/scope.h)
  ClosedLoopDeadlines deadlines;
};

struct CaseHistoryEntry {
  std::string event;  // assigned|verified|rectified|revisited|closed|invalid
  int64_t at = kNullTime;
  std::string actor, note;
};

struct CaseRecord {
  std::string id, region_code, dept_code;
  int64_t reviewed_at = kNullTime;
  int32_t score = 0;
  CaseStatus status;                      // at the request's instant
  std::vector<CaseHistoryEntry> history;  // events at or before the instant, by time
};

struct CasesResult {
  int64_t at = kNullTime;
  std::vector<CaseRecord> cases;  // by review time, then id; reviews after `at` are left out
};

// Usage for an unreadable `at`, or none of `at` and `at_ms`; Invalid for an unknown zone.
Result<CasesResult> ListCases(const Store& store, const CasesRequest& request);

// The one case named by `request.id`: NotFound when no in-scope real-name bad review has that id
// (an out-of-scope case is not found either, so the answer says nothing of what exists).
Result<CaseRecord> ShowCase(const Store& store, const CasesRequest& request);

}  // namespace govqm::app
