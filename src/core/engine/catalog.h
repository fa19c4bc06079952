// The indicator catalog of domain.md §3: one entry per code, in the order of the spec.
// The formulas live beside the base measures in indicators.cc, keyed by these codes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace govqm {

enum class GroupKey {
  kRegion, kCity, kDept, kItem, kWindow, kChannel, kMode, kAgeBand, kMacroRegion, kDay, kMonth
};
inline constexpr int kGroupKeyCount = 11;

std::optional<GroupKey> ParseGroupKey(std::string_view name);
std::string_view GroupKeyName(GroupKey key);

constexpr uint32_t KeyBit(GroupKey k) { return 1u << static_cast<int>(k); }

// How an indicator's value is made from its base measures (see BaseMeasures in indicators.h).
enum class Measure { kCount, kRatio, kPercentile, kGap, kPointInTime };
// "count", "ratio", "percentile", "gap", "point_in_time" (the JSON outputs' names).
std::string_view MeasureName(Measure m);

struct IndicatorInfo {
  std::string_view code;
  // Anchor family: intake, completion, backlog, evaluations, rectification, platform,
  // same_source, data_quality, divide.
  std::string_view family;
  std::string_view unit;  // count, rate, minutes, hours, days, score, ms
  std::string_view definition;
  uint32_t key_mask = 0;  // KeyBit() of every group key the indicator supports
  Measure measure = Measure::kRatio;
  // What the base measures count, for readers (explain): the numerator's and the
  // denominator's labels ("" when the measure has no denominator).
  std::string_view numerator, denominator;
  bool Supports(GroupKey k) const { return (key_mask & KeyBit(k)) != 0; }
};

// All indicators, in catalog order (the output order within a group).
std::span<const IndicatorInfo> Catalog();
// Index into Catalog(), or -1.
int FindIndicator(std::string_view code);

}  // namespace govqm
