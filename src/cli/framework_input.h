// What the framework commands (score, explain, weights, disparity) share: the framework file
// and the units' indicator values, from the store (engine + org table) or from a plain
// unit × indicator table (--values FILE.csv). Not a public interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "core/calendar.h"
#include "core/engine/dataset.h"
#include "core/engine/indicators.h"
#include "store/dataset_loader.h"
#include "core/status.h"
#include "core/time_zone.h"
#include "framework/framework.h"
#include "framework/scoring.h"

namespace govqm::cli {

// The framework of --framework FILE; without it, $GOVQM_FRAMEWORK, ./config/framework.toml,
// or config/framework.toml beside the program's build directory. *path receives the file used.
Result<Framework> LoadFrameworkFile(const Args& args, std::string* path);

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
  // Open while `data` and `streams` are read: the streams read from it, in its snapshot.
  std::unique_ptr<Store> store;
  EngineOptions options;
  std::unique_ptr<Dataset> data;
  std::unique_ptr<TimeZone> zone;
  std::unique_ptr<WorkingCalendar> calendar;
  DatasetStreams streams;
  // Org rows used per unit and indicator (row indexes into data->org), for explain.
  std::vector<std::vector<std::vector<size_t>>> org_rows;  // [unit][indicator]
  // Unit codes of an org table row's period overlap, per unit.
};

// Reads the units' values: --values FILE.csv (columns unit, indicator, value), or the store
// over --from/--to grouped by --by (one key). With `full_dataset`, transactions are loaded
// whole (explain needs record ids); otherwise they are streamed.
Result<ScoringInput> LoadScoringInput(const Args& args, const Framework& fw, bool full_dataset);

// [start, end) instants of an org period label: 2024, 2024H1, 2024Q1, 2024-03, 2024-03-07
// (local dates in `zone`). False when the label is none of these.
bool OrgPeriodBounds(std::string_view label, const TimeZone& zone, int64_t* start, int64_t* end);

// A readable width of UTF-8 text (CJK characters count two columns).
size_t DisplayWidth(const std::string& s);
// Pads to `width` display columns (left-aligned text, or right-aligned when `right`).
std::string Pad(const std::string& s, size_t width, bool right);
// A CSV field, quoted when needed.
std::string CsvField(std::string_view s);
// Score text with two decimals, or "-".
std::string ScoreText(const std::optional<double>& v);

}  // namespace govqm::cli
