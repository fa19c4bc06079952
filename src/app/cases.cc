#include "app/cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "app/common.h"
#include "app/scope.h"
#include "core/schema.h"

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
