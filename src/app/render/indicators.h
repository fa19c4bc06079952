// Rendering of indicator rows: long CSV and JSON (architecture.md, "The command line"), and a
// readable table (groups × indicators, rates as percentages).
#pragma once

#include <string>

#include "app/indicators.h"

namespace govqm::render {

std::string IndicatorsCsv(const app::IndicatorsResult& r);
std::string IndicatorsJson(const app::IndicatorsResult& r);
std::string IndicatorsTable(const app::IndicatorsResult& r);
// The phase timings line (for --timing, on stderr).
std::string IndicatorsTimingText(const app::IndicatorsResult& r);

}  // namespace govqm::render
