#include "app/render/import.h"

#include <fmt/format.h>

#include "app/render/json.h"
#include "app/render/text.h"

namespace govqm::render {
namespace {

// 1234567 -> "1,234,567".
std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

const char* ReferenceKindOf(const std::string& column) {
  if (column == "region_code") return "regions";
  if (column == "dept_code") return "departments";
  return "items";
}

}  // namespace

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
    json += fmt::format("{}{}:{{\"rows\":{},\"examples\":{},\"distinct\":{},\"no_reference\":{}}}",
                        first ? "" : ",", JsonString(column), u.rows, JsonStrings(u.examples),
                        u.distinct.size(), u.no_reference ? "true" : "false");
    first = false;
  }
  json += fmt::format("}},\"atomic_refused\":{}", s.atomic_refused ? "true" : "false");
  json += fmt::format(",\"max_rejects_refused\":{}", s.max_rejects_refused ? "true" : "false");
  json += ",\"top_reasons\":[";
  for (size_t i = 0; i < s.top_reasons.size(); ++i) {
    const app::RejectReason& r = s.top_reasons[i];
    json += fmt::format("{}{{\"column\":{},\"reason\":{},\"count\":{}}}", i ? "," : "",
                        JsonString(r.column), JsonString(r.reason), r.count);
  }
  json += fmt::format("],\"zone\":{},\"zone_source\":{},\"times_without_offset\":{}",
                      JsonString(s.zone), JsonString(s.zone_source), s.times_without_offset);
  json += ",\"unfed_indicators\":[";
  for (size_t i = 0; i < s.unfed.size(); ++i) {
    json += fmt::format("{}{{\"code\":{},\"missing\":{}}}", i ? "," : "", JsonString(s.unfed[i].code),
                        JsonStrings(s.unfed[i].missing));
  }
  json += fmt::format("],\"unfed_group_keys\":{}", JsonStrings(s.unfed_group_keys));
  json += "}";
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
    if (u.no_reference) {
      Appendf(&t.err,
              "note: the %s of %s rows (%s%zu distinct, e.g. %s) are unchecked: no %s are loaded "
              "yet (import them to have codes checked)\n",
              column.c_str(), Thousands(u.rows).c_str(), u.distinct.size() >= 10000 ? "≥ " : "",
              u.distinct.size(), ex.c_str(), ReferenceKindOf(column));
    } else {
      Appendf(&t.err,
              "warning: %lld rows have a %s not in the reference data (e.g. %s); loaded anyway\n",
              static_cast<long long>(u.rows), column.c_str(), ex.c_str());
    }
  }
  if (s.rejected > 0) {
    std::string top;
    for (const app::RejectReason& r : s.top_reasons) {
      top += fmt::format("{}{} × {}{}", top.empty() ? "" : "; ", Thousands(r.count),
                         r.column.empty() ? "" : r.column + ": ", r.reason);
    }
    if (2 * s.rejected >= s.read) {
      Appendf(&t.err, "warning: MOST RECORDS WERE REJECTED: %s of %s (%.1f%%). Top reasons: %s\n",
              Thousands(s.rejected).c_str(), Thousands(s.read).c_str(),
              100.0 * static_cast<double>(s.rejected) / static_cast<double>(s.read), top.c_str());
    } else {
      Appendf(&t.err, "note: rejected: %s\n", top.c_str());
    }
  }
  if (!s.unfed.empty()) {
    std::string list;
    for (const auto& u : s.unfed) list += (list.empty() ? "" : "; ") + u.text;
    Appendf(&t.err, "note: what was loaded cannot feed %zu indicators (null until those columns are loaded): %s\n",
            s.unfed.size(), list.c_str());
  }
  if (!s.unfed_group_keys.empty()) {
    std::string list;
    for (const auto& k : s.unfed_group_keys) list += (list.empty() ? "" : "; ") + k;
    Appendf(&t.err, "note: groupings without their column: %s\n", list.c_str());
  }
  if (s.times_without_offset > 0) {
    const char* why = s.zone_source == "mapping" ? "the mapping's timezone"
                      : s.zone_source == "--tz"  ? "--tz"
                                                 : "the store's zone";
    Appendf(&t.err, "note: %s times carry no UTC offset: read as %s local time (%s%s)\n",
            Thousands(s.times_without_offset).c_str(), s.zone.c_str(), why,
            s.mapping_without_zone ? "; the mapping sets no timezone" : "");
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
