// The indicators use case: the catalog of domain.md §3 per group over a period, from the store.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/engine/indicators.h"
#include "core/status.h"
#include "platform/env.h"
#include "store/store.h"

namespace govqm::app {

struct IndicatorsRequest {
  std::string from, to;           // dates or ISO 8601 times, local to the zone
  std::string zone;               // "" = the store's
  std::vector<GroupKey> keys;     // may be empty (one group)
  std::vector<std::string> only;  // indicator codes; empty = all
  // Transactions and evaluations scanned segment by segment (the default); false loads them
  // whole first (for benchmarks comparing the two).
  bool stream = true;
  AccessScope scope;  // records outside it are left out before aggregating (app/scope.h)
  // Also return each row's base measures (IndicatorRow::base): the public view reads the
  // records behind every value from them.
  bool base_measures = false;
};

struct IndicatorsResult {
  std::vector<GroupKey> keys;
  std::vector<IndicatorRow> rows;  // ComputeIndicators' order
  // The request's --only codes as given (empty = all): renderers print the indicators in this
  // order (render/natural_order.h).
  std::vector<std::string> only;
  // Region code -> name, for readable tables.
  std::map<std::string, std::string, std::less<>> region_names;
  // Why indicators are empty: one note per kind the store never held that the computed
  // indicators read ("no evaluations loaded: the 14 indicators that read them are empty (…)").
  std::vector<std::string> notes;
  // Per Kind: the store holds a row of it (Dataset::kind_loaded); renderers name the reason
  // of an empty value from it (AbsentKindReason).
  std::vector<bool> kind_loaded;
  // Where the time went (the Env's clock), and the store's transactions.
  double load_s = 0, compute_s = 0;
  int64_t transactions = 0;
};

Result<IndicatorsResult> Indicators(const Store& store, const IndicatorsRequest& request,
                                    platform::Env& env = platform::Env::Default());

}  // namespace govqm::app
