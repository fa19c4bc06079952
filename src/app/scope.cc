#include "app/scope.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/engine/inputs.h"

namespace govqm::app {
namespace {

struct FingerprintHash {
  size_t operator()(const Fingerprint& f) const { return static_cast<size_t>(f.h ^ (f.g << 1)); }
};
using FingerprintSet = std::unordered_set<Fingerprint, FingerprintHash>;

// The region and department columns of the kinds that carry their own (-1: none).
struct ScopeCols {
  int region = -1, dept = -1;
};
ScopeCols ColsOf(Kind kind) {
  switch (kind) {
    case Kind::kTransactions:
      return {tx_col::kRegionCode, tx_col::kDeptCode};
    case Kind::kEvaluations:
      return {eval_col::kRegionCode, eval_col::kDeptCode};
    case Kind::kProbes:
      return {probe_col::kRegionCode, probe_col::kDeptCode};
    case Kind::kGuides:
      return {guide_col::kRegionCode, guide_col::kDeptCode};
    default:
      return {};
  }
}

// Per dictionary code of a code column: `in(value)`; one call per distinct value, not per row.
template <typename In>
std::vector<bool> PerCode(const Column& c, const In& in) {
  std::vector<bool> out(c.dict.size());
  for (uint32_t k = 0; k < c.dict.size(); ++k) out[k] = in(std::string_view(c.dict[k]));
  return out;
}

std::string ScopeText(const AccessScope& s) {
  std::string out = s.region.empty() ? "every region" : "region " + s.region;
  if (!s.depts.empty()) {
    out += ", departments ";
    for (size_t i = 0; i < s.depts.size(); ++i) out += (i ? "," : "") + s.depts[i];
  }
  return out;
}

// A streamed kind with the scope applied to each segment as it is loaded (in place, in the
// engine's reused table: no copy). rows() stays the inner count, an upper bound: the engine
// only sizes a hash set by it.
class ScopedSource : public TableSource {
 public:
  ScopedSource(std::unique_ptr<TableSource> inner, std::shared_ptr<const ScopeFilter> filter)
      : inner_(std::move(inner)), filter_(std::move(filter)) {}
  size_t segments() const override { return inner_->segments(); }
  size_t rows() const override { return inner_->rows(); }
  Result<std::vector<std::string>> Dictionary(int col) const override {
    return inner_->Dictionary(col);
  }
  Status Load(size_t i, Table* out) const override {
    GOVQM_RETURN_IF_ERROR(inner_->Load(i, out));
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, filter_->Mask(*out));
    out->KeepRows(keep);
    return Status::Ok();
  }

 private:
  std::unique_ptr<TableSource> inner_;
  std::shared_ptr<const ScopeFilter> filter_;
};

// Fingerprints of text column `col`: the loader's cache, or the text when it was loaded.
Result<const std::vector<Fingerprint>*> FingerprintsOf(const Table& t, int col,
                                                       std::vector<Fingerprint>* scratch) {
  const auto& fp = t.def().fingerprinted;
  const auto k = std::find(fp.begin(), fp.end(), col) - fp.begin();
  const bool cached = k < static_cast<long>(fp.size()) && t.fingerprints[k].size() == t.rows();
  if (!cached && t.col(col).size() != t.rows()) {
    return Status::Internal(
        fmt::format("scope: {}.{} was not loaded", t.def().name, t.def().columns[col].name));
  }
  return &Fingerprints(t, col, scratch);
}

Status AddEvaluationIds(const Table& evaluations, FingerprintSet* ids) {
  std::vector<Fingerprint> scratch;
  GOVQM_ASSIGN_OR_RETURN(const std::vector<Fingerprint>* fps,
                         FingerprintsOf(evaluations, eval_col::kId, &scratch));
  ids->insert(fps->begin(), fps->end());
  return Status::Ok();
}

}  // namespace

ScopeFilter::ScopeFilter(const AccessScope& scope, const Table& regions, const Table& departments)
    : scope_(scope) {
  if (scope.unrestricted()) return;  // nothing to resolve: costs nothing
  depts_.insert(scope.depts.begin(), scope.depts.end());
  const Column& dcode = departments.col(departments_col::kCode);
  const Column& dregion = departments.col(departments_col::kRegionCode);
  for (size_t r = 0; r < departments.rows(); ++r) {
    dept_region_.emplace(dcode.CodeAt(r), dregion.CodeAt(r));
  }
  if (scope.region.empty()) return;
  const Column& code = regions.col(regions_col::kCode);
  const Column& parent = regions.col(regions_col::kParentCode);
  std::unordered_map<std::string_view, std::vector<std::string_view>> children;
  std::unordered_map<std::string_view, std::string_view> parent_of;
  for (size_t r = 0; r < regions.rows(); ++r) {
    const std::string_view c = code.CodeAt(r), p = parent.CodeAt(r);
    if (p.empty() || p == c) continue;
    children[p].push_back(c);
    parent_of[c] = p;
  }
  // The subtree, breadth first; the set also guards against cycles in bad reference data.
  std::vector<std::string_view> todo = {scope.region};
  subtree_.insert(scope.region);
  while (!todo.empty()) {
    const std::string_view r = todo.back();
    todo.pop_back();
    auto it = children.find(r);
    if (it == children.end()) continue;
    for (std::string_view ch : it->second) {
      if (subtree_.emplace(ch).second) todo.push_back(ch);
    }
  }
  for (auto it = parent_of.find(scope.region); it != parent_of.end();
       it = parent_of.find(it->second)) {
    if (subtree_.count(std::string(it->second)) || !ancestors_.emplace(it->second).second) {
      break;  // a cycle
    }
  }
}

