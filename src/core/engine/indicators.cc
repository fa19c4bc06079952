// The engine. One pass per kind: each row is mapped to a composite group key and folded into
// decomposable base measures (counts, exact integer sums, percentile values: QuantileValues);
// threads scan row ranges into their own accumulators, merged with Merge(). All sums are
// integers (fixed point where the input is real), so any thread count gives the same bits.
// The catalog's formulas then read the merged base measures.
#include "core/engine/indicators.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

#include "core/engine/accumulators.h"
#include "core/engine/facts.h"
#include "core/engine/grouping.h"
#include "core/engine/quantile.h"
#include "core/thresholds.h"

namespace govqm {

std::string_view ChannelModes::ModeOf(std::string_view channel) const {
  if (channel.empty()) return {};
  for (const auto& [c, m] : map) {
    if (c == channel) return m;
  }
  return "other";
}

void ChannelModes::Set(std::string channel, std::string mode) {
  for (auto& [c, m] : map) {
    if (c == channel) {
      m = std::move(mode);
      return;
    }
  }
  map.emplace_back(std::move(channel), std::move(mode));
}

namespace engine {
namespace {

using Opt = std::optional<double>;

Opt Ratio(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// Fixed-point scales: real inputs are summed as integers so merges are exact.
constexpr double kMicro = 1e6;
constexpr double kNano = 1e9;

// Percentile by linear interpolation between closest ranks at p·(n−1); reorders `v`.
template <typename T>
Opt Percentile(std::vector<T>& v, double p, double scale) {
  if (v.empty()) return std::nullopt;
  const size_t n = v.size();
  const double h = p * static_cast<double>(n - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  std::nth_element(v.begin(), v.begin() + lo, v.end());
  double x = static_cast<double>(v[lo]);
  if (lo + 1 < n) {
    const double y = static_cast<double>(*std::min_element(v.begin() + lo + 1, v.end()));
    x += (h - static_cast<double>(lo)) * (y - x);
  }
  return x / scale;
}

Opt Scaled(Opt v, double scale) {
  if (!v) return v;
  return *v / scale;
}

// ---- Formulas: each catalog code once, over its family's base measures --------------------

// Fills the base measures (see BaseMeasures): counts, sums and sizes as the value reads them.
inline void Base(BaseMeasures* b, double num, double den, double sample, double ref_num = 0,
                 double ref_den = 0) {
  *b = BaseMeasures{num, den, ref_num, ref_den, sample};
}

// One catalog code: its value, and (for explain and EngineOptions::base_measures) the base
// measures the value is made of — written side by side so they cannot drift apart (a test
// recomputes every value from its base measures).
template <typename Acc>
struct Formula {
  std::string_view code;
  Opt (*fn)(Acc&);
  void (*base)(const Acc&, BaseMeasures*);
};

constexpr Formula<IntakeAcc> kIntakeFormulas[] = {
    {"volume", [](IntakeAcc& a) -> Opt { return static_cast<double>(a.n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.n, 0, a.n); }},
    {"online_rate", [](IntakeAcc& a) { return Ratio(a.online, a.n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.online, a.n, a.n); }},
    {"zero_visit_rate", [](IntakeAcc& a) { return Ratio(a.visits_zero, a.visits_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.visits_zero, a.visits_n, a.n); }},
    {"one_visit_rate", [](IntakeAcc& a) { return Ratio(a.visits_le1, a.visits_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.visits_le1, a.visits_n, a.n); }},
    {"avg_visits", [](IntakeAcc& a) { return Ratio(a.visits_sum, a.visits_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.visits_sum, a.visits_n, a.n); }},
    {"material_exemption_rate",
     [](IntakeAcc& a) { return Ratio(a.materials_exempted, a.materials_required); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.materials_exempted, a.materials_required, a.n); }},
    {"cross_region_rate", [](IntakeAcc& a) { return Ratio(a.cross_yes, a.cross_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.cross_yes, a.cross_n, a.n); }},
    {"instant_rate", [](IntakeAcc& a) { return Ratio(a.promised_zero, a.promised_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.promised_zero, a.promised_n, a.n); }},
    {"avg_wait_minutes",
     [](IntakeAcc& a) -> Opt {
       if (a.wait_n == 0) return std::nullopt;
       return static_cast<double>(a.wait_sum_micro) / kMicro / static_cast<double>(a.wait_n);
     },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, static_cast<double>(a.wait_sum_micro) / kMicro, a.wait_n, a.n); }},
    {"long_wait_rate", [](IntakeAcc& a) { return Ratio(a.wait_long, a.wait_n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.wait_long, a.wait_n, a.n); }},
    {"sync_rate", [](IntakeAcc& a) { return Ratio(a.reported, a.n); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.reported, a.n, a.n); }},
    {"sync_lag_p95_hours",
     [](IntakeAcc& a) { return Scaled(a.sync_lag_ms.Percentile(0.95), double(kMsPerHour)); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, 0, a.sync_lag_ms.count(), a.sync_lag_ms.count()); }},
    {"completeness_rate", [](IntakeAcc& a) { return Ratio(a.filled, a.n * 7); },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.filled, a.n * 7, a.n); }},
    {"elderly_online_gap",
     [](IntakeAcc& a) -> Opt {
       if (a.elderly == 0) return std::nullopt;
       return *Ratio(a.elderly_online, a.elderly) - *Ratio(a.online, a.n);
     },
     [](const IntakeAcc& a, BaseMeasures* b) { Base(b, a.elderly_online, a.elderly, a.n, a.online, a.n); }},
};

constexpr Formula<CompletionAcc> kCompletionFormulas[] = {
    {"completed", [](CompletionAcc& a) -> Opt { return static_cast<double>(a.n); },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, a.n, 0, a.n); }},
    {"on_time_rate", [](CompletionAcc& a) { return Ratio(a.on_time, a.due_n); },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, a.on_time, a.due_n, a.n); }},
    {"avg_handling_days",
     [](CompletionAcc& a) -> Opt {
       if (a.handling_n == 0) return std::nullopt;
       return static_cast<double>(a.handling_sum_ms) / double(kMsPerDay) /
              static_cast<double>(a.handling_n);
     },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, static_cast<double>(a.handling_sum_ms) / double(kMsPerDay), a.handling_n, a.n); }},
    {"p90_handling_days",
     [](CompletionAcc& a) { return Scaled(a.handling_ms.Percentile(0.90), double(kMsPerDay)); },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, 0, a.handling_ms.count(), a.n); }},
    {"time_compression_rate",
     [](CompletionAcc& a) -> Opt {
       if (a.compression_n == 0) return std::nullopt;
       return static_cast<double>(a.compression_sum_nano) / kNano /
              static_cast<double>(a.compression_n);
     },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, static_cast<double>(a.compression_sum_nano) / kNano, a.compression_n, a.n); }},
    {"unrated_rate", [](CompletionAcc& a) { return Ratio(a.unrated, a.n); },
     [](const CompletionAcc& a, BaseMeasures* b) { Base(b, a.unrated, a.n, a.n); }},
};

constexpr Formula<PitValue> kTxPitFormulas[] = {
    {"open_overdue", [](PitValue& v) -> Opt { return static_cast<double>(v.backlog); },
     [](const PitValue& v, BaseMeasures* b) { Base(b, v.backlog, 0, 0); }},
    {"freshness_hours",
     [](PitValue& v) -> Opt {
       if (v.newest == kNullTime) return std::nullopt;
       return static_cast<double>(v.end - v.newest) / double(kMsPerHour);
     },
     [](const PitValue& v, BaseMeasures* b) { Base(b, v.newest == kNullTime ? 0 : static_cast<double>(v.end - v.newest) / double(kMsPerHour), 0, 0); }},
};

