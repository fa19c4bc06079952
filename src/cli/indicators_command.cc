// govqm indicators — the catalog of domain.md §3 per group and period, as long CSV, JSON, or
// a readable table (groups × indicators).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <map>

#include "cli/commands_internal.h"
#include "cli/output.h"
#include "core/engine/indicators.h"
#include "ingest/time_parse.h"
#include "store/dataset_loader.h"

namespace govqm::cli {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<int64_t> ParseBound(const Args& args, const std::string& name, const TimeZone& zone) {
  if (!args.Has(name)) return Status::Usage(fmt::format("--{} DATE is required", name));
  int64_t ms;
  if (!ParseIsoInstant(args.Get(name), zone, DateOnlyMeans::kStartOfDay, &ms)) {
    return Status::Usage(fmt::format("--{}: not a date or ISO 8601 time: '{}'", name, args.Get(name)));
  }
  return ms;
}

std::string Csv(std::string_view field) {
  std::string s;
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  s.push_back('"');
  for (char c : field) {
    if (c == '"') s.push_back('"');
    s.push_back(c);
  }
  s.push_back('"');
  return s;
}

std::string ValueText(const std::optional<double>& v) { return v ? NumberText(*v) : ""; }

// Readable rendering: one line per group, one column per indicator; rates as percentages.
void PrintTable(const std::vector<GroupKey>& keys, const std::vector<IndicatorRow>& rows,
                const std::map<std::string, std::string, std::less<>>& region_names) {
  std::vector<std::string_view> indicators;
  std::map<std::vector<std::string>, std::map<std::string_view, std::optional<double>>> groups;
  std::vector<std::vector<std::string>> order;
  for (const IndicatorRow& r : rows) {
    if (std::find(indicators.begin(), indicators.end(), r.indicator) == indicators.end()) {
      indicators.push_back(r.indicator);
    }
    auto [it, fresh] = groups.try_emplace(r.keys);
    if (fresh) order.push_back(r.keys);
    it->second[r.indicator] = r.value;
  }
  // Keep catalog order for columns.
  std::sort(indicators.begin(), indicators.end(), [](std::string_view a, std::string_view b) {
    return FindIndicator(a) < FindIndicator(b);
  });
  auto cell = [](std::string_view code, const std::optional<double>& v) -> std::string {
    if (!v) return "-";
    const int idx = FindIndicator(code);
    const std::string_view unit = idx >= 0 ? Catalog()[idx].unit : "";
    if (unit == "rate") return fmt::format("{:.2f}%", *v * 100);
    if (unit == "count") return fmt::format("{:.0f}", *v);
    return fmt::format("{:.2f}", *v);
  };
  std::vector<std::string> header;
  for (GroupKey k : keys) header.emplace_back(GroupKeyName(k));
  for (auto code : indicators) header.emplace_back(code);
  std::vector<std::vector<std::string>> lines;
  for (const auto& g : order) {
    std::vector<std::string> line = g;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i].empty()) {
        line[i] = "(none)";
      } else if (keys[i] == GroupKey::kRegion || keys[i] == GroupKey::kCity) {
        // Codes mean little to a reader: show the region's name beside its code.
        if (auto it = region_names.find(line[i]); it != region_names.end()) {
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
  std::vector<size_t> width(header.size());
  auto display_width = [](const std::string& s) {
    size_t w = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      w += c >= 0xE0 ? 2 : 1;  // CJK characters take two columns
    }
    return w;
  };
  for (size_t i = 0; i < header.size(); ++i) width[i] = display_width(header[i]);
  for (const auto& l : lines) {
    for (size_t i = 0; i < l.size(); ++i) width[i] = std::max(width[i], display_width(l[i]));
  }
  auto print = [&](const std::vector<std::string>& l) {
    std::string s;
    for (size_t i = 0; i < l.size(); ++i) {
      const size_t pad = width[i] - display_width(l[i]);
      if (i < keys.size()) {
        s += l[i] + std::string(pad, ' ');
      } else {
        s += std::string(pad, ' ') + l[i];
      }
      s += i + 1 < l.size() ? "  " : "";
    }
    std::printf("%s\n", s.c_str());
  };
  print(header);
  for (const auto& l : lines) print(l);
}

}  // namespace

