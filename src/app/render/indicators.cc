#include "app/render/indicators.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/natural_order.h"
#include "app/render/table.h"
#include "app/render/text.h"
#include "core/engine/inputs.h"

namespace govqm::render {

std::string IndicatorsCsv(const app::IndicatorsResult& r) {
  std::string out;
  out.reserve(r.rows.size() * 32);
  for (GroupKey k : r.keys) out += fmt::format("{},", GroupKeyName(k));
  out += "indicator,value\n";
  for (size_t i : IndicatorRowOrder(r)) {
    const IndicatorRow& row = r.rows[i];
    for (const std::string& k : row.keys) out += CsvField(k) + ",";
    out += fmt::format("{},{}\n", row.indicator, row.value ? NumberText(*row.value) : "");
  }
  return out;
}

namespace {

// One object of the indicators JSON, without its closing brace (the public view adds a field).
void AppendJsonRow(const std::vector<GroupKey>& keys, const std::vector<std::string>& labels,
                   std::string_view indicator, const std::optional<double>& value, bool first,
                   std::string* out) {
  *out += first ? "\n{" : ",\n{";
  for (size_t i = 0; i < labels.size(); ++i) {
    *out += fmt::format("{}:{},", JsonString(GroupKeyName(keys[i])),
                        labels[i].empty() ? "null" : JsonString(labels[i]));
  }
  *out += fmt::format("\"indicator\":{},\"value\":{}", JsonString(indicator), JsonNumber(value));
}

}  // namespace

std::string IndicatorsJson(const app::IndicatorsResult& r) {
  std::string out;
  out.reserve(r.rows.size() * 48);
  out += "[";
  bool first = true;
  for (size_t i : IndicatorRowOrder(r)) {
    const IndicatorRow& row = r.rows[i];
    AppendJsonRow(r.keys, row.keys, row.indicator, row.value, first, &out);
    // An empty value because a kind it reads was never loaded says so.
    if (!row.value) {
      const std::string reason = AbsentKindReason(row.indicator, r.kind_loaded);
      if (!reason.empty()) out += ",\"note\":" + JsonString(reason);
    }
    out += "}";
    first = false;
  }
  out += "\n]\n";
  return out;
}

std::string PublicIndicatorsJson(const app::PublicIndicatorsResult& r) {
  std::string out;
  out.reserve(r.rows.size() * 64);
  out += "[";
  bool first = true;
  const std::vector<size_t> order = RowOrder(
      r.keys, r.rows.size(),
      [&](size_t i) -> const std::vector<std::string>& { return r.rows[i].keys; },
      [&](size_t i) { return r.rows[i].indicator; }, {});
  for (size_t i : order) {
    const app::PublicIndicatorRow& row = r.rows[i];
    AppendJsonRow(r.keys, row.keys, row.indicator, row.value, first, &out);
    out += row.suppressed ? ",\"suppressed\":true}" : ",\"suppressed\":false}";
    first = false;
  }
  out += "\n]\n";
  return out;
}

std::string IndicatorsTable(const app::IndicatorsResult& r) {
  // Columns: --only's codes in its order, else catalog order; groups in natural order.
  const std::vector<std::string_view> indicators = IndicatorColumns(r);
  std::map<std::vector<std::string>, std::map<std::string_view, std::optional<double>>> groups;
  std::vector<std::vector<std::string>> order;
  for (size_t i : IndicatorRowOrder(r)) {
    const IndicatorRow& row = r.rows[i];
    auto [it, fresh] = groups.try_emplace(row.keys);
    if (fresh) order.push_back(row.keys);
    it->second[row.indicator] = row.value;
  }
  auto cell = [](std::string_view code, const std::optional<double>& v) -> std::string {
    if (!v) return "-";
    const int idx = FindIndicator(code);
    const std::string_view unit = idx >= 0 ? Catalog()[idx].unit : "";
    if (unit == "rate") return fmt::format("{:.2f}%", *v * 100);
    if (unit == "count") return fmt::format("{:.0f}", *v);
    return fmt::format("{:.2f}", *v);
  };
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> header;
  for (GroupKey k : r.keys) header.emplace_back(GroupKeyName(k));
  for (auto code : indicators) header.emplace_back(code);
  lines.push_back(std::move(header));
  for (const auto& g : order) {
    std::vector<std::string> line = g;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i].empty()) {
        line[i] = "(none)";
      } else if (r.keys[i] == GroupKey::kRegion || r.keys[i] == GroupKey::kCity) {
        // Codes mean little to a reader: show the region's name beside its code.
        if (auto it = r.region_names.find(line[i]); it != r.region_names.end()) {
          line[i] += " " + it->second;
        }
      }
    }
    for (auto code : indicators) {
      auto it = groups[g].find(code);
      line.push_back(it == groups[g].end() ? "" : cell(code, it->second));
    }
    lines.push_back(std::move(line));
  }
  // Key columns left-aligned, values right-aligned; a missing value keeps its padding.
  return RenderTable(lines, {.left_columns = r.keys.size(), .trim_trailing = false});
}

std::string IndicatorsNotesText(const app::IndicatorsResult& r) {
  std::string out;
  for (const std::string& n : r.notes) out += "note: " + n + "\n";
  return out;
}

std::string IndicatorsTimingText(const app::IndicatorsResult& r) {
  std::string out;
  Appendf(&out,
          "timing: load %.3f s, compute (incl. streamed transactions and evaluations) %.3f s, %lld "
          "transactions\n",
          r.load_s, r.compute_s, static_cast<long long>(r.transactions));
  return out;
}

}  // namespace govqm::render
