#include "app/render/same_source.h"

#include <fmt/format.h>

#include "app/render/json.h"

namespace govqm::render {

std::string SameSourceJson(const app::SameSourceResult& r) {
  std::string fields;
  for (std::string_view f : kGuideKeyFields) fields += (fields.empty() ? "" : ",") + JsonString(f);
  std::string out = fmt::format("{{\"to\":{},\"fields\":[{}],\n\"depts\":[", JsonString(r.to), fields);
  for (size_t i = 0; i < r.depts.size(); ++i) {
    const app::SameSourceDept& d = r.depts[i];
    std::string by_field;
    for (size_t f = 0; f < kGuideKeyFields.size(); ++f) {
      by_field += fmt::format("{}{}:{}", f ? "," : "", JsonString(kGuideKeyFields[f]), d.by_field[f]);
    }
    out += fmt::format("{}{{\"dept\":{},\"items\":{},\"compared\":{},\"mismatching\":{},"
                       "\"by_field\":{{{}}}}}",
                       i ? ",\n" : "\n", JsonString(d.dept), d.items, d.compared, d.mismatching,
                       by_field);
  }
  out += "\n],\n\"mismatches\":[";
  for (size_t i = 0; i < r.mismatches.size(); ++i) {
    const GuideMismatch& m = r.mismatches[i];
    std::string fl;
    for (std::string_view f : m.fields) fl += (fl.empty() ? "" : ",") + JsonString(f);
    out += fmt::format("{}{{\"item\":{},\"platform_region\":{},\"platform_dept\":{},\"source\":{},"
                       "\"source_dept\":{},\"fields\":[{}]}}",
                       i ? ",\n" : "\n", JsonString(m.item_code), JsonString(m.platform_region),
                       JsonString(m.platform_dept), JsonString(m.source), JsonString(m.source_dept),
                       fl);
  }
  out += "\n]}";
  return out;
}

}  // namespace govqm::render