constexpr Formula<PitValue> kEvalPitFormulas[] = {
    {"eval_freshness_hours",
     [](PitValue& v) -> Opt {
       if (v.newest == kNullTime) return std::nullopt;
       return static_cast<double>(v.end - v.newest) / double(kMsPerHour);
     },
     [](const PitValue& v, BaseMeasures* b) { Base(b, v.newest == kNullTime ? 0 : static_cast<double>(v.end - v.newest) / double(kMsPerHour), 0, 0); }},
};

constexpr Formula<EvalAcc> kEvalFormulas[] = {
    {"evaluations", [](EvalAcc& a) -> Opt { return static_cast<double>(a.n); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.n, 0, a.n); }},
    {"positive_rate", [](EvalAcc& a) { return Ratio(a.positive, a.n); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.positive, a.n, a.n); }},
    {"negative_rate", [](EvalAcc& a) { return Ratio(a.negative, a.n); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.negative, a.n, a.n); }},
    {"top2_rate", [](EvalAcc& a) { return Ratio(a.top2, a.n); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.top2, a.n, a.n); }},
    {"mean_score", [](EvalAcc& a) { return Ratio(a.score_sum, a.n); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.score_sum, a.n, a.n); }},
    {"active_positive_rate", [](EvalAcc& a) { return Ratio(a.active_positive, a.active); },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.active_positive, a.active, a.n); }},
    {"elderly_satisfaction_gap",
     [](EvalAcc& a) -> Opt {
       if (a.elderly == 0) return std::nullopt;
       return *Ratio(a.elderly_score_sum, a.elderly) - *Ratio(a.score_sum, a.n);
     },
     [](const EvalAcc& a, BaseMeasures* b) { Base(b, a.elderly_score_sum, a.elderly, a.n, a.score_sum, a.n); }},
};

constexpr Formula<CaseAcc> kCaseFormulas[] = {
    {"reply_rate", [](CaseAcc& a) { return Ratio(a.verified, a.cases); },
     [](const CaseAcc& a, BaseMeasures* b) { Base(b, a.verified, a.cases, a.cases); }},
    {"rectification_rate", [](CaseAcc& a) { return Ratio(a.rectified_or_closed, a.cases); },
     [](const CaseAcc& a, BaseMeasures* b) { Base(b, a.rectified_or_closed, a.cases, a.cases); }},
    {"rectification_on_time_rate", [](CaseAcc& a) { return Ratio(a.on_time, a.rectified); },
     [](const CaseAcc& a, BaseMeasures* b) { Base(b, a.on_time, a.rectified, a.cases); }},
    {"revisit_rate", [](CaseAcc& a) { return Ratio(a.revisited, a.rectified); },
     [](const CaseAcc& a, BaseMeasures* b) { Base(b, a.revisited, a.rectified, a.cases); }},
    {"revisit_satisfaction", [](CaseAcc& a) { return Ratio(a.revisit_good, a.revisit_scored); },
     [](const CaseAcc& a, BaseMeasures* b) { Base(b, a.revisit_good, a.revisit_scored, a.cases); }},
};

constexpr Formula<ProbeAcc> kProbeFormulas[] = {
    {"availability", [](ProbeAcc& a) { return Ratio(a.ok, a.n); },
     [](const ProbeAcc& a, BaseMeasures* b) { Base(b, a.ok, a.n, a.n); }},
    {"latency_p95_ms", [](ProbeAcc& a) { return Percentile(a.latency_ms, 0.95, 1.0); },
     [](const ProbeAcc& a, BaseMeasures* b) { Base(b, 0, a.latency_ms.size(), a.n); }},
};

constexpr Formula<GuideAcc> kGuideFormulas[] = {
    {"same_source_rate",
     [](GuideAcc& a) { return Ratio(a.matching_items, a.covered); },
     [](const GuideAcc& a, BaseMeasures* b) { Base(b, a.matching_items, a.covered, a.platform_items); }},
    {"field_match_rate", [](GuideAcc& a) { return Ratio(a.fields_matching, a.fields_compared); },
     [](const GuideAcc& a, BaseMeasures* b) { Base(b, a.fields_matching, a.fields_compared, a.platform_items); }},
    {"catalog_coverage", [](GuideAcc& a) { return Ratio(a.covered, a.platform_items); },
     [](const GuideAcc& a, BaseMeasures* b) { Base(b, a.covered, a.platform_items, a.platform_items); }},
};

// A selected formula of one family, with its catalog index.
template <typename Acc>
struct Selected {
  int idx;
  Opt (*fn)(Acc&);
  void (*base)(const Acc&, BaseMeasures*);
};

// The selected formulas of one family.
template <typename Acc, size_t N>
std::vector<Selected<Acc>> Select(const Formula<Acc> (&table)[N], const std::vector<bool>& selected) {
  std::vector<Selected<Acc>> out;
  for (const Formula<Acc>& f : table) {
    const int idx = FindIndicator(f.code);
    if (idx >= 0 && selected[idx]) out.push_back({idx, f.fn, f.base});
  }
  return out;
}

// ---- Runs a range function over row ranges on `threads` threads ---------------------------

template <typename State, typename Make, typename Fn>
std::vector<State> ParallelScan(size_t rows, int threads, const Make& make, const Fn& fn) {
  const size_t t = rows < (1u << 16) ? 1 : static_cast<size_t>(std::max(1, threads));
  std::vector<State> states;
  states.reserve(t);
  for (size_t i = 0; i < t; ++i) states.push_back(make());
  if (t == 1) {
    fn(states[0], 0, rows);
    return states;
  }
  std::vector<std::thread> pool;
  for (size_t i = 0; i < t; ++i) {
    pool.emplace_back([&, i] { fn(states[i], rows * i / t, rows * (i + 1) / t); });
  }
  for (std::thread& th : pool) th.join();
  return states;
}

// Runs fn(thread, begin, end) over row ranges on up to `threads` threads (the same split as
// ParallelScan), for scans whose per-thread state outlives one table.
template <typename Fn>
void ParallelRanges(size_t rows, size_t threads, const Fn& fn) {
  const size_t t = rows < (1u << 16) ? 1 : threads;
  if (t == 1) {
    fn(size_t{0}, size_t{0}, rows);
    return;
  }
  std::vector<std::thread> pool;
  for (size_t i = 0; i < t; ++i) {
    pool.emplace_back([&, i] { fn(i, rows * i / t, rows * (i + 1) / t); });
  }
  for (std::thread& th : pool) th.join();
}


// Home slot of a fingerprint in an open-addressing table of `cap` slots (multiply-shift).
inline size_t HomeSlot(const Fingerprint& f, size_t cap) {
  return static_cast<size_t>((static_cast<Key128>(f.g) * cap) >> 64);
}

