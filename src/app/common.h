// What the use cases share: the store and zone of a request, periods, group keys, the stored
// working calendar. Results are plain values; nothing here prints.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/engine/catalog.h"
#include "core/engine/indicators.h"
#include "core/status.h"
#include "core/time_zone.h"
#include "store/store.h"

namespace govqm::app {

inline constexpr const char* kDefaultDb = "govqm.db";
inline constexpr const char* kDefaultZone = "Asia/Shanghai";

// Opens an existing store (Store::Open's errors).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db, StoreOptions options = {});

// The zone named `name`, else (name empty) `fallback` (usually the store's). Invalid for an
// unknown zone.
Result<std::unique_ptr<TimeZone>> ResolveZone(const std::string& name, const std::string& fallback);

// A period bound given as text (a date = its local midnight, or an ISO 8601 time) in `zone`.
// `option` names it in errors ("from", "to"): Usage when empty or not a date.
Result<int64_t> ParseBound(const std::string& option, const std::string& text,
                           const TimeZone& zone);

// A local date written YYYY-MM-DD that exists (2024-02-30 does not), as its day number
// (days since 1970-01-01); nullopt otherwise. Periods of whole days (diagnosis's previous
// periods, the bulletin) step by these.
std::optional<int64_t> PlainDateDays(const std::string& text);

// The working-day calendar loaded into the store; Monday–Friday when none was loaded.
Result<WorkingCalendar> StoredCalendar(const Store& store);

// What every use case that runs the engine over a stored period sets alike: the zone (the
// request's, else the store's), the period's bounds in it, the keys, and the stored calendar.
// `options` points into the struct: keep it whole (it is handed out behind a pointer).
struct PeriodEngine {
  std::unique_ptr<TimeZone> zone;
  WorkingCalendar calendar;
  EngineOptions options;
};
Result<std::unique_ptr<PeriodEngine>> SetUpPeriodEngine(const Store& store,
                                                        const std::string& zone,
                                                        const std::string& from,
                                                        const std::string& to,
                                                        std::vector<GroupKey> keys);

// "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> SplitList(const std::string& s);

// Group keys of a comma-separated list ("region,month"); Usage naming the first unknown one.
// `option` names the list in the error ("--by", "--within").
Result<std::vector<GroupKey>> ParseGroupKeys(const std::string& list,
                                             const std::string& option = "--by");

}  // namespace govqm::app
