// What the framework use cases (score, explain, weights, disparity) share: the framework file
// and the units' indicator values (score input assembly), from the store (engine + org table)
// or from a plain unit × indicator table (a values file).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/scope.h"
#include "core/access.h"
#include "core/calendar.h"
#include "core/engine/dataset.h"
#include "core/engine/indicators.h"
#include "core/status.h"
#include "core/time_zone.h"
#include "framework/framework.h"
#include "framework/scoring.h"
#include "store/dataset_loader.h"

namespace govqm::app {

struct LoadedFramework {
  Framework fw;
  std::string path;  // the file read
};
// The framework of `file`; without one (""), the first of `defaults` that exists. None
// existing: kNotFound "no framework file: looked for A, B (give --framework FILE)" (or
// "no framework file (give --framework FILE)" when there is nowhere to look). See
// DefaultFrameworkFiles.
Result<LoadedFramework> LoadFramework(const std::string& file,
                                      const std::vector<std::string>& defaults);
// The default framework files in the order they are tried: `configured` (a deployment's
// choice, "" = none), then framework.toml in each data directory (`data_dirs`, found by the
// edge with platform::DataDirCandidates: $GOVQM_DATA_DIR, else the installed
// PREFIX/share/govqm, then the source tree's config/; "" entries are skipped).
std::vector<std::string> DefaultFrameworkFiles(const std::string& configured,
                                               const std::vector<std::string>& data_dirs);
// The same with one data directory (platform::DataDir).
std::vector<std::string> DefaultFrameworkFiles(const std::string& configured,
                                               const std::string& data_dir);

// Where the units and their values come from: a values file, or the store over a period.
struct ScoringRequest {
  std::string values_file;   // non-empty: columns unit, indicator, value
  std::string from, to, by;  // store: the period and the one group key
  std::string zone;          // "" = the store's
  AccessScope scope;         // store: records outside it are left out (app/scope.h)
};

struct ScoringInput {
  UnitValues values;
  std::vector<std::string> names;  // per unit, "" when unknown
  // context[u][k]: value of Framework::context[k] for unit u.
  std::vector<std::vector<std::optional<double>>> context;
  std::vector<std::string> notes;  // what was ignored or assumed, for the output
  std::string source;              // "values FILE" or "store FILE"
  // Store mode only.
  std::string by, from_text, to_text;
  std::optional<GroupKey> key;
  EngineOptions options;
  std::unique_ptr<Dataset> data;  // in-scope records only (app/scope.h)
  ScopeFilter scope;               // the request's scope over data's regions and departments
  std::unique_ptr<TimeZone> zone;
  std::unique_ptr<WorkingCalendar> calendar;
  DatasetStreams streams;
  // Org rows used per unit and indicator (row indexes into data->org), for explain.
  std::vector<std::vector<std::vector<size_t>>> org_rows;  // [unit][indicator]
};

// Reads the units' values: the request's values file, or `store` (required then) over the
// period grouped by `by`. With `full_dataset`, transactions are loaded whole (explain needs
// record ids); otherwise they are streamed.
Result<ScoringInput> LoadScoringInput(const ScoringRequest& request, const Framework& fw,
                                      const Store* store, bool full_dataset);

// The parts of a store's scoring input, for inputs assembled from elsewhere too (federation's
// merged partials, app/federation.h), so both score the same way:
// The catalog codes the framework reads from the engine (its indicators, context and sample
// indicator that are catalog codes), sorted.
std::vector<std::string> EngineCodesOf(const Framework& fw);
// Org indicators are kept per region or department: units of these keys have them.
bool OrgUnitKey(GroupKey key);
// Whether scoring by `key` reads the org table (the framework has org indicators).
bool ReadsOrgTable(const Framework& fw, GroupKey key);
// Units (every non-null label of the rows of the one key, sorted), their values, sample sizes
// and context from engine rows.
void AddEngineValues(const Framework& fw, const std::vector<IndicatorRow>& rows, ScoringInput* in);
// The framework's org indicators of the units: per unit, the mean of its rows of `org` (in
// scope already) whose period overlaps [in->options.from_ms, to_ms) in in->zone; org_rows
// says which. Notes for periods not understood, or a key (in->key) without org units.
void AddOrgValues(const Framework& fw, const Table& org, ScoringInput* in);
// The units' names for readers, from unit code → name.
void AddUnitNames(const std::map<std::string, std::string, std::less<>>& names, ScoringInput* in);

// [start, end) instants of an org period label: 2024, 2024H1, 2024Q1, 2024-03, 2024-03-07
// (local dates in `zone`). False when the label is none of these.
bool OrgPeriodBounds(std::string_view label, const TimeZone& zone, int64_t* start, int64_t* end);

}  // namespace govqm::app
