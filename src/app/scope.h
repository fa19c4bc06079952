// The one scope policy (service.md §4, domain.md §6), applied below every use case that reads
// data. A scope is a region subtree (the hierarchy of regions.parent_code, never digit
// prefixes), optionally narrowed to a set of departments; records without a department are
// then outside it. Records outside the scope are removed before anything is aggregated; after
// computing, a group outside the scope never appears, while a group labelled by an ancestor of
// the scope's region (the city of a district user, grouped by city) may, computed over the
// in-scope records alone. Naming an out-of-scope unit is kPermissionDenied (HTTP 403, exit 1).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/access.h"
#include "core/engine/catalog.h"
#include "core/engine/dataset.h"
#include "core/engine/indicators.h"
#include "core/status.h"
#include "core/table.h"
#include "store/dataset_loader.h"
#include "store/store.h"

namespace govqm::app {

// A scope resolved against the reference data: the region codes of its subtree, its region's
// strict ancestors, each department's region. Owns what it holds (no reference into the
// tables it was built from), so it may outlive them and be shared by streamed sources.
// Immutable after construction; safe to share between threads.
class ScopeFilter {
 public:
  ScopeFilter() = default;  // unrestricted
  // `regions` and `departments` are the reference tables (regions need code and parent_code;
  // departments code and region_code). A scope region missing from `regions` covers itself.
  ScopeFilter(const AccessScope& scope, const Table& regions, const Table& departments);

  const AccessScope& scope() const { return scope_; }
  bool unrestricted() const { return scope_.unrestricted(); }

  // The region is the scope's region or a descendant (any region, even none, when the scope
  // names no region).
  bool RegionIn(std::string_view region) const;
  // The scope names no department, or `dept` is one of them ("" is then out).
  bool DeptIn(std::string_view dept) const;
  bool RecordIn(std::string_view region, std::string_view dept) const {
    return RegionIn(region) && DeptIn(dept);
  }
  // A strict ancestor of the scope's region (false when the scope names no region).
  bool IsAncestor(std::string_view region) const;
  // Whether an output group labelled `label` under `key` may appear: a region or city in the
  // subtree or an ancestor of it; a department of the scope (when it names any) that does not
  // belong to a region beside the subtree; every label of the other keys.
  bool GroupVisible(GroupKey key, std::string_view label) const;
  // PermissionDenied naming the unit when GroupVisible(key, unit) is false; an unknown unit
  // outside the scope is denied too, so the answer says nothing of what exists.
  Status CheckUnit(GroupKey key, std::string_view unit) const;
  // An org row's unit (a department, else a region) is in scope: a department of the scope in
  // the subtree, or (for a scope without departments) a region of the subtree.
  bool OrgUnitIn(std::string_view unit) const;

  // In-scope rows of a table of transactions, evaluations, probes, guides or org (its own
  // region and department columns, or its unit). Internal for rectifications (their scope is
  // their evaluation's: see ApplyScope) and reference kinds, or when a column the scope needs
  // was not loaded.
  Result<std::vector<bool>> Mask(const Table& table) const;

 private:
  AccessScope scope_;
  std::unordered_set<std::string> subtree_, ancestors_, depts_;
  std::unordered_map<std::string, std::string> dept_region_;
};

// Removes every record outside the filter's scope from `data`, before anything is aggregated:
// transactions, evaluations, probes, guides and org by their own region and department;
// rectifications with their evaluation (matched by the evaluation id's fingerprint), since
// they carry neither. Streamed kinds (data->transaction_source, evaluation_source) are wrapped
// in sources that drop the rows of each segment as it is loaded; `streams` must then be the
// streams the dataset's sources point to (it takes ownership of the wrapped ones). Reference
// kinds (regions, departments, items) are kept whole: they label and link groups, they are
// not records. Unrestricted: returns at once, nothing is copied.
Status ApplyScope(const ScopeFilter& filter, Dataset* data, DatasetStreams* streams = nullptr);

// LoadDataset (same arguments), with the scope applied. A scope narrowed to departments makes
// the department columns load even when no key needs them.
Result<Dataset> LoadScopedDataset(const Store& store, const AccessScope& scope,
                                  DatasetStreams* streams = nullptr,
                                  const DatasetNeeds* needs = nullptr);

// Drops the rows of groups the filter hides (ScopeFilter::GroupVisible under each of `keys`).
void DropHiddenGroups(const ScopeFilter& filter, const std::vector<GroupKey>& keys,
                      std::vector<IndicatorRow>* rows);

// ComputeIndicators over a scoped dataset, then DropHiddenGroups: how every use case computes.
// A row whose indicator reads a kind the store never held (Dataset::kind_loaded,
// core/engine/inputs.h) is made null: no evaluations at all leaves unrated_rate empty, not 1,
// and no rectification events the reply and rectification rates empty, not 0.
Result<std::vector<IndicatorRow>> ComputeScoped(const Dataset& data, const EngineOptions& options,
                                                const ScopeFilter& filter);

// PermissionDenied when `unit`, named under `key`, is outside `scope` (see
// ScopeFilter::CheckUnit); the region tree and departments come from `data`.
Status CheckUnitInScope(const AccessScope& scope, const Dataset& data, GroupKey key,
                        std::string_view unit);

}  // namespace govqm::app
