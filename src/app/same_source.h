// The same-source (同源) mismatch use case: which department publications of a service guide
// differ from the provincial platform's, in which key fields (domain.md §3), per department —
// what the dashboard's data-sharing page and the bulletin list beside the same-source rates.
// The comparison is core/engine/same_source.h's (the same that the indicators count); this
// reads the guides at one instant and keeps what is in the caller's scope.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/engine/same_source.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm::app {

struct SameSourceRequest {
  // The instant compared at (exclusive: publications before it; a date or an ISO 8601 time
  // local to the zone); "" = every publication.
  std::string to;
  std::string zone;  // "" = the store's
  std::string dept;  // "" = every department; else the platform publication's department
  AccessScope scope;
};

struct SameSourceDept {
  std::string dept;                  // the platform publication's department
  int64_t items = 0;                 // platform items of the department with a publication
  int64_t compared = 0;              // department publications compared with them
  int64_t mismatching = 0;           // of which differ in at least one key field
  std::array<int64_t, kGuideKeyFields.size()> by_field{};  // mismatching publications per field
};

struct SameSourceResult {
  std::string to;
  // Mismatching publications whose platform publication is in scope, by item then source.
  std::vector<GuideMismatch> mismatches;
  // Every in-scope department with a platform publication, by code.
  std::vector<SameSourceDept> depts;
};

// Usage for a bound that is not a date or time; PermissionDenied for a department outside
// the scope.
Result<SameSourceResult> SameSource(const Store& store, const SameSourceRequest& request);

}  // namespace govqm::app
