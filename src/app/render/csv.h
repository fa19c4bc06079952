// The CSV writer of every edge (RFC 4180: a field is quoted when it holds a comma, a quote or
// a line break; quotes inside are doubled).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace govqm::render {

// One field, quoted when needed.
std::string CsvField(std::string_view field);
// Appends one record (fields quoted as needed, joined by commas) and "\n" to *out.
void AppendCsvRow(std::string* out, const std::vector<std::string>& fields);

}  // namespace govqm::render