// out[r] = 1 when transaction r, completed in [from, to), has its fingerprint in `table`
// (see Engine::InitRatedIndex), for r in [begin, end). In batches: the candidates' slots are
// prefetched first, then probed, so the cache misses overlap. Plain pointers and locals
// only: stores through uint8_t* alias everything, and members would be reloaded per row.
void LookUpRated(const uint64_t* table, size_t cap, const int8_t* status, const int64_t* done,
                 const Fingerprint* fps, int64_t from, int64_t to, size_t begin, size_t end,
                 uint8_t* out) {
  constexpr size_t kBatch = 64;
  uint32_t rows[kBatch];
  size_t homes[kBatch];
  uint64_t tags[kBatch];
  constexpr int8_t kCompleted = static_cast<int8_t>(TxStatus::kCompleted);
  for (size_t r = begin; r < end;) {
    size_t n = 0;
    for (; r < end && n < kBatch; ++r) {
      out[r] = 0;
      const int64_t c = done[r];
      if (status[r] != kCompleted || c == kNullTime || c < from || c >= to || fps[r].empty()) {
        continue;
      }
      const size_t home = HomeSlot(fps[r], cap);
      // A probe often runs on past its home slot into the next cache line (~1.5 slots on a
      // hit, ~2.5 on a miss at load 1/2): fetch that line too (a third off the lookups).
      __builtin_prefetch(table + home);
      __builtin_prefetch(table + std::min(home + 7, cap - 1));
      rows[n] = static_cast<uint32_t>(r);
      homes[n] = home;
      tags[n] = fps[r].h;
      ++n;
    }
    for (size_t i = 0; i < n; ++i) {
      uint8_t found = 0;
      for (size_t s = homes[i]; table[s] != 0; s = s + 1 == cap ? 0 : s + 1) {
        if (table[s] == tags[i]) {
          found = 1;
          break;
        }
      }
      out[rows[i]] = found;
    }
  }
}

// ---- The run: options resolved into key bindings and buckets ----------------------------

class Engine {
 public:
  Engine(const Dataset& data, const EngineOptions& options, const TimeZone& zone,
         const WorkingCalendar& calendar, std::vector<bool> selected, PartialsData* out)
      : out_(out),
        data_(data),
        opt_(options),
        zone_(zone),
        calendar_(calendar),
        selected_(std::move(selected)),
        regions_(data.regions) {
    for (GroupKey k : options.keys) {
      if (k == GroupKey::kDay) by_day_ = true;
      if (k == GroupKey::kMonth) by_month_ = true;
    }
    buckets_ = MakeBuckets(options.from_ms, options.to_ms, by_day_, by_month_, zone);
  }

  // Fills *out with every selected family's groups; status_ says whether it failed.
  void Run() {
    out_->buckets = buckets_;
    need_unrated_ = Any({"unrated_rate"});
    if (data_.facts != nullptr) {
      RunFacts();
      if (!status_.ok()) return;
      RunProbes();
      RunGuides();
      return;
    }
    RunEvaluations();  // first: it builds the index unrated_rate needs
    if (!status_.ok()) return;
    RunTransactions();
    if (!status_.ok()) return;
    RunProbes();
    RunGuides();
  }

 private:
  struct Cols {
    int region = -1, dept = -1, item = -1, window = -1, channel = -1, age = -1;
  };

  bool Any(std::initializer_list<std::string_view> codes) const {
    for (std::string_view c : codes) {
      const int i = FindIndicator(c);
      if (i >= 0 && selected_[i]) return true;
    }
    return false;
  }

  // The column of a kind (as `cols` describes it) that carries group key k, or -1.
  static int KeyColumn(GroupKey k, const Cols& cols) {
    switch (k) {
      case GroupKey::kRegion:
      case GroupKey::kCity:
      case GroupKey::kMacroRegion: return cols.region;
      case GroupKey::kDept: return cols.dept;
      case GroupKey::kItem: return cols.item;
      case GroupKey::kWindow: return cols.window;
      case GroupKey::kChannel:
      case GroupKey::kMode: return cols.channel;
      case GroupKey::kAgeBand: return cols.age;
      default: return -1;
    }
  }

  // Binds the non-time keys to a table's columns; false when the kind lacks a requested key.
  bool Bind(const Table& t, const Cols& cols, std::vector<KeyCol>* out) {
    out->clear();
    for (GroupKey k : opt_.keys) {
      if (k == GroupKey::kDay || k == GroupKey::kMonth) continue;
      KeyCol kc;
      kc.key = k;
      const int col = KeyColumn(k, cols);
      if (col < 0) return false;
      if (k == GroupKey::kAgeBand) {
        kc.ages = t.col(col).ints.data();
        kc.card = 6;
      } else {
        const Column& c = t.col(col);
        kc.codes = c.codes.data();
        LabelSpace& space = labels_[static_cast<int>(k)];
        kc.lut.resize(c.dict.size());
        for (uint32_t d = 0; d < c.dict.size(); ++d) {
          const std::string& s = c.dict[d];
          std::string_view label = s;
          if (k == GroupKey::kCity) label = regions_.City(s);
          if (k == GroupKey::kMacroRegion) label = regions_.Macro(s);
          if (k == GroupKey::kMode) label = opt_.modes.ModeOf(s);
          kc.lut[d] = space.Intern(label);
        }
        kc.card = space.size();
      }
      out->push_back(std::move(kc));
    }
    return true;
  }

  // Interns, for every requested code key, the labels of all values a source's segments hold,
  // as Bind would, so that each segment binds with the same cardinalities.
  Status PreIntern(const TableSource& source, const Cols& cols) {
    for (GroupKey k : opt_.keys) {
      // Age bands and time buckets have fixed label sets.
      if (k == GroupKey::kAgeBand || k == GroupKey::kDay || k == GroupKey::kMonth) continue;
      const int col = KeyColumn(k, cols);
      if (col < 0) continue;
      auto dict = source.Dictionary(col);
      if (!dict.ok()) return dict.status();
      LabelSpace& space = labels_[static_cast<int>(k)];
      for (const std::string& s : *dict) {
        std::string_view label = s;
        if (k == GroupKey::kCity) label = regions_.City(s);
        if (k == GroupKey::kMacroRegion) label = regions_.Macro(s);
        if (k == GroupKey::kMode) label = opt_.modes.ModeOf(s);
        space.Intern(label);
      }
    }
    return Status::Ok();
  }

  static Key128 Space(const std::vector<KeyCol>& keys) {
    Key128 s = 1;
    for (const KeyCol& k : keys) s *= k.card;
    return s;
  }

  // Labels of a composite key (non-time part `base`, bucket `b`), in the order of opt_.keys;
  // without `with_time`, "" at the time keys (point-in-time groups).
  Labels LabelsOf(const std::vector<KeyCol>& keys, Key128 base, size_t b,
                  bool with_time = true) const {
    std::vector<uint32_t> ids(keys.size());
    for (size_t i = keys.size(); i-- > 0;) {
      ids[i] = static_cast<uint32_t>(base % keys[i].card);
      base /= keys[i].card;
    }
    std::vector<std::string> out;
    out.reserve(opt_.keys.size());
    size_t i = 0;
    for (GroupKey k : opt_.keys) {
      if (k == GroupKey::kDay) {
        out.push_back(with_time ? buckets_.day_label[b] : std::string());
      } else if (k == GroupKey::kMonth) {
        out.push_back(with_time ? buckets_.month_label[b] : std::string());
      } else if (k == GroupKey::kAgeBand) {
        out.emplace_back(AgeBandLabel(ids[i++]));
      } else {
        out.push_back(labels_[static_cast<int>(k)][ids[i++]]);
      }
    }
    return out;
  }

  // Row-anchored groups (composite = base * buckets + bucket) into the partials.
  template <typename Acc>
  void Collect(Groups<Acc>& groups, const std::vector<KeyCol>& keys, LabelledGroups<Acc>& into) {
    const size_t nb = buckets_.size();
    into.reserve(into.size() + groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      const Key128 k = groups.key(g);
      AddGroup(into, LabelsOf(keys, k / nb, static_cast<size_t>(k % nb)), groups.acc(g));
    }
  }

  // Point-in-time groups (non-time key; buckets inside the accumulator) into the partials.
  void CollectPit(Groups<PitAcc>& groups, const std::vector<KeyCol>& keys,
                  LabelledGroups<PitAcc>& into) {
    for (size_t g = 0; g < groups.size(); ++g) {
      AddGroup(into, LabelsOf(keys, groups.key(g), 0, false), groups.acc(g));
    }
  }

