#include "app/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_set>

#include "app/common.h"
#include "app/scope.h"
#include "app/scoring_input.h"
#include "core/scrub.h"

namespace govqm::app {
namespace {

struct FingerprintHash {
  size_t operator()(const Fingerprint& f) const { return static_cast<size_t>(f.h ^ (f.g << 1)); }
};

// The column a kind's period is read on (-1: org, by its period label).
int AnchorColumn(Kind kind) {
  switch (kind) {
    case Kind::kTransactions:
      return tx_col::kSubmittedAt;
    case Kind::kEvaluations:
      return eval_col::kEvaluatedAt;
    case Kind::kRectifications:
      return rect_col::kAt;
    case Kind::kProbes:
      return probe_col::kCheckedAt;
    case Kind::kGuides:
      return guide_col::kPublishedAt;
    default:
      return -1;
  }
}

int ItemColumn(Kind kind) {
  switch (kind) {
    case Kind::kTransactions:
      return tx_col::kItemCode;
    case Kind::kEvaluations:
      return eval_col::kItemCode;
    case Kind::kGuides:
      return guide_col::kItemCode;
    default:
      return -1;
  }
}

// Free text may hold personal data (a comment, a note, an actor's name, evidence): scrubbed.
// Identity and join columns are keys, kept as they are.
bool IsFreeText(const KindDef& def, int c) {
  if (def.columns[c].type != ColumnType::kText) return false;
  auto has = [c](std::span<const int> cols) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  };
  return !has(def.identity) && !has(def.fingerprinted);
}

// `a` and `b` both keep the row (masks of equal length).
void And(std::vector<bool>* a, const std::vector<bool>& b) {
  for (size_t i = 0; i < a->size(); ++i) (*a)[i] = (*a)[i] && b[i];
}

// Rows of `t` whose item code column is `item`.
std::vector<bool> ItemMask(const Table& t, int col, const std::string& item) {
  const Column& c = t.col(col);
  const uint32_t code = c.dict.Find(item);
  std::vector<bool> keep(t.rows());
  for (size_t r = 0; r < t.rows(); ++r) keep[r] = code != kNullCode && c.codes[r] == code;
  return keep;
}

}  // namespace

