// The public view (service.md §4): aggregates only, in the same rows as the indicators JSON; a
// value computed from fewer than k = 10 records (transactions; for evaluation indicators,
// evaluations; for the closed loop, cases; for probes and guides, theirs) stays as a row with
// no value and `suppressed`: never dropped, so a row's absence says nothing. No record ids;
// explain has no public version at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/indicators.h"
#include "app/score.h"

namespace govqm::app {

inline constexpr double kPublicMinRecords = 10;  // k

struct PublicIndicatorRow {
  std::vector<std::string> keys;  // as IndicatorRow::keys
  std::string_view indicator;     // points into Catalog()
  std::optional<double> value;    // nullopt when null or suppressed
  bool suppressed = false;        // fewer than k records behind the value
};

struct PublicIndicatorsResult {
  std::vector<GroupKey> keys;
  std::vector<PublicIndicatorRow> rows;  // the indicators result's rows, in its order
};

// The records behind a row's value: its base measures' sample; for a point-in-time value
// (backlog, freshness), which counts no records of its own, the sample of the same group's
// `volume` (transactions) or `evaluations` row; none when that row is absent.
// FailedPrecondition when the result was computed without base measures
// (IndicatorsRequest::base_measures).
Result<PublicIndicatorsResult> PublicIndicatorsView(const IndicatorsResult& result);

// Indicators (with base measures, and the count rows a point-in-time value is judged by,
// which are not shown unless asked for) then PublicIndicatorsView. The scope is the
// request's (the public's is the whole province).
Result<PublicIndicatorsResult> PublicIndicators(const Store& store, IndicatorsRequest request,
                                                platform::Env& env = platform::Env::Default());

// Score for the public: units whose sample (the framework's sample indicator, transactions
// by default) is unknown or below k are scored as below the framework's minimum sample
// (no scores, grade or rank, no part in the others' comparison), and show no values, context
// or sample either; every indicator value of a unit computed from fewer than k records is
// left out before scoring. Such units are listed in ScoreOutput::suppressed. A values file is
// refused (InvalidInput): the public view is of the store.
Result<ScoreOutput> PublicScore(LoadedFramework framework, const ScoreRequest& request,
                                const Store& store);

}  // namespace govqm::app
