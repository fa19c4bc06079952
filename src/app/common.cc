#include "app/common.h"

#include <fmt/format.h>

#include <cctype>

#include "ingest/time_parse.h"
#include "platform/tz.h"

namespace govqm::app {

std::optional<int64_t> PlainDateDays(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  const int64_t y = std::stoll(s.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const int64_t days = DaysFromCivil(y, m, d);
  const CivilDate back = CivilFromDays(days);
  if (back.month != m || back.day != d) return std::nullopt;
  return days;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db, StoreOptions options) {
  return Store::Open(db, std::move(options));
}

Result<std::unique_ptr<TimeZone>> ResolveZone(const std::string& name,
                                              const std::string& fallback) {
  GOVQM_ASSIGN_OR_RETURN(auto zone, TzZone::Make(name.empty() ? fallback : name));
  return std::unique_ptr<TimeZone>(std::move(zone));
}

Result<int64_t> ParseBound(const std::string& option, const std::string& text,
                           const TimeZone& zone) {
  if (text.empty()) return Status::Usage(fmt::format("--{} DATE is required", option));
  int64_t ms;
  if (!ParseIsoInstant(text, zone, DateOnlyMeans::kStartOfDay, &ms)) {
    return Status::Usage(fmt::format("--{}: not a date or ISO 8601 time: '{}'", option, text));
  }
  return ms;
}

Result<WorkingCalendar> StoredCalendar(const Store& store) {
  GOVQM_ASSIGN_OR_RETURN(auto text, store.GetSetting("calendar"));
  if (!text.has_value()) return WorkingCalendar();
  return WorkingCalendar::Parse(*text, "stored calendar");
}

Result<std::unique_ptr<PeriodEngine>> SetUpPeriodEngine(const Store& store,
                                                        const std::string& zone,
                                                        const std::string& from,
                                                        const std::string& to,
                                                        std::vector<GroupKey> keys) {
  auto e = std::make_unique<PeriodEngine>();
  GOVQM_ASSIGN_OR_RETURN(e->zone, ResolveZone(zone, store.zone()));
  GOVQM_ASSIGN_OR_RETURN(e->options.from_ms, ParseBound("from", from, *e->zone));
  GOVQM_ASSIGN_OR_RETURN(e->options.to_ms, ParseBound("to", to, *e->zone));
  GOVQM_ASSIGN_OR_RETURN(e->calendar, StoredCalendar(store));
  e->options.keys = std::move(keys);
  e->options.zone = e->zone.get();
  e->options.calendar = &e->calendar;
  return e;
}

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

Result<std::vector<GroupKey>> ParseGroupKeys(const std::string& list, const std::string& option) {
  std::vector<GroupKey> keys;
  for (const std::string& k : SplitList(list)) {
    auto key = ParseGroupKey(k);
    if (!key) {
      return Status::Usage(fmt::format(
          "unknown key '{}' in {} (region, city, dept, item, window, channel, mode, age_band, "
          "macro_region, day, month)",
          k, option));
    }
    keys.push_back(*key);
  }
  return keys;
}

}  // namespace govqm::app
