// Rendering of indicator rows: long CSV and JSON (architecture.md, "The command line"), and a
// readable table (groups × indicators, rates as percentages).
#pragma once

#include <string>

#include "app/indicators.h"
#include "app/public_view.h"

namespace govqm::render {

std::string IndicatorsCsv(const app::IndicatorsResult& r);
// An array of rows (keys, indicator, value); a null value that is null because a kind the
// indicator reads was never loaded also carries "note": "no evaluations loaded".
std::string IndicatorsJson(const app::IndicatorsResult& r);
// The result's notes, one "note: …" line each (stderr beside the table and the CSV).
std::string IndicatorsNotesText(const app::IndicatorsResult& r);
// The public view: IndicatorsJson's rows, each with "suppressed" after "value" (true: the
// value is null for too few records).
std::string PublicIndicatorsJson(const app::PublicIndicatorsResult& r);
std::string IndicatorsTable(const app::IndicatorsResult& r);
// The phase timings line (for --timing, on stderr).
std::string IndicatorsTimingText(const app::IndicatorsResult& r);

}  // namespace govqm::render
