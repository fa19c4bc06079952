#include "app/same_source.h"

#include <algorithm>
#include <limits>
#include <map>

#include "app/common.h"
#include "app/scope.h"
#include "core/schema.h"

namespace govqm::app {

Result<SameSourceResult> SameSource(const Store& store, const SameSourceRequest& request) {
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(request.zone, store.zone()));
  int64_t to = std::numeric_limits<int64_t>::max();
  if (!request.to.empty()) {
    GOVQM_ASSIGN_OR_RETURN(to, ParseBound("to", request.to, *zone));
  }
  GOVQM_ASSIGN_OR_RETURN(const Table regions, store.Load(Kind::kRegions));
  GOVQM_ASSIGN_OR_RETURN(const Table departments, store.Load(Kind::kDepartments));
  const ScopeFilter scope(request.scope, regions, departments);
  if (!request.dept.empty()) GOVQM_RETURN_IF_ERROR(scope.CheckUnit(GroupKey::kDept, request.dept));
  GOVQM_ASSIGN_OR_RETURN(const Table guides, store.Load(Kind::kGuides));

  std::vector<GuideMismatch> all;
  const std::vector<SameSourceItem> items = CompareSameSource(guides, to, &all);
  auto wanted = [&](std::string_view region, std::string_view dept) {
    return scope.RecordIn(region, dept) && (request.dept.empty() || dept == request.dept);
  };
  SameSourceResult out;
  out.to = request.to;
  std::map<std::string, SameSourceDept, std::less<>> depts;
  for (const SameSourceItem& it : items) {
    const std::string_view region = guides.col(guide_col::kRegionCode).CodeAt(it.platform_row);
    const std::string_view dept = guides.col(guide_col::kDeptCode).CodeAt(it.platform_row);
    if (!wanted(region, dept)) continue;
    SameSourceDept& d = depts[std::string(dept)];
    d.dept = dept;
    d.items += 1;
    d.compared += it.dept_pubs;
    d.mismatching += it.dept_pubs - it.dept_pubs_matching;
  }
  for (GuideMismatch& m : all) {
    if (!wanted(m.platform_region, m.platform_dept)) continue;
    SameSourceDept& d = depts[m.platform_dept];
    for (std::string_view field : m.fields) {
      const auto at = std::find(kGuideKeyFields.begin(), kGuideKeyFields.end(), field);
      d.by_field[static_cast<size_t>(at - kGuideKeyFields.begin())] += 1;
    }
    out.mismatches.push_back(std::move(m));
  }
  for (auto& [code, d] : depts) out.depts.push_back(std::move(d));
  return out;
}

}  // namespace govqm::app