  // The set of transactions that have an evaluation, for unrated_rate: open addressing over
  // 8-byte slots. A slot holds a fingerprint's h (never 0; 0 = empty) at a position taken from
  // its g, so a match needs the 64-bit tag and the home position to agree: over 10M lookups
  // the chance of any false match is about 1e-12. Half the memory of storing both words, and
  // fresh memory is what costs most on our VMs. Built during the evaluations' pass, from the
  // fingerprints the store keeps; inserts from both threads go through compare-and-swap.
  void InitRatedIndex(size_t evaluations) {
    // Load factor 1/2 at any size (not the next power of two): the home slot is the high word
    // of g × capacity, so no mask is needed. (2/3 saved 19 MB at 10M but its longer probes
    // cost more time than zeroing those pages.)
    rated_.assign(std::max<size_t>(16, evaluations * 2), 0);
  }
  void InsertRated(const Fingerprint* fp, size_t begin, size_t end) {
    // In batches with prefetches: each insert is a cache miss, and overlapping them is what
    // makes building fast.
    uint64_t* const table = rated_.data();
    const size_t cap = rated_.size();
    constexpr size_t kBatch = 64;
    size_t homes[kBatch];
    for (size_t r = begin; r < end; r += kBatch) {
      const size_t n = std::min(kBatch, end - r);
      for (size_t i = 0; i < n; ++i) {
        homes[i] = HomeSlot(fp[r + i], cap);
        __builtin_prefetch(table + homes[i], 1);
        __builtin_prefetch(table + std::min(homes[i] + 7, cap - 1), 1);  // as in LookUpRated
      }
      for (size_t i = 0; i < n; ++i) {
        const Fingerprint& f = fp[r + i];
        if (f.empty()) continue;
        for (size_t s = homes[i];; s = s + 1 == cap ? 0 : s + 1) {
          std::atomic_ref<uint64_t> slot(table[s]);
          uint64_t seen = slot.load(std::memory_order_relaxed);
          if (seen == 0 && slot.compare_exchange_strong(seen, f.h, std::memory_order_relaxed)) break;
          if (seen == f.h) break;  // already there (also when another thread just put it)
        }
      }
    }
  }

  // A bad review by a real-name evaluator in the period: a case of the closed loop. Its id's
  // fingerprint is kept to meet its rectification events after the scan.
  struct EvalCase {
    Key128 key;
    int64_t at;
    Fingerprint id;
  };
  void FoldCases(const std::vector<const EvalCase*>& cases, Groups<EvalAcc>& eval_groups,
                 bool need_eval, Groups<char>& case_groups, const std::vector<KeyCol>& keys,
                 Key128 full_space);

  void RunFacts();
  void RunTransactions();
  void RunEvaluations();
  void RunProbes();
  void RunGuides();

  PartialsData* out_;
  const Dataset& data_;
  const EngineOptions& opt_;
  const TimeZone& zone_;
  const WorkingCalendar& calendar_;
  std::vector<bool> selected_;
  RegionTree regions_;
  bool by_day_ = false, by_month_ = false;
  Buckets buckets_;
  LabelSpace labels_[kGroupKeyCount];
  std::vector<uint64_t> rated_;  // see InitRatedIndex
  bool need_unrated_ = false;

 public:
  Status status_;  // a failure of the transaction source
};

// The transaction and evaluation families from the backend that stores the facts; the
// closed loop's cases from the bad reviews it hands back, folded here with the events.
void Engine::RunFacts() {
  FactQuery q;
  q.from_ms = opt_.from_ms;
  q.to_ms = opt_.to_ms;
  q.keys = opt_.keys;
  q.unit = by_day_ ? TimeUnit::kDay : by_month_ ? TimeUnit::kMonth : TimeUnit::kNone;
  q.zone = zone_.Name();
  q.scoped = static_cast<bool>(data_.fact_scope);
  q.intake = !Select(kIntakeFormulas, selected_).empty();
  q.completion = !Select(kCompletionFormulas, selected_).empty();
  q.tx_point_in_time = !Select(kTxPitFormulas, selected_).empty();
  q.backlog = Any({"open_overdue"});
  q.sync_lags = Any({"sync_lag_p95_hours"});
  q.handling_list = Any({"p90_handling_days"});
  q.unrated = need_unrated_;
  const bool need_eval = !Select(kEvalFormulas, selected_).empty();
  const bool need_cases = !Select(kCaseFormulas, selected_).empty();
  q.evaluations = need_eval || need_cases;  // the case groups are the evaluation groups
  q.eval_point_in_time = !Select(kEvalPitFormulas, selected_).empty();
  q.bad_reviews = need_cases;
  // Both kinds carry every group key a transaction or evaluation indicator supports.
  const FactLabels labels(data_.regions, opt_.modes, buckets_, opt_.keys, data_.fact_scope);
  Table bad_reviews(Kind::kEvaluations);
  status_ = data_.facts->Aggregate(q, labels, out_, &bad_reviews);
  if (!status_.ok() || !need_cases) {
    if (!need_eval) out_->eval.clear();
    return;
  }
  // The cases: the scan's fold over the bad reviews alone, with the case formulas only.
  Dataset cases_data;
  cases_data.regions = data_.regions;
  cases_data.evaluations = std::move(bad_reviews);
  cases_data.rectifications = data_.rectifications;
  std::vector<bool> case_only(selected_.size(), false);
  for (const Formula<CaseAcc>& f : kCaseFormulas) {
    const int idx = FindIndicator(f.code);
    if (idx >= 0 && selected_[idx]) case_only[idx] = true;
  }
  PartialsData cases;
  Engine fold(cases_data, opt_, zone_, calendar_, std::move(case_only), &cases);
  fold.RunEvaluations();
  for (auto& [group, acc] : cases.cases) AddGroup(out_->cases, group, acc);
  // Groups with evaluations in the period but no case show the rates as null.
  for (const auto& [group, acc] : out_->eval) out_->cases.try_emplace(group);
  if (!need_eval) out_->eval.clear();
}

