// The indicator engine: one columnar scan per kind into mergeable base measures per group,
// then the catalog's formulas over them (domain.md §3, architecture.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/engine/catalog.h"
#include "core/engine/dataset.h"
#include "core/engine/same_source.h"
#include "core/status.h"
#include "core/time_zone.h"

namespace govqm {

// Channel → mode (domain.md §2.2); configuration. Unknown channels are "other".
struct ChannelModes {
  std::vector<std::pair<std::string, std::string>> map = {
      {"web", "online"}, {"app", "online"},    {"miniprogram", "online"},
      {"hall", "offline"}, {"kiosk", "offline"}, {"hotline", "phone"}};
  // The mode of a channel: "" for a null channel, "other" when not mapped.
  std::string_view ModeOf(std::string_view channel) const;
  // Adds or replaces a mapping.
  void Set(std::string channel, std::string mode);
};

struct EngineOptions {
  int64_t from_ms = 0;  // [from, to) instants
  int64_t to_ms = 0;
  std::vector<GroupKey> keys;        // any combination, may be empty (one group)
  std::vector<std::string> only;     // indicator codes; empty = all
  const TimeZone* zone = nullptr;    // day/month buckets, local dates; null = UTC
  const WorkingCalendar* calendar = nullptr;  // null = Monday–Friday
  int verify_days = 1;    // closed-loop deadlines (configuration)
  int rectify_days = 15;
  ChannelModes modes;
  int threads = 2;
  // Also return each row's base measures (IndicatorRow::base), e.g. for explain. Costs one
  // small struct per output row; the scans are the same.
  bool base_measures = false;
};

// The base measures behind one indicator value of one group, as the catalog's formula reads
// them (Catalog()[i].measure says which fields mean what):
//   kCount        value = numerator
//   kRatio        value = numerator / denominator (rates and means; sums in their units)
//   kPercentile   value = a percentile of `denominator` values (numerator unused)
//   kGap          value = numerator / denominator − reference_numerator / reference_denominator
//   kPointInTime  value = numerator (at the end of the period or bucket)
struct BaseMeasures {
  double numerator = 0, denominator = 0;
  double reference_numerator = 0, reference_denominator = 0;
  double sample = 0;  // records of the group behind the value (0 for point-in-time measures)
};

struct IndicatorRow {
  std::vector<std::string> keys;  // one per EngineOptions::keys; "" = null key
  std::string_view indicator;     // points into Catalog()
  std::optional<double> value;    // nullopt = null (empty denominator)
  std::optional<BaseMeasures> base;  // with EngineOptions::base_measures
};

// Computes the requested indicators per group over [from, to). Rows are sorted by the key
// labels (as strings, null first), then by catalog order. Status::Usage for an unknown code
// in `only`, a period with from >= to, or a repeated key.
Result<std::vector<IndicatorRow>> ComputeIndicators(const Dataset& data,
                                                    const EngineOptions& options);

}  // namespace govqm
