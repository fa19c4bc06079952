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

// ---- Acting on a case (cases act, POST /api/v1/cases/{id}/actions) --------------------------

struct CaseActionRequest {
  std::string id;  // the case: the evaluation id
  CaseAction action = CaseAction::kAssign;
  // Who acts, written as the event's actor. `role` is what the edge established: an account's
  // role, or nullopt when the store has no accounts (then invalidate is refused: it needs a
  // supervisor, and without accounts nobody is one).
  std::string actor;
  std::optional<Role> role;
  std::string note;    // free text, one line; scrubbed of personal data before it is stored
  std::string reason;  // invalidate: required (the appeal's grounds), stored as the note
  std::optional<int> revisit_score;  // revisit: required, 1-5; refused with any other action
  int64_t at_ms = kNullTime;         // the event's instant: the edge's clock
  std::string zone;                  // "" = the store's
  AccessScope scope;                 // the actor's: a case outside it is not found
  ClosedLoopDeadlines deadlines;
};

// Appends the action's rectification event (the one table the indicators read) after
// checking, in one write transaction so two actors cannot both take the same step:
// kPermissionDenied when the role may not act (operators and supervisors may; invalidate
// needs a supervisor); kUsage for a missing reason, revisit score or actor; kNotFound for a
// case that does not exist in scope at `at_ms`; kFailedPrecondition for a step out of order
// ("case E123: cannot revisit a case that is open") or a case whose history already has a
// step after `at_ms`. Returns the case as it stands just after the action.
Result<CaseRecord> ActOnCase(Store& store, const CaseActionRequest& request);

// ---- Rating invitations (cases invite, 智能邀评) -------------------------------------------

struct InviteRequest {
  std::string at;             // date or ISO 8601 time, local to the zone
  int64_t at_ms = kNullTime;  // the instant when `at` is empty (the edge's clock)
  int after_days = 3;         // calendar days after completion
  std::string zone;
  AccessScope scope;
};

struct Invitation {
  std::string transaction_id, region_code, dept_code, item_code, channel;
  int64_t completed_at = kNullTime;
  int64_t days_since = 0;  // whole calendar days from completion to `at`
};

struct InviteResult {
  int64_t at = kNullTime;
  std::vector<Invitation> invitations;  // by completion time, then id
};

// Completed transactions with completed_at + after_days (calendar days of 24 h) <= at and no
// evaluation evaluated at or before `at` whose transaction_id is theirs (the unrated_rate's
// "no evaluation", seen at `at`). Usage for after_days outside 0-365 or a bad `at`.
Result<InviteResult> Invitations(const Store& store, const InviteRequest& request);

}  // namespace govqm::app