void Engine::RunTransactions() {
  auto intake_f = Select(kIntakeFormulas, selected_);
  auto completion_f = Select(kCompletionFormulas, selected_);
  auto pit_f = Select(kTxPitFormulas, selected_);
  const bool need_intake = !intake_f.empty(), need_completion = !completion_f.empty();
  const bool need_pit = !pit_f.empty();
  const bool need_lags = Any({"sync_lag_p95_hours"});
  const bool need_handling_list = Any({"p90_handling_days"});
  const bool need_unrated = need_unrated_;
  const bool need_backlog = Any({"open_overdue"});
  if (!need_intake && !need_completion && !need_pit) return;
  constexpr Cols kTxCols{tx_col::kRegionCode, tx_col::kDeptCode, tx_col::kItemCode,
                         tx_col::kWindowCode, tx_col::kChannel, tx_col::kApplicantAge};
  const TableSource* source = data_.transaction_source;
  if (source != nullptr) {
    // Every segment must bind to the same label spaces: intern all labels first.
    Status st = PreIntern(*source, kTxCols);
    if (!st.ok()) {
      status_ = st;
      return;
    }
  }
  const size_t segments = source != nullptr ? source->segments() : 1;
  const size_t nb = buckets_.size();
  const bool timed = nb > 1;
  const int64_t from = opt_.from_ms, to = opt_.to_ms;
  struct State {
    Groups<IntakeAcc> intake;
    Groups<CompletionAcc> completion;
    Groups<PitAcc> pit;
  };
  std::vector<State> states;
  std::vector<KeyCol> keys;
  Table segment(Kind::kTransactions);
  std::vector<uint8_t> rated_tx;  // per row of the segment: has an evaluation
  std::vector<Fingerprint> fp_scratch;
  for (size_t seg = 0; seg < segments; ++seg) {
  if (source != nullptr) {
    Status st = source->Load(seg, &segment);
    if (!st.ok()) {
      status_ = st;
      return;
    }
  }
  const Table& t = source != nullptr ? segment : data_.transactions;
  if (!Bind(t, kTxCols, &keys)) return;
  if (need_unrated) {
    // Looked up before the scan, in batches with prefetches: each probe is a cache miss,
    // and overlapping them is what makes the join fast. Only the completion cohort.
    const int8_t* st = t.col(tx_col::kStatus).bytes.data();
    const int64_t* done = t.col(tx_col::kCompletedAt).times.data();
    const Fingerprint* fps = Fingerprints(t, tx_col::kId, &fp_scratch).data();
    rated_tx.resize(t.rows());
    ParallelRanges(t.rows(), static_cast<size_t>(std::max(1, opt_.threads)),
                   [&](size_t, size_t begin, size_t end) {
      LookUpRated(rated_.data(), rated_.size(), st, done, fps, from, to, begin, end,
                  rated_tx.data());
    });
  }

  // Mode of each channel code, looked up per row by index.
  const Column& channel = t.col(tx_col::kChannel);
  std::vector<uint8_t> online(channel.dict.size()), offline(channel.dict.size());
  for (uint32_t d = 0; d < channel.dict.size(); ++d) {
    const std::string_view mode = opt_.modes.ModeOf(channel.dict[d]);
    online[d] = mode == "online";
    offline[d] = mode == "offline";
  }

  const Key128 base_space = Space(keys);
  const Key128 full_space = base_space * nb;
  if (states.empty()) {
    for (int i = 0; i < std::max(1, opt_.threads); ++i) {
      states.push_back(State{Groups<IntakeAcc>(need_intake ? full_space : 1),
                             Groups<CompletionAcc>(need_completion ? full_space : 1),
                             Groups<PitAcc>(need_pit ? base_space : 1)});
    }
  }
  ParallelRanges(
      t.rows(), states.size(),
      [&](size_t thread, size_t begin, size_t end) {
        State& st = states[thread];
        const int64_t* submitted = t.col(tx_col::kSubmittedAt).times.data();
        const int64_t* accepted = t.col(tx_col::kAcceptedAt).times.data();
        const int64_t* completed = t.col(tx_col::kCompletedAt).times.data();
        const int64_t* due = t.col(tx_col::kDueAt).times.data();
        const int64_t* reported = t.col(tx_col::kReportedAt).times.data();
        const int8_t* status = t.col(tx_col::kStatus).bytes.data();
        const uint32_t* chan = channel.codes.data();
        const int32_t* age = t.col(tx_col::kApplicantAge).ints.data();
        const int32_t* visits = t.col(tx_col::kVisits).ints.data();
        const int32_t* mat_req = t.col(tx_col::kMaterialsRequired).ints.data();
        const int32_t* mat_ex = t.col(tx_col::kMaterialsExempted).ints.data();
        const int8_t* cross = t.col(tx_col::kCrossRegion).bytes.data();
        const double* promised = t.col(tx_col::kPromisedDays).reals.data();
        const double* statutory = t.col(tx_col::kStatutoryDays).reals.data();
        const double* wait = t.col(tx_col::kWaitMinutes).reals.data();
        constexpr int8_t kCompleted = static_cast<int8_t>(TxStatus::kCompleted);
        constexpr int8_t kRejected = static_cast<int8_t>(TxStatus::kRejected);
        constexpr int8_t kWithdrawn = static_cast<int8_t>(TxStatus::kWithdrawn);
        for (size_t r = begin; r < end; ++r) {
          const int64_t s = submitted[r];
          if (s == kNullTime || s >= to) continue;  // not yet existing at the end
          const bool intake_row = s >= from;
          const int64_t c = completed[r];
          const bool is_completed = status[r] == kCompleted && c != kNullTime;
          const bool completion_row = is_completed && c >= from && c < to;
          if (!intake_row && !completion_row && !need_pit) continue;
          const bool in_intake = need_intake && intake_row;
          const bool in_completion = need_completion && completion_row;
          const Key128 base = BaseKey(keys, r);
          // Groups of one family seen only by the other's anchor (see the union after the
          // scan, which covers the case where both families are computed).
          if (!need_completion && need_intake && completion_row) {
            st.intake.At(base * nb + (timed ? buckets_.Find(c) : 0));
          }
          if (!need_intake && need_completion && intake_row) {
            st.completion.At(base * nb + (timed ? buckets_.Find(s) : 0));
          }
          const uint32_t ch = chan[r];
          const bool is_online = ch != kNullCode && online[ch];
          if (in_intake) {
            IntakeAcc& a = st.intake.At(base * nb + (timed ? buckets_.Find(s) : 0));
            ++a.n;
            a.online += is_online;
            const int32_t v = visits[r];
            if (v != kNullInt) {
              ++a.visits_n;
              a.visits_zero += v == 0;
              a.visits_le1 += v <= 1;
              a.visits_sum += v;
            }
            const int32_t req = mat_req[r], ex = mat_ex[r];
            if (req != kNullInt && req > 0 && ex != kNullInt) {
              a.materials_required += req;
              a.materials_exempted += ex;
            }
            if (cross[r] != kNullBool) {
              ++a.cross_n;
              a.cross_yes += cross[r] == 1;
            }
            const double p = promised[r];
            if (!std::isnan(p)) {
              ++a.promised_n;
              a.promised_zero += p == 0;
            }
            if (ch != kNullCode && offline[ch] && !std::isnan(wait[r])) {
              ++a.wait_n;
              a.wait_long += thresholds::IsLongWait(wait[r]);
              a.wait_sum_micro += std::llround(wait[r] * kMicro);
            }
            if (reported[r] != kNullTime) {
              ++a.reported;
              if (need_lags) a.sync_lag_ms.Add(static_cast<double>(reported[r] - s));
            }
            a.filled += (age[r] != kNullInt) + (accepted[r] != kNullTime) +
                        (due[r] != kNullTime) + !std::isnan(p) + !std::isnan(statutory[r]) +
                        (v != kNullInt) + (req != kNullInt);
            if (age[r] != kNullInt && thresholds::IsElderly(age[r])) {
              ++a.elderly;
              a.elderly_online += is_online;
            }
          }
          if (in_completion) {
            CompletionAcc& a = st.completion.At(base * nb + (timed ? buckets_.Find(c) : 0));
            ++a.n;
            if (due[r] != kNullTime) {
              ++a.due_n;
              a.on_time += c <= due[r];
            }
            if (accepted[r] != kNullTime) {
              ++a.handling_n;
              a.handling_sum_ms += c - accepted[r];
              if (need_handling_list) a.handling_ms.Add(static_cast<double>(c - accepted[r]));
            }
            const double st_days = statutory[r], pr_days = promised[r];
            if (!std::isnan(st_days) && st_days > 0 && !std::isnan(pr_days)) {
              ++a.compression_n;
              a.compression_sum_nano += std::llround((1.0 - pr_days / st_days) * kNano);
            }
            if (need_unrated && !rated_tx[r]) ++a.unrated;
          }
          if (need_pit) {
            PitAcc& a = st.pit.At(base);
            a.Init(nb);
            const uint32_t first = buckets_.FirstSeeing(s);
            a.newest[first] = std::max(a.newest[first], s);
            if (need_backlog && accepted[r] != kNullTime && due[r] != kNullTime &&
                status[r] != kRejected && status[r] != kWithdrawn) {
              const int64_t open_from = std::max(accepted[r], due[r]);
              if (open_from < to) {
                const uint32_t b0 = buckets_.FirstSeeing(open_from);
                const uint32_t b1 = is_completed && c < to ? buckets_.FirstSeeing(c)
                                                           : static_cast<uint32_t>(nb);
                if (b1 > b0) {
                  ++a.backlog_diff[b0];
                  --a.backlog_diff[b1];
                }
              }
            }
          }
        }
      });
  }  // segments
  if (states.empty()) return;
  for (size_t i = 1; i < states.size(); ++i) {
    states[0].intake.MergeFrom(states[i].intake);
    states[0].completion.MergeFrom(states[i].completion);
    states[0].pit.MergeFrom(states[i].pit);
  }
  // A group appears for every transaction indicator once it has a transaction in the period
  // by either anchor: completions alone still show volume 0 (counts over an empty group are
  // 0, rates null), and submissions alone completed 0. (Done here, not per row.)
  if (need_intake && need_completion) {
    Groups<IntakeAcc>& intake = states[0].intake;
    Groups<CompletionAcc>& completion = states[0].completion;
    for (size_t g = 0, n = completion.size(); g < n; ++g) intake.At(completion.key(g));
    for (size_t g = 0, n = intake.size(); g < n; ++g) completion.At(intake.key(g));
  }
  if (need_intake) Collect(states[0].intake, keys, out_->intake);
  if (need_completion) Collect(states[0].completion, keys, out_->completion);
  if (need_pit) CollectPit(states[0].pit, keys, out_->tx_pit);
}

