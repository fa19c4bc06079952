// The closed loop for bad reviews (差评整改, domain.md §4, service.md §6), pure: a case's state
// at any instant, its next step and that step's working-day deadline, and the order of steps.
// A case is a real-name bad review; its history is its rectification events (schema kind
// "rectifications": assigned|verified|rectified|revisited|closed|invalid).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/status.h"
#include "core/time_zone.h"

namespace govqm {

enum class CaseState { kOpen, kVerified, kRectified, kRevisited, kClosed, kInvalid };
enum class CaseAction { kAssign, kVerify, kRectify, kRevisit, kClose, kInvalidate };

// "open", "verified", "rectified", "revisited", "closed", "invalid".
std::string_view CaseStateName(CaseState state);
std::optional<CaseState> ParseCaseState(std::string_view name);
// "assign", "verify", "rectify", "revisit", "close", "invalidate" (the CLI's ACTION words).
std::string_view CaseActionName(CaseAction action);
std::optional<CaseAction> ParseCaseAction(std::string_view name);
// The rectification event an action writes ("assigned", ..., "invalid"), and back.
std::string_view EventOfAction(CaseAction action);
std::optional<CaseAction> ActionOfEvent(std::string_view event);

// A review opens a case when it is a bad review (score <= 2) given under the citizen's real name.
bool IsCase(int32_t score, bool real_name);

// Working-day deadlines (the config's [closed_loop] table), each counted from the local date of
// the previous step (the review for verify).
struct ClosedLoopDeadlines {
  int verify_days = 1;
  int rectify_days = 15;
  int revisit_days = 5;
};

// One step of a case's history: an action at an instant (UTC ms).
struct CaseEvent {
  CaseAction action;
  int64_t at;
};

// The state after `action` is taken on a case in `state`, or FailedPrecondition naming the case:
// "case E123: cannot revisit a case that is open". The order is open → verified → rectified →
// revisited → closed; assign keeps the state and is allowed until the case is rectified;
// invalidate is allowed from any state but closed and invalid (who may invalidate, and the
// reason it needs, are the caller's checks).
Result<CaseState> Transition(std::string_view case_id, CaseState state, CaseAction action);

// Where a case stands at an instant T.
struct CaseStatus {
  bool opened = false;               // the review is at or before T
  CaseState state = CaseState::kOpen;
  int64_t since = kNullTime;         // the instant of the step that reached `state` (the review)
  std::optional<CaseAction> next;    // verify, rectify or revisit; none once revisited
  int64_t deadline = kNullTime;      // of `next`: end of its n-th working day (kNullTime if none)
  bool overdue = false;              // deadline < T
};

// The state at T is that of the latest state-changing event at or before T (assign changes
// nothing; on equal instants the later one in `events` wins); before any, the case is open since
// the review. `events` need not be sorted.
CaseStatus CaseStatusAt(int64_t reviewed_at, const std::vector<CaseEvent>& events, int64_t t,
                        const WorkingCalendar& calendar, const TimeZone& zone,
                        const ClosedLoopDeadlines& deadlines);

}  // namespace govqm