bool ScopeFilter::RegionIn(std::string_view region) const {
  return scope_.region.empty() || subtree_.count(std::string(region)) > 0;
}

bool ScopeFilter::DeptIn(std::string_view dept) const {
  return scope_.depts.empty() || depts_.count(std::string(dept)) > 0;
}

bool ScopeFilter::IsAncestor(std::string_view region) const {
  return ancestors_.count(std::string(region)) > 0;
}

bool ScopeFilter::GroupVisible(GroupKey key, std::string_view label) const {
  if (unrestricted()) return true;
  switch (key) {
    case GroupKey::kRegion:
    case GroupKey::kCity:
      return RegionIn(label) || IsAncestor(label);
    case GroupKey::kDept: {
      if (!DeptIn(label)) return false;
      if (scope_.region.empty() || label.empty()) return true;
      // A department of another branch of the tree is hidden; one without a known region
      // (or of an ancestor: a provincial department working in the district) is not.
      auto it = dept_region_.find(std::string(label));
      return it == dept_region_.end() || it->second.empty() || RegionIn(it->second) ||
             IsAncestor(it->second);
    }
    default:
      return true;
  }
}

Status ScopeFilter::CheckUnit(GroupKey key, std::string_view unit) const {
  if (GroupVisible(key, unit)) return Status::Ok();
  return Status::PermissionDenied(fmt::format("{} '{}' is outside your scope ({})",
                                              GroupKeyName(key), unit, ScopeText(scope_)));
}

bool ScopeFilter::OrgUnitIn(std::string_view unit) const {
  if (unrestricted()) return true;
  if (auto it = dept_region_.find(std::string(unit)); it != dept_region_.end()) {
    return DeptIn(unit) && RegionIn(it->second);
  }
  // A region's own rows speak for all its departments: outside a department scope.
  return scope_.depts.empty() && RegionIn(unit);
}

Result<std::vector<bool>> ScopeFilter::Mask(const Table& t) const {
  std::vector<bool> keep(t.rows(), true);
  if (unrestricted()) return keep;
  if (t.kind() == Kind::kOrg) {
    const Column& u = t.col(org_col::kUnitCode);
    const std::vector<bool> in = PerCode(u, [&](std::string_view v) { return OrgUnitIn(v); });
    for (size_t r = 0; r < t.rows(); ++r) keep[r] = u.codes[r] != kNullCode && in[u.codes[r]];
    return keep;
  }
  const ScopeCols cols = ColsOf(t.kind());
  if (cols.region < 0) {
    return Status::Internal(fmt::format("scope: {} has no region of its own", t.def().name));
  }
  const Column& rc = t.col(cols.region);
  const Column& dc = t.col(cols.dept);
  const bool by_region = !scope_.region.empty(), by_dept = !scope_.depts.empty();
  if ((by_region && rc.size() != t.rows()) || (by_dept && dc.size() != t.rows())) {
    return Status::Internal(
        fmt::format("scope: {}'s region or department column was not loaded", t.def().name));
  }
  const std::vector<bool> region_in =
      by_region ? PerCode(rc, [&](std::string_view v) { return RegionIn(v); })
                : std::vector<bool>();
  const std::vector<bool> dept_in =
      by_dept ? PerCode(dc, [&](std::string_view v) { return DeptIn(v); }) : std::vector<bool>();
  for (size_t r = 0; r < t.rows(); ++r) {
    bool in = true;
    if (by_region) in = rc.codes[r] != kNullCode && region_in[rc.codes[r]];
    if (in && by_dept) in = dc.codes[r] != kNullCode && dept_in[dc.codes[r]];
    keep[r] = in;
  }
  return keep;
}