Result<RecordsResult> Records(const Store& store, const RecordsRequest& request) {
  const std::optional<Kind> kind = ParseKind(request.kind);
  if (!kind) {
    return Status::Invalid(fmt::format(
        "records: unknown kind '{}' (transactions, evaluations, rectifications, probes, guides, "
        "org)",
        request.kind));
  }
  if (*kind == Kind::kRegions || *kind == Kind::kDepartments || *kind == Kind::kItems) {
    return Status::Invalid(
        fmt::format("records: '{}' is reference data, not records (transactions, evaluations, "
                    "rectifications, probes, guides, org)",
                    request.kind));
  }
  if (request.limit < 1 || request.limit > kRecordsMaxLimit) {
    return Status::Invalid(fmt::format("records: limit must be between 1 and {} (got {})",
                                       kRecordsMaxLimit, request.limit));
  }
  if (request.offset < 0) {
    return Status::Invalid(
        fmt::format("records: offset must be 0 or more (got {})", request.offset));
  }
  const bool has_items = ItemColumn(*kind) >= 0 || *kind == Kind::kRectifications;
  if (!request.item.empty() && !has_items) {
    return Status::Invalid(fmt::format("records: {} have no item to filter on", request.kind));
  }

  // One snapshot for the reference data and the records.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(request.zone, store.zone()));
  int64_t from = std::numeric_limits<int64_t>::min(), to = std::numeric_limits<int64_t>::max();
  if (!request.from.empty()) {
    GOVQM_ASSIGN_OR_RETURN(from, ParseBound("from", request.from, *zone));
  }
  if (!request.to.empty()) {
    GOVQM_ASSIGN_OR_RETURN(to, ParseBound("to", request.to, *zone));
  }
  GOVQM_ASSIGN_OR_RETURN(const Table regions, store.Load(Kind::kRegions));
  GOVQM_ASSIGN_OR_RETURN(const Table departments, store.Load(Kind::kDepartments));
  const ScopeFilter scope(request.scope, regions, departments);
  if (!request.region.empty()) {
    GOVQM_RETURN_IF_ERROR(scope.CheckUnit(GroupKey::kRegion, request.region));
  }
  if (!request.dept.empty()) GOVQM_RETURN_IF_ERROR(scope.CheckUnit(GroupKey::kDept, request.dept));
  // The filters are a scope of their own: a record must be in both.
  AccessScope asked{request.region, {}};
  if (!request.dept.empty()) asked.depts = {request.dept};
  const ScopeFilter wanted(asked, regions, departments);

  GOVQM_ASSIGN_OR_RETURN(const Table t, store.Load(*kind));
  std::vector<bool> keep(t.rows(), true);
  if (*kind == Kind::kRectifications) {
    // Events carry no region, department or item: their evaluation's decide.
    const std::vector<int> cols = {eval_col::kId, eval_col::kRegionCode, eval_col::kDeptCode,
                                   eval_col::kItemCode};
    GOVQM_ASSIGN_OR_RETURN(const Table ev, store.Load(Kind::kEvaluations, &cols));
    GOVQM_ASSIGN_OR_RETURN(std::vector<bool> ev_keep, scope.Mask(ev));
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> ev_wanted, wanted.Mask(ev));
    And(&ev_keep, ev_wanted);
    if (!request.item.empty()) And(&ev_keep, ItemMask(ev, eval_col::kItemCode, request.item));
    std::unordered_set<Fingerprint, FingerprintHash> ids;
    for (size_t r = 0; r < ev.rows(); ++r) {
      if (ev_keep[r]) ids.insert(FingerprintOf(ev.col(eval_col::kId).TextAt(r)));
    }
    const Column& eid = t.col(rect_col::kEvaluationId);
    for (size_t r = 0; r < t.rows(); ++r) keep[r] = ids.count(FingerprintOf(eid.TextAt(r))) > 0;
  } else {
    GOVQM_ASSIGN_OR_RETURN(keep, scope.Mask(t));
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> in_wanted, wanted.Mask(t));
    And(&keep, in_wanted);
    if (!request.item.empty()) And(&keep, ItemMask(t, ItemColumn(*kind), request.item));
  }
  const bool bounded = !request.from.empty() || !request.to.empty();
  if (const int anchor = AnchorColumn(*kind); anchor >= 0 && bounded) {
    const std::vector<int64_t>& at = t.col(anchor).times;
    for (size_t r = 0; r < t.rows(); ++r) {
      keep[r] = keep[r] && at[r] != kNullTime && at[r] >= from && at[r] < to;
    }
  } else if (bounded) {
    // Org rows by period label: those overlapping [from, to); a label not understood is
    // not known to overlap, so it is left out.
    const Column& period = t.col(org_col::kPeriod);
    for (size_t r = 0; r < t.rows(); ++r) {
      int64_t start, end;
      keep[r] = keep[r] && OrgPeriodBounds(period.CodeAt(r), *zone, &start, &end) && start < to &&
                end > from;
    }
  }

  RecordsResult out;
  out.kind = std::string(t.def().name);
  out.offset = request.offset;
  out.limit = request.limit;
  std::vector<int> shown;
  for (int c = 0; c < static_cast<int>(t.def().columns.size()); ++c) {
    if (t.def().columns[c].name == "contact") continue;  // never shown here (service.md §4)
    shown.push_back(c);
    out.columns.emplace_back(t.def().columns[c].name);
    out.types.push_back(t.def().columns[c].type);
  }
  for (size_t r = 0; r < t.rows(); ++r) {
    if (!keep[r]) continue;
    const int64_t i = out.total++;
    if (i < request.offset || i >= request.offset + request.limit) continue;
    std::vector<std::string> row;
    row.reserve(shown.size());
    for (int c : shown) {
      std::string text = t.FieldText(r, c);
      row.push_back(IsFreeText(t.def(), c) ? ScrubPersonalData(text) : std::move(text));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace govqm::app
