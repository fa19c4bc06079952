// Mergeable base measures (architecture.md, "decomposable base measures"): the engine's scan
// stops at per-group accumulators — counts, sums, percentile sketches, point-in-time
// difference arrays, case tallies — which add up exactly over any split of the records
// (threads, segments, shards, cities). ComputeIndicators is FinishPartials(ComputePartials).
// Federation (service.md §11) writes a city's partials to a file and merges the cities'; the
// ClickHouse backend builds the same partials from GROUP BY results.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/dataset.h"
#include "core/engine/indicators.h"
#include "core/status.h"

namespace govqm {

namespace engine {
struct PartialsData;  // the accumulators (indicators.cc)
}

// What partials were computed over: only partials with equal headers merge. The period, the
// keys and every option that changes an accumulator are recorded.
struct PartialsHeader {
  int64_t from_ms = 0, to_ms = 0;
  std::vector<GroupKey> keys;
  std::vector<std::string> only;  // the requested indicator codes (empty = all)
  std::string zone;               // the zone's name (buckets and local dates)
  int verify_days = 1, rectify_days = 15;
  std::vector<std::pair<std::string, std::string>> modes;  // channel → mode, as configured
  std::string calendar_digest;  // WorkingCalendar's entries, hashed: cases' deadlines
};

// The accumulators of every group of one computation, keyed by the groups' labels.
class Partials {
 public:
  Partials();
  ~Partials();
  Partials(Partials&&) noexcept;
  Partials& operator=(Partials&&) noexcept;

  const PartialsHeader& header() const;
  // Groups with any accumulator (all families together).
  size_t groups() const;

  engine::PartialsData& data() { return *data_; }
  const engine::PartialsData& data() const { return *data_; }

 private:
  std::unique_ptr<engine::PartialsData> data_;
};

// The header `options` give (the zone's name from options.zone, UTC when null).
PartialsHeader MakePartialsHeader(const EngineOptions& options);

// The scan: the same checks and errors as ComputeIndicators.
Result<Partials> ComputePartials(const Dataset& data, const EngineOptions& options);

// Adds `other`'s accumulators into `into`, group by group (labels equal = same group).
// kInvalidInput naming the first header field that differs.
Status MergePartials(Partials* into, Partials&& other);

// Drops every group (of every family) whose labels `hide` accepts: what a scope must not
// show (app/scope.h's hidden groups) never leaves in partials. Returns how many were dropped.
size_t DropGroups(Partials* partials,
                  const std::function<bool(const std::vector<std::string>& labels)>& hide);

// The indicator rows, as ComputeIndicators returns them (formulas, then sorted). With
// `base_measures`, each row carries its base measures. Consumes the sketches' order (the
// partials may be finished once).
std::vector<IndicatorRow> FinishPartials(Partials& partials, bool base_measures = false);

// A canonical text form (JSON, one object; the same partials give the same bytes) and back.
// Parse errors are kInvalidInput, naming `where` and what is wrong.
std::string SerializePartials(const Partials& partials);
Result<Partials> ParsePartials(std::string_view text, const std::string& where);

}  // namespace govqm