Status ApplyScope(const ScopeFilter& filter, Dataset* data, DatasetStreams* streams) {
  if (filter.unrestricted()) return Status::Ok();
  auto shared = std::make_shared<const ScopeFilter>(filter);
  auto wrap = [&](const TableSource** source, std::unique_ptr<TableSource>* owned) -> Status {
    if (*source == nullptr) return Status::Ok();
    if (owned == nullptr || owned->get() != *source) {
      return Status::Internal("scope: a streamed kind without the streams that own it");
    }
    *owned = std::make_unique<ScopedSource>(std::move(*owned), shared);
    *source = owned->get();
    return Status::Ok();
  };
  GOVQM_RETURN_IF_ERROR(
      wrap(&data->transaction_source, streams ? &streams->transactions : nullptr));
  GOVQM_RETURN_IF_ERROR(wrap(&data->evaluation_source, streams ? &streams->evaluations : nullptr));
  if (data->facts != nullptr) {
    // Facts aggregated where they are stored: the backend groups by region and department
    // and the engine keeps the in-scope groups (core/engine/facts.h).
    data->fact_scope = [shared](std::string_view region, std::string_view dept) {
      return shared->RecordIn(region, dept);
    };
  }
  for (Table* t :
       {&data->transactions, &data->evaluations, &data->probes, &data->guides, &data->org}) {
    if (t->rows() == 0) continue;
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, filter.Mask(*t));
    t->KeepRows(keep);
  }
  // Rectifications follow their evaluation: only events of an in-scope evaluation stay.
  Table& rect = data->rectifications;
  if (rect.rows() == 0) return Status::Ok();
  // Facts aggregated by their backend, no evaluation rows loaded: the cases come from the
  // in-scope bad reviews it hands back, and other events meet no case.
  if (data->facts != nullptr && data->evaluations.rows() == 0 &&
      data->evaluation_source == nullptr) {
    return Status::Ok();
  }
  FingerprintSet ids;
  if (data->evaluation_source != nullptr) {
    Table segment(Kind::kEvaluations);
    for (size_t i = 0; i < data->evaluation_source->segments(); ++i) {
      GOVQM_RETURN_IF_ERROR(data->evaluation_source->Load(i, &segment));  // scoped already
      GOVQM_RETURN_IF_ERROR(AddEvaluationIds(segment, &ids));
    }
  } else {
    GOVQM_RETURN_IF_ERROR(AddEvaluationIds(data->evaluations, &ids));
  }
  std::vector<Fingerprint> scratch;
  GOVQM_ASSIGN_OR_RETURN(const std::vector<Fingerprint>* of,
                         FingerprintsOf(rect, rect_col::kEvaluationId, &scratch));
  std::vector<bool> keep(rect.rows());
  for (size_t r = 0; r < rect.rows(); ++r) keep[r] = ids.count((*of)[r]) > 0;
  rect.KeepRows(keep);
  return Status::Ok();
}

Result<Dataset> LoadScopedDataset(const Store& store, const AccessScope& scope,
                                  DatasetStreams* streams, const DatasetNeeds* needs) {
  DatasetNeeds widened;
  if (needs != nullptr && !scope.depts.empty()) {
    widened = *needs;
    // The department columns are read for the scope, whatever the keys.
    if (std::find(widened.keys.begin(), widened.keys.end(), GroupKey::kDept) ==
        widened.keys.end()) {
      widened.keys.push_back(GroupKey::kDept);
    }
    needs = &widened;
  }
  GOVQM_ASSIGN_OR_RETURN(Dataset data, LoadDataset(store, streams, needs));
  if (scope.unrestricted()) return data;
  const ScopeFilter filter(scope, data.regions, data.departments);
  GOVQM_RETURN_IF_ERROR(ApplyScope(filter, &data, streams));
  return data;
}

void DropHiddenGroups(const ScopeFilter& filter, const std::vector<GroupKey>& keys,
                      std::vector<IndicatorRow>* rows) {
  if (filter.unrestricted()) return;
  std::erase_if(*rows, [&](const IndicatorRow& row) {
    for (size_t i = 0; i < keys.size() && i < row.keys.size(); ++i) {
      if (!filter.GroupVisible(keys[i], row.keys[i])) return true;
    }
    return false;
  });
}

Result<std::vector<IndicatorRow>> ComputeScoped(const Dataset& data, const EngineOptions& options,
                                                const ScopeFilter& filter) {
  GOVQM_ASSIGN_OR_RETURN(std::vector<IndicatorRow> rows, ComputeIndicators(data, options));
  DropHiddenGroups(filter, options.keys, &rows);
  if (!data.kind_loaded.empty()) {
    for (IndicatorRow& row : rows) {
      if (row.value && ReadsAbsentKind(row.indicator, data.kind_loaded)) row.value.reset();
    }
  }
  return rows;
}

Status CheckUnitInScope(const AccessScope& scope, const Dataset& data, GroupKey key,
                        std::string_view unit) {
  if (scope.unrestricted()) return Status::Ok();
  return ScopeFilter(scope, data.regions, data.departments).CheckUnit(key, unit);
}

}  // namespace govqm::app
