#include "app/render/records.h"

#include <fmt/format.h>

#include "app/render/json.h"

namespace govqm::render {
namespace {

// One field: the result holds canonical text (FieldText), "" for null; numbers and booleans
// are already valid JSON literals in that form.
std::string Field(ColumnType type, const std::string& text) {
  if (text.empty()) return "null";
  switch (type) {
    case ColumnType::kInt:
    case ColumnType::kReal:
    case ColumnType::kBool:
      return text;
    default:
      return JsonString(text);
  }
}

}  // namespace

std::string RecordsJson(const app::RecordsResult& r) {
  std::string out =
      fmt::format("{{\"kind\":{},\"total\":{},\"offset\":{},\"limit\":{},\"columns\":{},\"rows\":[",
                  JsonString(r.kind), r.total, r.offset, r.limit, JsonStrings(r.columns));
  for (size_t i = 0; i < r.rows.size(); ++i) {
    out += i ? ",\n[" : "\n[";
    for (size_t c = 0; c < r.rows[i].size(); ++c) {
      if (c) out += ',';
      out += Field(r.types[c], r.rows[i][c]);
    }
    out += ']';
  }
  out += r.rows.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace govqm::render
