#include "app/render/csv.h"

namespace govqm::render {

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string s = "\"";
  for (char c : field) {
    if (c == '"') s.push_back('"');
    s.push_back(c);
  }
  s.push_back('"');
  return s;
}

void AppendCsvRow(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(',');
    *out += CsvField(fields[i]);
  }
  out->push_back('\n');
}

}  // namespace govqm::render
