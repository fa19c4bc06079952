// Rendering of a page of records (app/records.h) as the API's JSON:
// {"kind","total","offset","limit","columns":[...],"rows":[[...],...]} — numbers and
// booleans as JSON values, codes, text and times (ISO 8601 UTC) as strings, null for null.
#pragma once

#include <string>

#include "app/records.h"

namespace govqm::render {

std::string RecordsJson(const app::RecordsResult& r);

}  // namespace govqm::render
