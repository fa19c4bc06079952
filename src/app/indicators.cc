#include "app/indicators.h"

#include <algorithm>

#include "app/common.h"
#include "app/scope.h"
#include "core/engine/inputs.h"
#include "store/dataset_loader.h"

namespace govqm::app {

Result<IndicatorsResult> Indicators(const Store& store, const IndicatorsRequest& request,
                                    platform::Env& env) {
  // One snapshot for the calendar and every kind the engine reads: an import committing
  // meanwhile is seen whole or not at all.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(
      const std::unique_ptr<PeriodEngine> engine,
      SetUpPeriodEngine(store, request.zone, request.from, request.to, request.keys));
  EngineOptions& options = engine->options;
  options.only = request.only;
  options.base_measures = request.base_measures;

  IndicatorsResult result;
  result.keys = request.keys;
  result.only = request.only;
  const double t0 = env.NowSeconds();
  DatasetStreams streams;  // transactions and evaluations are scanned segment by segment
  const DatasetNeeds needs{options.keys, options.only};
  // Records outside the request's scope are dropped as they load, before any aggregate.
  GOVQM_ASSIGN_OR_RETURN(
      const Dataset data,
      LoadScopedDataset(store, request.scope, request.stream ? &streams : nullptr, &needs));
  const ScopeFilter scope(request.scope, data.regions, data.departments);
  const double t1 = env.NowSeconds();
  GOVQM_ASSIGN_OR_RETURN(result.rows, ComputeScoped(data, options, scope));
  result.kind_loaded = data.kind_loaded;
  {
    // The codes computed: those asked for (all without --only) that the keys allow.
    std::vector<std::string_view> codes;
    for (const IndicatorInfo& info : Catalog()) {
      const bool asked = options.only.empty() ||
                         std::find(options.only.begin(), options.only.end(), info.code) !=
                             options.only.end();
      bool keys_ok = true;
      for (GroupKey k : options.keys) keys_ok = keys_ok && info.Supports(k);
      if (asked && keys_ok) codes.push_back(info.code);
    }
    result.notes = AbsentKindNotes(codes, data.kind_loaded);
  }
  result.load_s = t1 - t0;
  result.compute_s = env.NowSeconds() - t1;
  auto count = store.CountRows(Kind::kTransactions);
  result.transactions = count.ok() ? *count : 0;
  for (size_t r = 0; r < data.regions.rows(); ++r) {
    result.region_names.emplace(data.regions.col(regions_col::kCode).CodeAt(r),
                                data.regions.col(regions_col::kName).TextAt(r));
  }
  return result;
}

}  // namespace govqm::app
