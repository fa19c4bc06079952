#include "core/closed_loop.h"

#include <fmt/format.h>

#include <string>

#include "core/thresholds.h"

namespace govqm {
namespace {

constexpr std::string_view kStateNames[] = {"open",      "verified", "rectified",
                                            "revisited", "closed",   "invalid"};
constexpr std::string_view kActionNames[] = {"assign",  "verify", "rectify",
                                             "revisit", "close",  "invalidate"};
constexpr std::string_view kEventNames[] = {"assigned",  "verified", "rectified",
                                            "revisited", "closed",   "invalid"};

// The state an event leaves the case in; assign leaves it unchanged (nullopt).
std::optional<CaseState> StateAfter(CaseAction action) {
  switch (action) {
    case CaseAction::kAssign: return std::nullopt;
    case CaseAction::kVerify: return CaseState::kVerified;
    case CaseAction::kRectify: return CaseState::kRectified;
    case CaseAction::kRevisit: return CaseState::kRevisited;
    case CaseAction::kClose: return CaseState::kClosed;
    case CaseAction::kInvalidate: return CaseState::kInvalid;
  }
  return std::nullopt;
}

// The step expected next in a state, with its deadline in working days.
std::optional<CaseAction> NextStep(CaseState state, const ClosedLoopDeadlines& d, int* days) {
  switch (state) {
    case CaseState::kOpen: *days = d.verify_days; return CaseAction::kVerify;
    case CaseState::kVerified: *days = d.rectify_days; return CaseAction::kRectify;
    case CaseState::kRectified: *days = d.revisit_days; return CaseAction::kRevisit;
    default: return std::nullopt;
  }
}

}  // namespace

std::string_view CaseStateName(CaseState state) { return kStateNames[static_cast<int>(state)]; }

std::optional<CaseState> ParseCaseState(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kStateNames[i] == name) return static_cast<CaseState>(i);
  }
  return std::nullopt;
}

std::string_view CaseActionName(CaseAction action) {
  return kActionNames[static_cast<int>(action)];
}

std::optional<CaseAction> ParseCaseAction(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kActionNames[i] == name) return static_cast<CaseAction>(i);
  }
  return std::nullopt;
}

std::string_view EventOfAction(CaseAction action) { return kEventNames[static_cast<int>(action)]; }

std::optional<CaseAction> ActionOfEvent(std::string_view event) {
  for (int i = 0; i < 6; ++i) {
    if (kEventNames[i] == event) return static_cast<CaseAction>(i);
  }
  return std::nullopt;
}

bool IsCase(int32_t score, bool real_name) { return real_name && thresholds::IsBadReview(score); }

Result<CaseState> Transition(std::string_view case_id, CaseState state, CaseAction action) {
  bool allowed = false;
  switch (action) {
    case CaseAction::kAssign:
      allowed = state == CaseState::kOpen || state == CaseState::kVerified;
      break;
    case CaseAction::kVerify: allowed = state == CaseState::kOpen; break;
    case CaseAction::kRectify: allowed = state == CaseState::kVerified; break;
    case CaseAction::kRevisit: allowed = state == CaseState::kRectified; break;
    case CaseAction::kClose: allowed = state == CaseState::kRevisited; break;
    case CaseAction::kInvalidate:
      allowed = state != CaseState::kClosed && state != CaseState::kInvalid;
      break;
  }
  if (!allowed) {
    return Status::FailedPrecondition(fmt::format("case {}: cannot {} a case that is {}", case_id,
                                                  CaseActionName(action), CaseStateName(state)));
  }
  const std::optional<CaseState> after = StateAfter(action);
  return after.has_value() ? *after : state;
}

CaseStatus CaseStatusAt(int64_t reviewed_at, const std::vector<CaseEvent>& events, int64_t t,
                        const WorkingCalendar& calendar, const TimeZone& zone,
                        const ClosedLoopDeadlines& deadlines) {
  CaseStatus s;
  s.opened = reviewed_at <= t;
  s.since = reviewed_at;
  int64_t latest = kNullTime;
  for (const CaseEvent& e : events) {
    if (e.at > t || e.at < latest) continue;
    const std::optional<CaseState> after = StateAfter(e.action);
    if (!after.has_value()) continue;
    latest = e.at;
    s.state = *after;
    s.since = e.at;
  }
  int days = 0;
  s.next = NextStep(s.state, deadlines, &days);
  if (s.next.has_value()) {
    s.deadline = WorkingDeadline(calendar, zone, s.since, days);
    s.overdue = s.opened && s.deadline < t;
  }
  return s;
}

}  // namespace govqm
