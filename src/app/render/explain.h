// Rendering of an explanation: the chain from the index down to the records, as text or as
// the JSON object of `explain --format json` and GET /api/v1/explain.
#pragma once

#include <string>

#include "app/explain.h"

namespace govqm::render {

std::string ExplainText(const app::ExplainOutput& o);
// One JSON object: framework, source, period and by (store input), min_sample, show_records,
// unit (scores, grade, rank), target (kind node|stage|dimension, level, code, score,
// aggregation), path (index down to the target, with weights), children (score, weight,
// effective weight, note), indicators (value, score, weights, rule; for the store's catalog
// indicators `base`, the engine's base measures and the value made again; `records`, example
// ids, only when o.show_records; org indicators their `org_periods`; else a `note`).
std::string ExplainJson(const app::ExplainOutput& o);

}  // namespace govqm::render