void Engine::RunEvaluations() {
  auto eval_f = Select(kEvalFormulas, selected_);
  auto pit_f = Select(kEvalPitFormulas, selected_);
  auto case_f = Select(kCaseFormulas, selected_);
  bool need_eval = !eval_f.empty(), need_pit = !pit_f.empty(), need_cases = !case_f.empty();
  if (!need_eval && !need_pit && !need_cases && !need_unrated_) return;
  constexpr Cols kEvalCols{eval_col::kRegionCode, eval_col::kDeptCode, eval_col::kItemCode,
                           eval_col::kWindowCode, eval_col::kChannel, eval_col::kEvaluatorAge};
  const TableSource* source = data_.evaluation_source;
  if (source != nullptr) {
    // Every segment must bind to the same label spaces: intern all labels first.
    if (Status st = PreIntern(*source, kEvalCols); !st.ok()) {
      status_ = st;
      return;
    }
  }
  const size_t segments = source != nullptr ? source->segments() : 1;
  if (need_unrated_) {
    InitRatedIndex(source != nullptr ? source->rows() : data_.evaluations.rows());
  }
  const size_t nb = buckets_.size();
  const bool timed = nb > 1;
  const int64_t from = opt_.from_ms, to = opt_.to_ms;
  struct State {
    Groups<EvalAcc> eval;
    Groups<PitAcc> pit;
    std::vector<EvalCase> cases;
    Groups<char> case_groups;  // keys of groups with evaluations in period
  };
  std::vector<State> states;
  std::vector<KeyCol> keys;
  std::vector<Fingerprint> fp_scratch, id_scratch;
  Table segment(Kind::kEvaluations);
  Key128 full_space = 1, base_space = 1;
  for (size_t seg = 0; seg < segments; ++seg) {
    if (source != nullptr) {
      if (Status st = source->Load(seg, &segment); !st.ok()) {
        status_ = st;
        return;
      }
    }
    const Table& t = source != nullptr ? segment : data_.evaluations;
    if (!Bind(t, kEvalCols, &keys)) need_eval = need_pit = need_cases = false;
    const Fingerprint* fps =
        need_unrated_ ? Fingerprints(t, eval_col::kTransactionId, &fp_scratch).data() : nullptr;
    const Fingerprint* ids =
        need_cases ? Fingerprints(t, eval_col::kId, &id_scratch).data() : nullptr;
    if (states.empty()) {
      base_space = Space(keys);
      full_space = base_space * nb;
      for (int i = 0; i < std::max(1, opt_.threads); ++i) {
        states.push_back(State{Groups<EvalAcc>(need_eval ? full_space : 1),
                               Groups<PitAcc>(need_pit ? base_space : 1), {},
                               Groups<char>(need_cases ? full_space : 1)});
      }
    }
    ParallelRanges(t.rows(), states.size(), [&](size_t thread, size_t begin, size_t end) {
      State& st = states[thread];
      if (fps != nullptr) InsertRated(fps, begin, end);
      if (!need_eval && !need_pit && !need_cases) return;
      const int64_t* at = t.col(eval_col::kEvaluatedAt).times.data();
      const int32_t* score = t.col(eval_col::kScore).ints.data();
      const int8_t* active = t.col(eval_col::kActive).bytes.data();
      const int8_t* real_name = t.col(eval_col::kRealName).bytes.data();
      const int32_t* age = t.col(eval_col::kEvaluatorAge).ints.data();
      for (size_t r = begin; r < end; ++r) {
        const int64_t e = at[r];
        const int32_t sc = score[r];
        if (e == kNullTime || e >= to || sc == kNullInt) continue;
        const bool in_period = e >= from;
        if (!in_period && !need_pit) continue;
        const Key128 base = BaseKey(keys, r);
        if (in_period) {
          const Key128 key = base * nb + (timed ? buckets_.Find(e) : 0);
          if (need_eval) {
            EvalAcc& a = st.eval.At(key);
            ++a.n;
            a.positive += thresholds::IsPositive(sc);
            a.negative += thresholds::IsBadReview(sc);
            a.top2 += thresholds::IsTop2(sc);
            a.score_sum += sc;
            if (active[r] != kNullBool && active[r] == 1) {
              ++a.active;
              a.active_positive += thresholds::IsPositive(sc);
            }
            if (age[r] != kNullInt && thresholds::IsElderly(age[r])) {
              ++a.elderly;
              a.elderly_score_sum += sc;
            }
          }
          if (need_cases && thresholds::IsBadReview(sc) && real_name[r] == 1) {
            st.cases.push_back({key, e, ids[r]});
          } else if (need_cases && !need_eval) {
            // The group exists, with or without cases. (With the evaluation family computed,
            // its groups are exactly these; they are taken from there after the scan.)
            st.case_groups.At(key);
          }
        }
        if (need_pit) {
          PitAcc& a = st.pit.At(base);
          a.Init(nb);
          const uint32_t first = buckets_.FirstSeeing(e);
          a.newest[first] = std::max(a.newest[first], e);
        }
      }
    });
  }  // segments
  if (states.empty()) return;
  for (size_t i = 1; i < states.size(); ++i) {
    states[0].eval.MergeFrom(states[i].eval);
    states[0].pit.MergeFrom(states[i].pit);
    for (size_t g = 0; g < states[i].case_groups.size(); ++g) {
      states[0].case_groups.At(states[i].case_groups.key(g));
    }
  }
  if (need_pit) CollectPit(states[0].pit, keys, out_->eval_pit);
  // The case groups read the evaluation groups' keys: collected (moved out) after them.
  if (need_cases) {
    std::vector<const EvalCase*> cases;  // every thread's, in one list
    for (const State& st : states) {
      for (const EvalCase& c : st.cases) cases.push_back(&c);
    }
    FoldCases(cases, states[0].eval, need_eval, states[0].case_groups, keys, full_space);
  }
  if (need_eval) Collect(states[0].eval, keys, out_->eval);
}

