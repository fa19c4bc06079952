#include "app/cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "app/common.h"
#include "app/scope.h"
#include "core/schema.h"
#include "core/scrub.h"
#include "core/table.h"

namespace govqm::app {

Result<CasesResult> ListCases(const Store& store, const CasesRequest& request) {
  // One snapshot for the calendar, the evaluations and the events.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(request.zone, store.zone()));
  CasesResult result;
  if (request.at.empty() && request.at_ms != kNullTime) {
    result.at = request.at_ms;
  } else {
    GOVQM_ASSIGN_OR_RETURN(result.at, ParseBound("at", request.at, *zone));
  }
  GOVQM_ASSIGN_OR_RETURN(const WorkingCalendar calendar, StoredCalendar(store));
  GOVQM_ASSIGN_OR_RETURN(const Dataset data, LoadScopedDataset(store, request.scope));

  // Cases first, so events are gathered only for them.
  const Table& ev = data.evaluations;
  std::unordered_map<std::string, size_t> index;  // evaluation id -> position in `found`
  std::vector<CaseRecord> found;
  std::vector<std::vector<CaseEvent>> events;
  for (size_t r = 0; r < ev.rows(); ++r) {
    const int32_t score = ev.col(eval_col::kScore).ints[r];
    const int8_t real_name = ev.col(eval_col::kRealName).bytes[r];
    const int64_t at = ev.col(eval_col::kEvaluatedAt).times[r];
    if (score == kNullInt || at == kNullTime || !IsCase(score, real_name == 1)) continue;
    if (at > result.at) continue;
    std::string id(ev.col(eval_col::kId).TextAt(r));
    if (!request.id.empty() && id != request.id) continue;
    CaseRecord c;
    c.region_code = std::string(ev.col(eval_col::kRegionCode).CodeAt(r));
    c.dept_code = std::string(ev.col(eval_col::kDeptCode).CodeAt(r));
    c.reviewed_at = at;
    c.score = score;
    c.id = id;
    if (index.emplace(std::move(id), found.size()).second) {
      found.push_back(std::move(c));
      events.emplace_back();
    }
  }
  // The dataset's rectifications lack actor and note: the history shows them, so the events
  // are read whole. Only events of in-scope cases (found above) are kept.
  GOVQM_ASSIGN_OR_RETURN(const Table rect, store.Load(Kind::kRectifications));
  for (size_t r = 0; r < rect.rows(); ++r) {
    auto it = index.find(std::string(rect.col(rect_col::kEvaluationId).TextAt(r)));
    if (it == index.end()) continue;
    const int64_t at = rect.col(rect_col::kAt).times[r];
    const int8_t event = rect.col(rect_col::kEvent).bytes[r];
    if (at == kNullTime || at > result.at || event < 0) continue;
    const std::string_view name = rect.def().columns[rect_col::kEvent].vocab[event];
    const std::optional<CaseAction> action = ActionOfEvent(name);
    if (!action.has_value()) continue;
    events[it->second].push_back({*action, at});
    found[it->second].history.push_back({std::string(name), at,
                                         std::string(rect.col(rect_col::kActor).TextAt(r)),
                                         std::string(rect.col(rect_col::kNote).TextAt(r))});
  }
  for (size_t i = 0; i < found.size(); ++i) {
    CaseRecord& c = found[i];
    c.status = CaseStatusAt(c.reviewed_at, events[i], result.at, calendar, *zone,
                            request.deadlines);
    if (request.state.has_value() && c.status.state != *request.state) continue;
    if (request.overdue_only && !c.status.overdue) continue;
    std::stable_sort(c.history.begin(), c.history.end(),
                     [](const CaseHistoryEntry& a, const CaseHistoryEntry& b) {
                       return a.at < b.at;
                     });
    result.cases.push_back(std::move(c));
  }
  std::sort(result.cases.begin(), result.cases.end(),
            [](const CaseRecord& a, const CaseRecord& b) {
              return a.reviewed_at != b.reviewed_at ? a.reviewed_at < b.reviewed_at : a.id < b.id;
            });
  return result;
}

Result<CaseRecord> ShowCase(const Store& store, const CasesRequest& request) {
  if (request.id.empty()) return Status::Usage("cases show: give the case's evaluation id");
  CasesRequest r = request;
  r.state.reset();
  r.overdue_only = false;
  GOVQM_ASSIGN_OR_RETURN(CasesResult result, ListCases(store, r));
  if (result.cases.empty()) {
    return Status::NotFound(fmt::format(
        "case {}: no real-name bad review with this id (reviewed by {})", request.id, request.at));
  }
  return std::move(result.cases.front());
}

}  // namespace govqm::app

