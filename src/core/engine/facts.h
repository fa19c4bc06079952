// Facts aggregated where they are stored. A backend that keeps transactions and evaluations
// in an engine of its own (ClickHouse: store/clickhouse/) computes their base measures by
// GROUP BY there; the engine asks it for them (Dataset::facts) instead of scanning rows, and
// merges them with the same accumulators (core/engine/accumulators.h). The backend groups by
// the stored columns; FactLabels turns stored values into the groups' labels exactly as the
// scan does (cities and macro regions from the region tree, modes from the channels, local
// days and months into the period's buckets), so both paths give the same partials.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/engine/catalog.h"
#include "core/engine/grouping.h"
#include "core/engine/indicators.h"
#include "core/status.h"
#include "core/table.h"

namespace govqm {

namespace engine {
struct PartialsData;
}

// The finest requested time key: the unit of the buckets.
enum class TimeUnit { kNone, kDay, kMonth };

struct FactQuery {
  int64_t from_ms = 0, to_ms = 0;
  std::vector<GroupKey> keys;  // as requested, time keys included
  TimeUnit unit = TimeUnit::kNone;
  std::string zone;  // IANA name: local days and months
  // Group by region and department too, for FactLabels::InScope (a scoped request).
  bool scoped = false;
  // What the selected indicators need.
  bool intake = false, completion = false, tx_point_in_time = false, backlog = false;
  bool sync_lags = false, handling_list = false, unrated = false;
  bool evaluations = false, eval_point_in_time = false;
  // The period's bad reviews by real-name evaluators (the closed loop's cases), as rows.
  bool bad_reviews = false;
};

// Stored values → labels, for one computation (see the top of this file).
class FactLabels {
 public:
  FactLabels(const Table& regions, const ChannelModes& modes, const engine::Buckets& buckets,
             std::vector<GroupKey> keys,
             std::function<bool(std::string_view region, std::string_view dept)> in_scope);

  // The stored column behind non-time key `k`: "region_code" (region, city, macro_region),
  // "dept_code", "item_code", "window_code", "channel" (channel, mode), or "" for age_band
  // (the backend groups by the band: AgeBandOf of the age column, 0 for none).
  static std::string_view StoredColumn(GroupKey k);

  // The labels of a group: `stored[i]` is the stored value of the i-th non-time key of `keys`
  // (in order; an age band as its number 0..5), `bucket` the bucket. "" stays null.
  std::vector<std::string> Of(const std::vector<std::string_view>& stored, uint32_t bucket,
                    bool with_time = true) const;
  // The bucket of a local date (YYYYMMDD for day buckets, YYYYMM for months); 0 for 0
  // (an instant before the period: the first bucket sees it). False when outside.
  bool Bucket(int64_t local_date, uint32_t* bucket) const;
  bool Online(std::string_view channel) const { return modes_.ModeOf(channel) == "online"; }
  bool Offline(std::string_view channel) const { return modes_.ModeOf(channel) == "offline"; }
  bool InScope(std::string_view region, std::string_view dept) const {
    return !in_scope_ || in_scope_(region, dept);
  }
  const engine::Buckets& buckets() const { return buckets_; }

 private:
  engine::RegionTree regions_;
  const ChannelModes& modes_;
  const engine::Buckets& buckets_;
  std::vector<GroupKey> keys_;
  std::function<bool(std::string_view, std::string_view)> in_scope_;
  std::unordered_map<int64_t, uint32_t> bucket_of_date_;
};

class FactAggregator {
 public:
  virtual ~FactAggregator() = default;
  // Adds the transaction and evaluation families' accumulators for `query` into *out (the
  // groups labelled through `labels`), and with query.bad_reviews puts the period's bad
  // reviews by real-name evaluators into *bad_reviews (columns id, the group keys' columns,
  // evaluated_at, score, real_name; others empty).
  virtual Status Aggregate(const FactQuery& query, const FactLabels& labels,
                           engine::PartialsData* out, Table* bad_reviews) const = 0;
};

}  // namespace govqm