// Cases: fold every rectification event of any date into its case (outcomes after `to` still
// count for the review's period), then tally the cases per group into the partials.
void Engine::FoldCases(const std::vector<const EvalCase*>& cases, Groups<EvalAcc>& eval_groups,
                       bool need_eval, Groups<char>& case_groups, const std::vector<KeyCol>& keys,
                       Key128 full_space) {
  struct CaseState {
    bool verified = false, rectified = false, closed = false, invalid = false, revisited = false;
    int64_t first_rectified = 0;
    int64_t latest_scored_revisit = kNullTime;
    int32_t revisit_score = kNullInt;
  };
  // Cases are found by their id's fingerprint (the store keeps evaluations' and
  // rectifications' fingerprints: no id text is read).
  std::vector<CaseState> state(cases.size());
  struct FingerprintHash {
    size_t operator()(const Fingerprint& f) const { return static_cast<size_t>(f.g); }
  };
  std::unordered_map<Fingerprint, uint32_t, FingerprintHash> by_id;
  by_id.reserve(cases.size());
  for (uint32_t i = 0; i < cases.size(); ++i) by_id.emplace(cases[i]->id, i);
  const Table& rt = data_.rectifications;
  std::vector<Fingerprint> rid_scratch;
  const Fingerprint* rid = Fingerprints(rt, rect_col::kEvaluationId, &rid_scratch).data();
  const int8_t* event = rt.col(rect_col::kEvent).bytes.data();
  const int64_t* ev_at = rt.col(rect_col::kAt).times.data();
  const int32_t* rscore = rt.col(rect_col::kRevisitScore).ints.data();
  for (size_t r = 0; r < rt.rows(); ++r) {
    auto it = by_id.find(rid[r]);
    if (it == by_id.end() || ev_at[r] == kNullTime) continue;
    CaseState& c = state[it->second];
    switch (static_cast<RectEvent>(event[r])) {
      case RectEvent::kVerified: c.verified = true; break;
      case RectEvent::kRectified:
        if (!c.rectified || ev_at[r] < c.first_rectified) c.first_rectified = ev_at[r];
        c.rectified = true;
        break;
      case RectEvent::kRevisited:
        c.revisited = true;
        // The latest revisit that carries a score decides; on equal times the later row.
        if (rscore[r] != kNullInt && ev_at[r] >= c.latest_scored_revisit) {
          c.latest_scored_revisit = ev_at[r];
          c.revisit_score = rscore[r];
        }
        break;
      case RectEvent::kClosed: c.closed = true; break;
      case RectEvent::kInvalid: c.invalid = true; break;
      default: break;
    }
  }
  Groups<CaseAcc> groups(full_space);
  // Groups with evaluations in the period but no case show the rates as null.
  for (size_t g = 0; need_eval && g < eval_groups.size(); ++g) groups.At(eval_groups.key(g));
  for (size_t g = 0; g < case_groups.size(); ++g) groups.At(case_groups.key(g));
  std::unordered_map<int64_t, int64_t> deadline_of_day;  // local day -> deadline instant
  for (size_t i = 0; i < cases.size(); ++i) {
    CaseAcc& a = groups.At(cases[i]->key);  // the group appears even if every case is invalid
    const CaseState& c = state[i];
    if (c.invalid) continue;
    ++a.cases;
    a.verified += c.verified;
    a.rectified_or_closed += c.rectified || c.closed;
    if (c.rectified) {
      ++a.rectified;
      // Deadline: end (24:00 local) of the n-th working day after the review's local date.
      // Reviews fall on a few hundred distinct days: each day's deadline is worked out once.
      const int64_t day = LocalDayOf(zone_, cases[i]->at);
      auto [slot, fresh] = deadline_of_day.try_emplace(day, 0);
      if (fresh) slot->second = WorkingDeadline(calendar_, zone_, cases[i]->at, opt_.rectify_days);
      const int64_t deadline = slot->second;
      a.on_time += c.first_rectified <= deadline;
      a.revisited += c.revisited;
    }
    if (c.revisit_score != kNullInt) {
      ++a.revisit_scored;
      a.revisit_good += thresholds::IsRevisitSatisfied(c.revisit_score);
    }
  }
  Collect(groups, keys, out_->cases);
}

void Engine::RunProbes() {
  auto formulas = Select(kProbeFormulas, selected_);
  if (formulas.empty()) return;
  const Table& t = data_.probes;
  std::vector<KeyCol> keys;
  if (!Bind(t, {probe_col::kRegionCode, probe_col::kDeptCode, -1, -1, -1, -1}, &keys)) return;
  const size_t nb = buckets_.size();
  Groups<ProbeAcc> groups(Space(keys) * nb);
  const int64_t* at = t.col(probe_col::kCheckedAt).times.data();
  const int8_t* ok = t.col(probe_col::kOk).bytes.data();
  const double* latency = t.col(probe_col::kLatencyMs).reals.data();
  for (size_t r = 0; r < t.rows(); ++r) {
    const int64_t c = at[r];
    if (c == kNullTime || c < opt_.from_ms || c >= opt_.to_ms) continue;
    ProbeAcc& a = groups.At(BaseKey(keys, r) * nb + (nb > 1 ? buckets_.Find(c) : 0));
    ++a.n;
    if (ok[r] == 1) {
      ++a.ok;
      if (!std::isnan(latency[r])) a.latency_ms.push_back(latency[r]);
    }
  }
  Collect(groups, keys, out_->probes);
}

void Engine::RunGuides() {
  auto formulas = Select(kGuideFormulas, selected_);
  if (formulas.empty() || by_day_ || by_month_) return;  // guides have no time key
  const Table& t = data_.guides;
  std::vector<KeyCol> keys;
  if (!Bind(t, {guide_col::kRegionCode, guide_col::kDeptCode, guide_col::kItemCode, -1, -1, -1},
            &keys)) {
    return;
  }
  Groups<GuideAcc> groups(Space(keys));
  for (const SameSourceItem& item : CompareSameSource(t, opt_.to_ms, nullptr)) {
    GuideAcc& a = groups.At(BaseKey(keys, item.platform_row));
    ++a.platform_items;
    if (item.dept_pubs > 0) {
      ++a.covered;
      a.matching_items += item.dept_pubs_matching == item.dept_pubs;
      a.fields_compared += item.fields_compared;
      a.fields_matching += item.fields_matching;
    }
  }
  Collect(groups, keys, out_->guides);
}

}  // namespace
}  // namespace engine

FactLabels::FactLabels(const Table& regions, const ChannelModes& modes,
                       const engine::Buckets& buckets, std::vector<GroupKey> keys,
                       std::function<bool(std::string_view, std::string_view)> in_scope)
    : regions_(regions),
      modes_(modes),
      buckets_(buckets),
      keys_(std::move(keys)),
      in_scope_(std::move(in_scope)) {
  bool by_day = false;
  for (GroupKey k : keys_) by_day = by_day || k == GroupKey::kDay;
  for (uint32_t b = 0; b < buckets_.size(); ++b) {
    const std::string& label = by_day ? buckets_.day_label[b] : buckets_.month_label[b];
    // "YYYY-MM-DD" → YYYYMMDD, "YYYY-MM" → YYYYMM (the first bucket of a label wins).
    int64_t date = 0;
    for (const char c : label) {
      if (c >= '0' && c <= '9') date = date * 10 + (c - '0');
    }
    bucket_of_date_.try_emplace(date, b);
  }
}

std::string_view FactLabels::StoredColumn(GroupKey k) {
  switch (k) {
    case GroupKey::kRegion:
    case GroupKey::kCity:
    case GroupKey::kMacroRegion: return "region_code";
    case GroupKey::kDept: return "dept_code";
    case GroupKey::kItem: return "item_code";
    case GroupKey::kWindow: return "window_code";
    case GroupKey::kChannel:
    case GroupKey::kMode: return "channel";
    default: return "";
  }
}

