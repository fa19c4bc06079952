// The record-level read use case (service.md §3 `GET /api/v1/records/{kind}`): one page of
// the in-scope records of a kind, masked (service.md §4): free text scrubbed of personal data,
// no contact column, no identity hash. Who may call it (admin, supervisor, operator) and the
// audit entry are the edge's; the scope is the request's, like every use case.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/schema.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm::app {

inline constexpr int64_t kRecordsDefaultLimit = 100;
inline constexpr int64_t kRecordsMaxLimit = 1000;

struct RecordsRequest {
  std::string kind;  // transactions, evaluations, rectifications, probes, guides or org
  // The period over the kind's anchor time (submitted_at, evaluated_at, at, checked_at,
  // published_at; org: the period label overlapping it). Dates or ISO 8601 times local to
  // the zone; "" = unbounded on that side.
  std::string from, to;
  std::string zone;  // "" = the store's
  // Filters, each "" = none: a region's subtree, a department, an item (kinds with items:
  // transactions, evaluations, rectifications through their evaluation, guides). Naming a
  // region or department outside the scope is kPermissionDenied.
  std::string region, dept, item;
  int64_t limit = kRecordsDefaultLimit;  // 1..kRecordsMaxLimit
  int64_t offset = 0;                    // >= 0
  AccessScope scope;
};

struct RecordsResult {
  std::string kind;
  int64_t total = 0;  // matching records, all pages
  int64_t offset = 0, limit = 0;
  std::vector<std::string> columns;  // the kind's columns, in schema order, less the omitted
  std::vector<ColumnType> types;     // per column, for renderers (numbers, booleans, text)
  // rows[i][c]: the canonical text of the field (FieldText: times ISO 8601 UTC), "" = null.
  std::vector<std::vector<std::string>> rows;
};

// InvalidInput for an unknown kind, a reference kind, a limit outside 1..1000, a negative
// offset or an item filter on a kind without items; Usage for a bound that is not a date;
// PermissionDenied for a region or dept filter outside the scope. Records are in the store's
// order (import order), so pages are stable while nothing is imported.
Result<RecordsResult> Records(const Store& store, const RecordsRequest& request);

}  // namespace govqm::app