namespace govqm::app {
namespace {

bool MayAct(std::optional<Role> role) {
  return !role.has_value() || *role == Role::kOperator || *role == Role::kSupervisor;
}

// One line of free text: the stored note of an event.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

}  // namespace

Result<CaseRecord> ActOnCase(Store& store, const CaseActionRequest& request) {
  const std::string_view action = CaseActionName(request.action);
  if (request.id.empty()) return Status::Usage("cases act: give the case's evaluation id");
  const std::string actor = OneLine(request.actor);
  if (actor.empty()) return Status::Usage("cases act: say who acts (--actor NAME)");
  if (!MayAct(request.role)) {
    return Status::PermissionDenied(fmt::format(
        "case {}: a{} {} cannot act on cases (operators and supervisors can)", request.id,
        *request.role == Role::kAdmin || *request.role == Role::kAuditor ? "n" : "",
        RoleName(*request.role)));
  }
  const std::string reason = OneLine(request.reason);
  std::string note = ScrubPersonalData(OneLine(request.note));
  if (request.action == CaseAction::kInvalidate) {
    if (!request.role.has_value() || *request.role != Role::kSupervisor) {
      return Status::PermissionDenied(fmt::format(
          "case {}: only a supervisor can invalidate a case{}", request.id,
          request.role.has_value() ? ""
                                   : " (this store has no accounts: add a supervisor with "
                                     "`govqm user add NAME --role supervisor`)"));
    }
    if (reason.empty()) {
      return Status::Usage(fmt::format(
          "case {}: invalidate needs a reason (why the rating is malicious or mistaken)",
          request.id));
    }
    // The events table has one text column for what was done: the appeal's grounds lead it.
    note = ScrubPersonalData(note.empty() ? reason : reason + " — " + note);
  } else if (!reason.empty()) {
    return Status::Usage(fmt::format("case {}: a reason goes with invalidate only, not {}",
                                     request.id, action));
  }
  if (request.action == CaseAction::kRevisit) {
    if (!request.revisit_score.has_value() || *request.revisit_score < 1 ||
        *request.revisit_score > 5) {
      return Status::Usage(fmt::format(
          "case {}: revisit needs the citizen's revisit score, 1 to 5 (--revisit-score N)",
          request.id));
    }
  } else if (request.revisit_score.has_value()) {
    return Status::Usage(fmt::format("case {}: a revisit score goes with revisit only, not {}",
                                     request.id, action));
  }
  if (request.at_ms == kNullTime) return Status::Internal("cases act: no clock");

  // Read and write in one transaction: the state checked is the state the event extends.
  GOVQM_ASSIGN_OR_RETURN(Store::WriteTransaction tx, store.BeginWrite());
  CasesRequest read;
  read.id = request.id;
  read.at_ms = std::numeric_limits<int64_t>::max();  // every event, to find any after now
  read.zone = request.zone;
  read.scope = request.scope;
  read.deadlines = request.deadlines;
  GOVQM_ASSIGN_OR_RETURN(CasesResult all, ListCases(store, read));
  if (all.cases.empty() || all.cases.front().reviewed_at > request.at_ms) {
    return Status::NotFound(
        fmt::format("case {}: no real-name bad review with this id", request.id));
  }
  for (const CaseHistoryEntry& e : all.cases.front().history) {
    if (e.at >= request.at_ms) {
      return Status::FailedPrecondition(fmt::format(
          "case {}: its history already has a step ({}) at {}, not before this one", request.id,
          e.event, FormatInstant(e.at)));
    }
  }
  const CaseState state = all.cases.front().status.state;
  GOVQM_RETURN_IF_ERROR(Transition(request.id, state, request.action).status());

  Table row(Kind::kRectifications);
  auto text = [](Column& c, std::string_view s) {
    c.text += s;
    c.offsets.push_back(c.text.size());
  };
  text(row.col(rect_col::kEvaluationId), request.id);
  const auto& vocab = row.def().columns[rect_col::kEvent].vocab;
  const auto event = std::find(vocab.begin(), vocab.end(), EventOfAction(request.action));
  row.col(rect_col::kEvent).bytes.push_back(static_cast<int8_t>(event - vocab.begin()));
  row.col(rect_col::kAt).times.push_back(request.at_ms);
  text(row.col(rect_col::kActor), actor);
  text(row.col(rect_col::kNote), note);
  row.col(rect_col::kRevisitScore)
      .ints.push_back(request.revisit_score.has_value() ? *request.revisit_score : kNullInt);
  row.SetRows(1);
  GOVQM_RETURN_IF_ERROR(store.Append(row, {IdentityHash(row, 0)}).status());
  GOVQM_RETURN_IF_ERROR(tx.Commit());

  CasesRequest after = read;
  after.at_ms = request.at_ms;
  return ShowCase(store, after);
}

Result<InviteResult> Invitations(const Store& store, const InviteRequest& request) {
  if (request.after_days < 0 || request.after_days > 365) {
    return Status::Usage(fmt::format("--after-days must be from 0 to 365, not {}",
                                     request.after_days));
  }
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(request.zone, store.zone()));
  InviteResult result;
  if (request.at.empty() && request.at_ms != kNullTime) {
    result.at = request.at_ms;
  } else {
    GOVQM_ASSIGN_OR_RETURN(result.at, ParseBound("at", request.at, *zone));
  }
  GOVQM_ASSIGN_OR_RETURN(const Dataset data, LoadScopedDataset(store, request.scope));
  // Rated = an evaluation seen by `at` names the transaction, wherever the evaluation's own
  // codes put it (the unrated_rate's rule), so every evaluation is read, not the scoped ones.
  GOVQM_ASSIGN_OR_RETURN(const Table ev, store.Load(Kind::kEvaluations));
  std::unordered_set<std::string_view> rated;
  const Column& tx_of = ev.col(eval_col::kTransactionId);
  const Column& evaluated = ev.col(eval_col::kEvaluatedAt);
  for (size_t r = 0; r < ev.rows(); ++r) {
    if (evaluated.times[r] == kNullTime || evaluated.times[r] > result.at) continue;
    const std::string_view id = tx_of.TextAt(r);
    if (!id.empty()) rated.insert(id);
  }
  const int64_t latest = result.at - int64_t{request.after_days} * 86'400'000;
  const Table& tx = data.transactions;
  const Column& completed = tx.col(tx_col::kCompletedAt);
  const Column& status = tx.col(tx_col::kStatus);
  const int8_t kCompleted = 1;  // kStatusVocab: in_progress, completed, rejected, withdrawn
  for (size_t r = 0; r < tx.rows(); ++r) {
    if (status.bytes[r] != kCompleted || completed.times[r] == kNullTime) continue;
    if (completed.times[r] > latest) continue;
    const std::string_view id = tx.col(tx_col::kId).TextAt(r);
    if (rated.count(id) > 0) continue;
    Invitation inv;
    inv.transaction_id = std::string(id);
    inv.region_code = std::string(tx.col(tx_col::kRegionCode).CodeAt(r));
    inv.dept_code = std::string(tx.col(tx_col::kDeptCode).CodeAt(r));
    inv.item_code = std::string(tx.col(tx_col::kItemCode).CodeAt(r));
    inv.channel = std::string(tx.col(tx_col::kChannel).CodeAt(r));
    inv.completed_at = completed.times[r];
    inv.days_since = (result.at - completed.times[r]) / 86'400'000;
    result.invitations.push_back(std::move(inv));
  }
  std::sort(result.invitations.begin(), result.invitations.end(),
            [](const Invitation& a, const Invitation& b) {
              return a.completed_at != b.completed_at ? a.completed_at < b.completed_at
                                                      : a.transaction_id < b.transaction_id;
            });
  return result;
}

}  // namespace govqm::app