std::vector<std::string> FactLabels::Of(const std::vector<std::string_view>& stored, uint32_t bucket,
                              bool with_time) const {
  engine::Labels out;
  out.reserve(keys_.size());
  size_t i = 0;
  for (GroupKey k : keys_) {
    if (k == GroupKey::kDay) {
      out.push_back(with_time ? buckets_.day_label[bucket] : std::string());
      continue;
    }
    if (k == GroupKey::kMonth) {
      out.push_back(with_time ? buckets_.month_label[bucket] : std::string());
      continue;
    }
    const std::string_view v = i < stored.size() ? stored[i] : std::string_view();
    ++i;
    switch (k) {
      case GroupKey::kCity: out.emplace_back(regions_.City(v)); break;
      case GroupKey::kMacroRegion: out.emplace_back(regions_.Macro(v)); break;
      case GroupKey::kMode: out.emplace_back(modes_.ModeOf(v)); break;
      case GroupKey::kAgeBand: {
        const uint32_t band = v.empty() ? 0 : static_cast<uint32_t>(v[0] - '0');
        out.emplace_back(engine::AgeBandLabel(band <= 5 ? band : 0));
        break;
      }
      default: out.emplace_back(v);
    }
  }
  return out;
}

bool FactLabels::Bucket(int64_t local_date, uint32_t* bucket) const {
  if (local_date == 0) {
    *bucket = 0;
    return true;
  }
  const auto it = bucket_of_date_.find(local_date);
  if (it == bucket_of_date_.end()) return false;
  *bucket = it->second;
  return true;
}

Result<std::vector<bool>> SelectIndicators(const std::vector<std::string>& only,
                                           const std::vector<GroupKey>& keys) {
  const auto catalog = Catalog();
  std::vector<bool> selected(catalog.size(), only.empty());
  for (const std::string& code : only) {
    const int idx = FindIndicator(code);
    if (idx < 0) return Status::Usage(fmt::format("unknown indicator '{}'", code));
    selected[idx] = true;
  }
  uint32_t seen = 0;
  for (GroupKey k : keys) {
    if (seen & KeyBit(k)) {
      return Status::Usage(fmt::format("group key '{}' given twice", GroupKeyName(k)));
    }
    seen |= KeyBit(k);
  }
  // An indicator whose kind lacks a requested key is left out.
  for (size_t i = 0; i < catalog.size(); ++i) {
    if ((catalog[i].key_mask & seen) != seen) selected[i] = false;
  }
  return selected;
}

Result<Partials> ComputePartials(const Dataset& data, const EngineOptions& options) {
  GOVQM_ASSIGN_OR_RETURN(std::vector<bool> selected,
                         SelectIndicators(options.only, options.keys));
  if (options.from_ms >= options.to_ms) {
    return Status::Usage("the period is empty: --from must be before --to");
  }
  static const FixedOffsetZone kUtc(0, "UTC");
  static const WorkingCalendar kWeekdays;
  const TimeZone& zone = options.zone != nullptr ? *options.zone : kUtc;
  const WorkingCalendar& calendar = options.calendar != nullptr ? *options.calendar : kWeekdays;
  Partials partials;
  engine::PartialsData& out = partials.data();
  out.header = MakePartialsHeader(options);
  engine::Engine eng(data, options, zone, calendar, std::move(selected), &out);
  eng.Run();
  if (!eng.status_.ok()) return eng.status_;
  return partials;
}

namespace engine {
namespace {

// The rows of one family's groups, through its selected formulas.
template <typename Acc, size_t N>
void EmitFamily(LabelledGroups<Acc>& groups, const Formula<Acc> (&table)[N],
                const std::vector<bool>& selected, bool base_measures,
                std::vector<IndicatorRow>* rows, std::vector<int>* catalog_index) {
  const auto formulas = Select(table, selected);
  if (formulas.empty()) return;
  for (auto& [labels, acc] : groups) {
    for (const Selected<Acc>& f : formulas) {
      std::optional<BaseMeasures> base;
      if (base_measures) f.base(acc, &base.emplace());
      rows->push_back(IndicatorRow{labels, Catalog()[f.idx].code, f.fn(acc), base});
      catalog_index->push_back(f.idx);
    }
  }
}

// Point-in-time groups: one row per bucket end that sees a record of the group, with the
// bucket's labels at the time keys.
template <size_t N>
void EmitPointInTime(LabelledGroups<PitAcc>& groups, const Formula<PitValue> (&table)[N],
                     const PartialsData& d, const std::vector<bool>& selected,
                     bool base_measures, std::vector<IndicatorRow>* rows,
                     std::vector<int>* catalog_index) {
  const auto formulas = Select(table, selected);
  if (formulas.empty()) return;
  const std::vector<GroupKey>& keys = d.header.keys;
  for (auto& [labels, a] : groups) {
    PitValue v;
    for (size_t b = 0; b < d.buckets.size() && b < a.newest.size(); ++b) {
      v.backlog += a.backlog_diff[b];
      v.newest = std::max(v.newest, a.newest[b]);
      v.end = d.buckets.ends[b];
      if (v.newest == kNullTime) continue;
      Labels at = labels;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] == GroupKey::kDay) at[i] = d.buckets.day_label[b];
        if (keys[i] == GroupKey::kMonth) at[i] = d.buckets.month_label[b];
      }
      for (const Selected<PitValue>& f : formulas) {
        std::optional<BaseMeasures> base;
        if (base_measures) f.base(v, &base.emplace());
        rows->push_back(IndicatorRow{at, Catalog()[f.idx].code, f.fn(v), base});
        catalog_index->push_back(f.idx);
      }
    }
  }
}

}  // namespace
}  // namespace engine

std::vector<IndicatorRow> FinishPartials(Partials& partials, bool base_measures) {
  engine::PartialsData& d = partials.data();
  // Validated when the partials were computed or parsed.
  auto chosen = SelectIndicators(d.header.only, d.header.keys);
  if (!chosen.ok()) return {};
  const std::vector<bool>& selected = *chosen;
  std::vector<IndicatorRow> rows;
  std::vector<int> index;  // catalog index, parallel to rows
  using namespace engine;
  EmitFamily(d.intake, kIntakeFormulas, selected, base_measures, &rows, &index);
  EmitFamily(d.completion, kCompletionFormulas, selected, base_measures, &rows, &index);
  EmitPointInTime(d.tx_pit, kTxPitFormulas, d, selected, base_measures, &rows, &index);
  EmitFamily(d.eval, kEvalFormulas, selected, base_measures, &rows, &index);
  EmitPointInTime(d.eval_pit, kEvalPitFormulas, d, selected, base_measures, &rows, &index);
  EmitFamily(d.cases, kCaseFormulas, selected, base_measures, &rows, &index);
  EmitFamily(d.probes, kProbeFormulas, selected, base_measures, &rows, &index);
  EmitFamily(d.guides, kGuideFormulas, selected, base_measures, &rows, &index);

  // Sort by key labels (as strings; "" = null sorts first), then catalog order.
  std::vector<uint32_t> order(rows.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (rows[a].keys != rows[b].keys) return rows[a].keys < rows[b].keys;
    return index[a] < index[b];
  });
  std::vector<IndicatorRow> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(std::move(rows[i]));
  return sorted;
}

Result<std::vector<IndicatorRow>> ComputeIndicators(const Dataset& data,
                                                    const EngineOptions& options) {
  GOVQM_ASSIGN_OR_RETURN(Partials partials, ComputePartials(data, options));
  return FinishPartials(partials, options.base_measures);
}

}  // namespace govqm
