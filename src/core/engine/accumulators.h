// Internal to the engine and the backends that aggregate where the records live (the
// ClickHouse adapter, store/clickhouse/): the accumulators behind every family's base
// measures, and the partials they make up. Every field adds up over any split of the
// records (Merge), so threads, segments, shards and cities combine into one scan's result.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine/grouping.h"
#include "core/engine/partials.h"
#include "core/engine/quantile.h"
#include "core/table.h"

namespace govqm {
// The catalog entries `only` selects (all when empty) less those whose kind lacks one of
// `keys`; kUsage for an unknown code or a repeated key.
Result<std::vector<bool>> SelectIndicators(const std::vector<std::string>& only,
                                           const std::vector<GroupKey>& keys);
}  // namespace govqm

namespace govqm::engine {

template <typename T>
void Append(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to.swap(from);
  } else {
    to.insert(to.end(), from.begin(), from.end());
  }
}

struct IntakeAcc {
  int64_t n = 0, online = 0;
  int64_t visits_n = 0, visits_zero = 0, visits_le1 = 0, visits_sum = 0;
  int64_t materials_required = 0, materials_exempted = 0;
  int64_t cross_n = 0, cross_yes = 0;
  int64_t promised_n = 0, promised_zero = 0;
  int64_t wait_n = 0, wait_long = 0, wait_sum_micro = 0;
  int64_t reported = 0;
  QuantileValues sync_lag_ms;
  int64_t filled = 0;
  int64_t elderly = 0, elderly_online = 0;

  void Merge(IntakeAcc& o) {
    n += o.n, online += o.online;
    visits_n += o.visits_n, visits_zero += o.visits_zero, visits_le1 += o.visits_le1;
    visits_sum += o.visits_sum;
    materials_required += o.materials_required, materials_exempted += o.materials_exempted;
    cross_n += o.cross_n, cross_yes += o.cross_yes;
    promised_n += o.promised_n, promised_zero += o.promised_zero;
    wait_n += o.wait_n, wait_long += o.wait_long, wait_sum_micro += o.wait_sum_micro;
    reported += o.reported;
    sync_lag_ms.Merge(o.sync_lag_ms);
    filled += o.filled;
    elderly += o.elderly, elderly_online += o.elderly_online;
  }
};

struct CompletionAcc {
  int64_t n = 0, due_n = 0, on_time = 0;
  int64_t handling_n = 0, handling_sum_ms = 0;
  QuantileValues handling_ms;
  int64_t compression_n = 0;
  Int128 compression_sum_nano = 0;
  int64_t unrated = 0;

  void Merge(CompletionAcc& o) {
    n += o.n, due_n += o.due_n, on_time += o.on_time;
    handling_n += o.handling_n, handling_sum_ms += o.handling_sum_ms;
    handling_ms.Merge(o.handling_ms);
    compression_n += o.compression_n, compression_sum_nano += o.compression_sum_nano;
    unrated += o.unrated;
  }
};

// Point-in-time measures per group (non-time keys), one slot per time bucket: a record
// counts from the first bucket whose end sees it (difference array for the backlog).
struct PitAcc {
  std::vector<int64_t> backlog_diff;  // size buckets + 1
  std::vector<int64_t> newest;        // per bucket, kNullTime when none

  void Init(size_t buckets) {
    if (newest.empty()) {
      backlog_diff.assign(buckets + 1, 0);
      newest.assign(buckets, kNullTime);
    }
  }
  void Merge(PitAcc& o) {
    if (o.newest.empty()) return;
    Init(o.newest.size());
    for (size_t i = 0; i < backlog_diff.size(); ++i) backlog_diff[i] += o.backlog_diff[i];
    for (size_t i = 0; i < newest.size(); ++i) newest[i] = std::max(newest[i], o.newest[i]);
  }
};

// The values of a point-in-time group at one bucket end.
struct PitValue {
  int64_t backlog = 0;
  int64_t newest = kNullTime;
  int64_t end = 0;
};

struct EvalAcc {
  int64_t n = 0, positive = 0, negative = 0, top2 = 0, score_sum = 0;
  int64_t active = 0, active_positive = 0;
  int64_t elderly = 0, elderly_score_sum = 0;

  void Merge(EvalAcc& o) {
    n += o.n, positive += o.positive, negative += o.negative, top2 += o.top2;
    score_sum += o.score_sum, active += o.active, active_positive += o.active_positive;
    elderly += o.elderly, elderly_score_sum += o.elderly_score_sum;
  }
};

struct CaseAcc {
  int64_t cases = 0;  // excluding invalid
  int64_t verified = 0, rectified_or_closed = 0, rectified = 0, on_time = 0;
  int64_t revisited = 0, revisit_scored = 0, revisit_good = 0;

  void Merge(CaseAcc& o) {
    cases += o.cases, verified += o.verified, rectified_or_closed += o.rectified_or_closed;
    rectified += o.rectified, on_time += o.on_time, revisited += o.revisited;
    revisit_scored += o.revisit_scored, revisit_good += o.revisit_good;
  }
};

struct ProbeAcc {
  int64_t n = 0, ok = 0;
  std::vector<double> latency_ms;

  void Merge(ProbeAcc& o) {
    n += o.n, ok += o.ok;
    Append(latency_ms, o.latency_ms);
  }
};

struct GuideAcc {
  int64_t platform_items = 0, covered = 0, matching_items = 0;
  int64_t fields_compared = 0, fields_matching = 0;

  void Merge(GuideAcc& o) {
    platform_items += o.platform_items, covered += o.covered, matching_items += o.matching_items;
    fields_compared += o.fields_compared, fields_matching += o.fields_matching;
  }
};

// A group's labels, one per requested key in the order of the keys; "" = null. Point-in-time
// groups have "" at the time keys' places (their buckets are inside the accumulator).
using Labels = std::vector<std::string>;
struct LabelsHash {
  size_t operator()(const Labels& labels) const {
    size_t h = 0x9E3779B97F4A7C15ull;
    for (const std::string& s : labels) {
      h ^= std::hash<std::string>()(s) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    }
    return h;
  }
};
template <typename Acc>
using LabelledGroups = std::unordered_map<Labels, Acc, LabelsHash>;

struct PartialsData {
  PartialsHeader header;
  Buckets buckets;  // of header's period and time keys, in header's zone
  LabelledGroups<IntakeAcc> intake;
  LabelledGroups<CompletionAcc> completion;
  LabelledGroups<PitAcc> tx_pit;
  LabelledGroups<EvalAcc> eval;
  LabelledGroups<PitAcc> eval_pit;
  LabelledGroups<CaseAcc> cases;
  LabelledGroups<ProbeAcc> probes;
  LabelledGroups<GuideAcc> guides;
};

// Adds `acc` into the group of `labels` (moving it in when the group is new).
template <typename Acc>
void AddGroup(LabelledGroups<Acc>& groups, Labels labels, Acc& acc) {
  auto [it, fresh] = groups.try_emplace(std::move(labels));
  if (fresh) {
    it->second = std::move(acc);
  } else {
    it->second.Merge(acc);
  }
}

}  // namespace govqm::engine
