// Same-source mismatches (app/same_source.h) as JSON: what GET /api/v1/same-source answers.
#pragma once

#include <string>

#include "app/same_source.h"

namespace govqm::render {

// {"to", "fields": [the key fields], "depts": [{"dept", "items", "compared", "mismatching",
// "by_field": {field: n}}], "mismatches": [{"item", "platform_region", "platform_dept",
// "source", "source_dept", "fields": [...]}]}
std::string SameSourceJson(const app::SameSourceResult& r);

}  // namespace govqm::render
