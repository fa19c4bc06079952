#include "app/render/import.h"

#include <fmt/format.h>

#include "app/render/json.h"
#include "app/render/text.h"

namespace govqm::render {

std::string ImportJson(const app::ImportSummary& s) {
  std::string json = fmt::format(
      "{{\"kind\":{},\"read\":{},\"loaded\":{},\"replaced\":{},\"rejected\":{},"
      "\"rejects_file\":{}",
      JsonString(GetKindDef(s.kind).name), s.read, s.loaded, s.replaced, s.rejected,
      s.rejects_file.empty() ? "null" : JsonString(s.rejects_file));
  json += ",\"files\":[";
  for (size_t i = 0; i < s.files.size(); ++i) {
    const app::ImportFileSummary& f = s.files[i];
    json += fmt::format(
        "{}{{\"file\":{},\"format\":{},\"encoding\":{},\"read\":{},\"rejected\":{},"
        "\"rejects_file\":{},\"ignored_columns\":{},\"warnings\":{}}}",
        i ? "," : "", JsonString(f.file), JsonString(f.format), JsonString(f.encoding), f.read,
        f.rejected, f.rejects_file.empty() ? "null" : JsonString(f.rejects_file),
        JsonStrings(f.ignored_columns), JsonStrings(f.warnings));
  }
  json += "],\"unknown_codes\":{";
  bool first = true;
  for (const auto& [column, u] : s.unknown_codes) {
    json += fmt::format("{}{}:{{\"rows\":{},\"examples\":{}}}", first ? "" : ",",
                        JsonString(column), u.rows, JsonStrings(u.examples));
    first = false;
  }
  json += fmt::format("}},\"atomic_refused\":{}}}", s.atomic_refused ? "true" : "false");
  return json;
}

ImportText RenderImportText(const app::ImportSummary& s) {
  ImportText t;
  Appendf(&t.out, "%s: read %lld, loaded %lld (replaced %lld), rejected %lld%s\n",
          std::string(GetKindDef(s.kind).name).c_str(), static_cast<long long>(s.read),
          static_cast<long long>(s.loaded), static_cast<long long>(s.replaced),
          static_cast<long long>(s.rejected),
          s.rejects_file.empty() ? "" : (" -> " + s.rejects_file).c_str());
  for (const app::ImportFileSummary& f : s.files) {
    if (f.encoding != "UTF-8") {
      Appendf(&t.err, "note: %s was %s, converted to UTF-8\n", f.file.c_str(), f.encoding.c_str());
    }
    if (!f.ignored_columns.empty()) {
      std::string cols;
      for (const auto& c : f.ignored_columns) cols += (cols.empty() ? "" : ", ") + c;
      Appendf(&t.err, "note: %s: ignored columns the kind does not know: %s\n", f.file.c_str(),
              cols.c_str());
    }
    for (const auto& w : f.warnings)
      Appendf(&t.err, "warning: %s: %s\n", f.file.c_str(), w.c_str());
  }
  for (const auto& [column, u] : s.unknown_codes) {
    std::string ex;
    for (const auto& e : u.examples) ex += (ex.empty() ? "" : ", ") + e;
    Appendf(&t.err,
            "warning: %lld rows have a %s not in the reference data (e.g. %s); loaded anyway\n",
            static_cast<long long>(u.rows), column.c_str(), ex.c_str());
  }
  return t;
}

std::string ImportTimingText(const app::ImportSummary& s) {
  std::string out;
  Appendf(&out, "timing: parse %.3f s, write %.3f s, commit %.3f s\n", s.timings.parse_s,
          s.timings.write_s, s.timings.commit_s);
  return out;
}

}  // namespace govqm::render
