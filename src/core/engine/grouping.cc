#include "core/engine/grouping.h"

#include <fmt/format.h>

namespace govqm::engine {

uint32_t LabelSpace::Intern(std::string_view s) {
  auto it = index_.find(std::string(s));
  if (it != index_.end()) return it->second;
  const auto id = static_cast<uint32_t>(labels_.size());
  labels_.emplace_back(s);
  index_.emplace(labels_.back(), id);
  return id;
}

RegionTree::RegionTree(const Table& regions) : regions_(regions) {
  const Column& code = regions.col(regions_col::kCode);
  for (size_t r = 0; r < regions.rows(); ++r) {
    if (code.codes[r] != kNullCode) row_[code.CodeAt(r)] = r;
  }
}

std::string_view RegionTree::City(std::string_view code) const {
  // Walk up to the root; the city is the second element from the top of the chain.
  std::string_view below = code, top = code;
  bool moved = false;
  for (int depth = 0; depth < 64; ++depth) {
    auto it = row_.find(top);
    if (it == row_.end()) break;
    const std::string_view parent = regions_.col(regions_col::kParentCode).CodeAt(it->second);
    if (parent.empty() || parent == top) break;
    below = top;
    top = parent;
    moved = true;
  }
  return moved ? below : code;
}

std::string_view RegionTree::Macro(std::string_view code) const {
  const auto& vocab = regions_.def().columns[regions_col::kMacroRegion].vocab;
  std::string_view cur = code;
  for (int depth = 0; depth < 64; ++depth) {
    auto it = row_.find(cur);
    if (it == row_.end()) return {};
    const int8_t m = regions_.col(regions_col::kMacroRegion).bytes[it->second];
    if (m != kNullBool) return vocab[m];
    cur = regions_.col(regions_col::kParentCode).CodeAt(it->second);
    if (cur.empty()) return {};
  }
  return {};
}

namespace {

std::string DayLabel(int64_t local_day) {
  const CivilDate d = CivilFromDays(local_day);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

std::string MonthLabel(int64_t local_day) {
  const CivilDate d = CivilFromDays(local_day);
  return fmt::format("{:04}-{:02}", d.year, d.month);
}

}  // namespace

Buckets MakeBuckets(int64_t from, int64_t to, bool by_day, bool by_month, const TimeZone& zone) {
  Buckets b;
  b.from = from;
  b.to = to;
  b.starts.push_back(from);
  if (by_day || by_month) {
    // Walk local days (or month starts) from the local date of `from`; each local midnight
    // inside the period starts a bucket. Computed once, rows are then bucketed by search.
    int64_t day = FloorDiv(zone.UtcToLocal(from), kMsPerDay);
    for (;;) {
      if (by_day) {
        ++day;
      } else {
        const CivilDate d = CivilFromDays(day);
        day = d.month == 12 ? DaysFromCivil(d.year + 1, 1, 1) : DaysFromCivil(d.year, d.month + 1, 1);
      }
      const int64_t start = zone.LocalToUtc(day * kMsPerDay);
      if (start >= to) break;
      if (start > b.starts.back()) b.starts.push_back(start);
    }
  }
  for (size_t i = 0; i < b.starts.size(); ++i) {
    b.ends.push_back(i + 1 < b.starts.size() ? b.starts[i + 1] : to);
    const int64_t local_day = FloorDiv(zone.UtcToLocal(b.starts[i]), kMsPerDay);
    b.day_label.push_back(by_day ? DayLabel(local_day) : std::string());
    b.month_label.push_back(by_month ? MonthLabel(local_day) : std::string());
  }
  return b;
}

std::string_view AgeBandLabel(uint32_t band) {
  return thresholds::kAgeBandLabels[band];
}

}  // namespace govqm::engine