Status RunIndicators(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2, {{"db", "tz", "from", "to", "by", "only", "format"}, {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("indicators takes no positional arguments");
  const std::string format = args->Get("format", "csv");
  if (format != "csv" && format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be csv, json or table, not '{}'", format));
  }
  auto store = OpenStore(*args);
  if (!store.ok()) return store.status();
  // One snapshot for the calendar and every kind the engine reads.
  auto snapshot = (*store)->Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto zone = ResolveZone(*args, (*store)->zone());
  if (!zone.ok()) return zone.status();

  EngineOptions options;
  auto from = ParseBound(*args, "from", **zone);
  if (!from.ok()) return from.status();
  auto to = ParseBound(*args, "to", **zone);
  if (!to.ok()) return to.status();
  options.from_ms = *from;
  options.to_ms = *to;
  for (const std::string& k : SplitList(args->Get("by"))) {
    auto key = ParseGroupKey(k);
    if (!key) {
      return Status::Usage(fmt::format(
          "unknown key '{}' in --by (region, city, dept, item, window, channel, mode, age_band, "
          "macro_region, day, month)",
          k));
    }
    options.keys.push_back(*key);
  }
  options.only = SplitList(args->Get("only"));
  options.zone = zone->get();
  WorkingCalendar calendar;
  auto cal_text = (*store)->GetSetting("calendar");
  if (!cal_text.ok()) return cal_text.status();
  if (cal_text->has_value()) {
    auto parsed = WorkingCalendar::Parse(**cal_text, "stored calendar");
    if (!parsed.ok()) return parsed.status();
    calendar = std::move(parsed.value());
  }
  options.calendar = &calendar;

  // GOVQM_TIMING=1 prints where the time goes (stderr), for benchmarks.
  const bool timing = std::getenv("GOVQM_TIMING") != nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  DatasetStreams streams;  // transactions and evaluations are scanned segment by segment
  const DatasetNeeds needs{options.keys, options.only};
  auto data = LoadDataset(**store, 2, std::getenv("GOVQM_NO_STREAM") ? nullptr : &streams, &needs);
  if (!data.ok()) return data.status();
  const auto t1 = std::chrono::steady_clock::now();
  auto rows = ComputeIndicators(*data, options);
  if (!rows.ok()) return rows.status();
  const auto t2 = std::chrono::steady_clock::now();
  if (timing) {
    std::fprintf(stderr, "timing: load %.3f s, compute (incl. streamed transactions and evaluations) %.3f s, %lld transactions\n",
                 std::chrono::duration<double>(t1 - t0).count(),
                 std::chrono::duration<double>(t2 - t1).count(),
                 static_cast<long long>(*(*store)->CountRows(Kind::kTransactions)));
  }

  if (format == "table") {
    std::map<std::string, std::string, std::less<>> names;
    for (size_t r = 0; r < data->regions.rows(); ++r) {
      names.emplace(data->regions.col(regions_col::kCode).CodeAt(r),
                    data->regions.col(regions_col::kName).TextAt(r));
    }
    PrintTable(options.keys, *rows, names);
    return Status::Ok();
  }
  std::string out;
  out.reserve(rows->size() * 32);
  if (format == "csv") {
    for (GroupKey k : options.keys) out += fmt::format("{},", GroupKeyName(k));
    out += "indicator,value\n";
    for (const IndicatorRow& r : *rows) {
      for (const std::string& k : r.keys) out += Csv(k) + ",";
      out += fmt::format("{},{}\n", r.indicator, ValueText(r.value));
    }
  } else {
    out += "[";
    bool first = true;
    for (const IndicatorRow& r : *rows) {
      out += first ? "\n{" : ",\n{";
      first = false;
      for (size_t i = 0; i < r.keys.size(); ++i) {
        out += fmt::format("{}:{},", JsonString(GroupKeyName(options.keys[i])),
                           r.keys[i].empty() ? "null" : JsonString(r.keys[i]));
      }
      out += fmt::format("\"indicator\":{},\"value\":{}}}", JsonString(r.indicator), JsonNumber(r.value));
    }
    out += "\n]\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace govqm::cli
