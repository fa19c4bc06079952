// The values behind one percentile of one group. domain.md §3 defines percentiles by linear
// interpolation between closest ranks at p·(n−1) and allows "an approximate sketch ... where it
// stays within 1% relative error". A group keeps its values exactly while it has at most
// kExactLimit of them (so small groups, and every hand-worked test, are exact); beyond that it
// keeps a log-linear histogram: a value's bucket is its sign, binary exponent and top
// kMantissaBits mantissa bits, and a bucket answers with its midpoint, which is within
// kRelativeError (0.39%) of every value in it. Memory grows with the spread of the values, not
// their number: the 10M-row catalog held ~300 MB of value lists before, and fresh memory is
// the dearest thing on our VMs. Merging adds counts, so any split over threads and segments
// gives the same bits.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace govqm::engine {

class QuantileValues {
 public:
  static constexpr int kMantissaBits = 7;
  static constexpr double kRelativeError = 1.0 / (2 << kMantissaBits);  // 2^-(bits+1)
  static constexpr size_t kExactLimit = 1024;

  // v must not be NaN.
  void Add(double v) {
    ++n_;
    if (sketched_) [[likely]] {
      AddToSketch(v);
    } else {
      AddExact(v);
    }
  }
  void Merge(QuantileValues& other);
  // The p-th percentile (0 ≤ p ≤ 1), null when there is no value. Reorders exact values.
  std::optional<double> Percentile(double p);
  uint64_t count() const { return n_; }
  bool exact() const { return !sketched_; }

  // Adds `count` values that fall in sketch bucket `key` (a value's key: its bits shifted
  // right by 52 − kMantissaBits; of −v for a negative v, sign < 0; sign 0: zeros, key unused),
  // for backends that bucket the values where they are stored. The values turn to a sketch.
  void AddBucket(int sign, uint64_t key, uint64_t count);
  static uint64_t BucketOf(double v);  // v > 0

  // The state as plain values, for the partials' text form, and back (Restore refuses a state
  // no sequence of Add could make: more exact values than kExactLimit).
  struct State {
    bool sketched = false;
    std::vector<double> exact;
    uint64_t zeros = 0;
    std::vector<std::pair<uint64_t, uint64_t>> positive, negative;  // (key, count), count > 0
  };
  State Save() const;
  static std::optional<QuantileValues> Restore(const State& state);

 private:
  // Counts of bucket keys lo .. lo + low.size() - 1. A count is high[i] · 2^16 + low[i]:
  // 16-bit counters halve the histogram (a scan adds to one of hundreds of them at random,
  // so the whole set must stay in cache), and `high` exists only once a counter wraps.
  struct Histogram {
    uint64_t lo = 0;
    std::vector<uint16_t> low;
    std::vector<uint32_t> high;  // empty, or as long as `low`
    void Add(uint64_t key) {
      const uint64_t i = key - lo;  // unsigned: key < lo wraps to a large value
      if (i < low.size() && ++low[i] != 0) return;  // the common case, inline
      AddSlow(key, 1, i < low.size());
    }
    // Adds `count` to `key`; `wrapped` = the caller's increment of an in-range counter wrapped.
    void AddSlow(uint64_t key, uint64_t count, bool wrapped);
    uint64_t Count(size_t i) const {
      return (high.empty() ? 0 : static_cast<uint64_t>(high[i]) << 16) + low[i];
    }
  };
  static constexpr int kShift = 52 - kMantissaBits;
  [[gnu::noinline]] void AddExact(double v);
  void ToSketch();
  void AddToSketch(double v) {
    if (v > 0) {
      positive_.Add(std::bit_cast<uint64_t>(v) >> kShift);
    } else if (v < 0) {
      negative_.Add(std::bit_cast<uint64_t>(-v) >> kShift);
    } else {
      ++zeros_;
    }
  }
  // The value of rank r (0-based, ascending) as the sketch sees it.
  double SketchValueAt(uint64_t r) const;

  std::vector<double> exact_;
  bool sketched_ = false;
  uint64_t n_ = 0;
  uint64_t zeros_ = 0;
  Histogram positive_, negative_;  // negative_ holds -v
};

}  // namespace govqm::engine
