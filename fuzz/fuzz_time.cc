// Time parsing: ISO 8601 and strftime-style formats. The input is "FORMAT\0VALUE" (or just a
// value for the ISO reader). A reading that succeeds must name a year the text holds
// (0-9999) and an instant within a day and a half of that year's span; a format the checker
// accepts must not make the reader misbehave.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/schema.h"
#include "core/time_zone.h"
#include "fuzz_check.h"
#include "ingest/time_parse.h"
#include "platform/tz.h"

namespace {

const govqm::TimeZone& NewYork() {
  static const std::unique_ptr<govqm::TzZone> zone = [] {
    auto z = govqm::TzZone::Make("America/New_York");
    FUZZ_CHECK(z.ok());
    return std::move(z.value());
  }();
  return *zone;
}

void CheckInstant(int64_t ms, int year) {
  FUZZ_CHECK(year >= 0 && year <= 9999);
  constexpr int64_t kDay = 86400000;
  const int64_t lo = govqm::DaysFromCivil(year, 1, 1) * kDay - 2 * kDay;
  const int64_t hi = govqm::DaysFromCivil(year + 1, 1, 1) * kDay + 2 * kDay;
  FUZZ_CHECK(ms >= lo && ms <= hi);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const govqm::FixedOffsetZone shanghai(8 * 3600 * 1000);
  for (const govqm::TimeZone* zone : {static_cast<const govqm::TimeZone*>(&shanghai), &NewYork()}) {
    for (auto means : {govqm::DateOnlyMeans::kStartOfDay, govqm::DateOnlyMeans::kEndOfDay}) {
      int64_t ms = 0;
      int year = -1;
      if (govqm::ParseIsoInstant(input, *zone, means, &ms, &year)) CheckInstant(ms, year);
      const size_t nul = input.find('\0');
      if (nul == std::string::npos) continue;
      const std::string_view format = std::string_view(input).substr(0, nul);
      const std::string_view value = std::string_view(input).substr(nul + 1);
      std::string why;
      const bool usable = govqm::CheckTimeFormat(format, &why);
      FUZZ_CHECK(usable || !why.empty());
      year = -1;
      if (govqm::ParseFormattedInstant(value, format, *zone, means, &ms, &year)) {
        CheckInstant(ms, year);
      }
    }
  }
  return 0;
}
