// Internal to the engine: turning a row into a dense group key. Each group key maps a row to a
// small integer (a label id); the ids of the requested keys are composed in mixed radix into
// one 128-bit number, and accumulators live in a flat array (small key spaces) or a hash map.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/engine/catalog.h"
#include "core/table.h"
#include "core/thresholds.h"
#include "core/time_zone.h"

namespace govqm::engine {

__extension__ typedef unsigned __int128 Key128;  // composite group key
__extension__ typedef __int128 Int128;

struct Key128Hash {
  size_t operator()(Key128 k) const {
    const uint64_t lo = static_cast<uint64_t>(k), hi = static_cast<uint64_t>(k >> 64);
    uint64_t h = lo * 0x9E3779B97F4A7C15ull ^ (hi + 0x632BE59BD9B4E019ull + (lo << 6));
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// Labels of one key, shared by every kind so equal labels get equal ids. Id 0 is null ("").
class LabelSpace {
 public:
  LabelSpace() { Intern(""); }
  uint32_t Intern(std::string_view s);
  const std::string& operator[](uint32_t id) const { return labels_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(labels_.size()); }

 private:
  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t> index_;
};

// The region hierarchy from regions.parent_code (never digit prefixes).
class RegionTree {
 public:
  explicit RegionTree(const Table& regions);
  // The ancestor one level below the root; the region itself when it is a root, one level
  // below, or unknown. A parent code missing from `regions` counts as the root.
  std::string_view City(std::string_view code) const;
  // The region's macro_region or its nearest ancestor's; "" when none.
  std::string_view Macro(std::string_view code) const;

 private:
  const Table& regions_;
  std::unordered_map<std::string_view, size_t> row_;
};

// The period cut into the finest requested time buckets (day or month, local midnights),
// clipped to [from, to); a single bucket when no time key is requested.
struct Buckets {
  std::vector<int64_t> starts;  // starts[0] = from
  std::vector<int64_t> ends;    // ends.back() = to
  std::vector<std::string> day_label, month_label;
  int64_t from = 0, to = 0;

  size_t size() const { return starts.size(); }
  // Bucket of an instant in [from, to).
  uint32_t Find(int64_t t) const {
    return static_cast<uint32_t>(std::upper_bound(starts.begin(), starts.end(), t) -
                                 starts.begin() - 1);
  }
  // First bucket whose end is after t (t < to): the first point in time that sees t.
  uint32_t FirstSeeing(int64_t t) const { return t < from || starts.size() == 1 ? 0 : Find(t); }
};
Buckets MakeBuckets(int64_t from, int64_t to, bool by_day, bool by_month, const TimeZone& zone);

// Age bands of domain.md §3: 0 null, 1 <30, 2 30-44, 3 45-59, 4 60-69, 5 70+.
inline uint32_t AgeBand(int32_t age) {
  if (age == kNullInt) return 0;
  return thresholds::AgeBandOf(age);
}
std::string_view AgeBandLabel(uint32_t band);

// One non-time key bound to a table: a code column through a lookup table, or an age column.
struct KeyCol {
  GroupKey key;
  const uint32_t* codes = nullptr;  // dictionary codes of the column
  std::vector<uint32_t> lut;        // dictionary code -> label id
  const int32_t* ages = nullptr;    // set for age_band
  uint32_t card = 1;                // label ids are < card
};

// The non-time part of a row's composite key (Horner form, in key order).
inline Key128 BaseKey(const std::vector<KeyCol>& keys, size_t r) {
  Key128 k = 0;
  for (const KeyCol& c : keys) {
    uint32_t v;
    if (c.ages != nullptr) {
      v = AgeBand(c.ages[r]);
    } else {
      const uint32_t d = c.codes[r];
      v = d == kNullCode ? 0 : c.lut[d];
    }
    k = k * c.card + v;
  }
  return k;
}

// Accumulators by composite key; one per thread, merged at the end.
template <typename Acc>
class Groups {
 public:
  explicit Groups(Key128 space) {
    if (space <= kFlatLimit) slot_.assign(static_cast<size_t>(space), -1);
    flat_ = space <= kFlatLimit;
  }
  Acc& At(Key128 k) {
    int32_t* s;
    if (flat_) {
      s = &slot_[static_cast<size_t>(k)];
    } else {
      s = &map_.try_emplace(k, -1).first->second;
    }
    if (*s < 0) {
      *s = static_cast<int32_t>(accs_.size());
      keys_.push_back(k);
      accs_.emplace_back();
    }
    return accs_[*s];
  }
  void MergeFrom(Groups& other) {
    for (size_t i = 0; i < other.keys_.size(); ++i) At(other.keys_[i]).Merge(other.accs_[i]);
  }
  size_t size() const { return keys_.size(); }
  Key128 key(size_t i) const { return keys_[i]; }
  Acc& acc(size_t i) { return accs_[i]; }

 private:
  static constexpr Key128 kFlatLimit = 1u << 18;
  bool flat_ = true;
  std::vector<int32_t> slot_;
  std::unordered_map<Key128, int32_t, Key128Hash> map_;
  std::vector<Key128> keys_;
  std::vector<Acc> accs_;
};

}  // namespace govqm::engine
