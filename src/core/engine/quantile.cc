#include "core/engine/quantile.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace govqm::engine {
namespace {

constexpr int kShift = 52 - QuantileValues::kMantissaBits;

// The midpoint of a bucket's range [lower, upper).
double Midpoint(uint64_t key) {
  const double lower = std::bit_cast<double>(key << kShift);
  const double upper = std::bit_cast<double>((key + 1) << kShift);
  return lower + (upper - lower) / 2;
}

}  // namespace

void QuantileValues::Histogram::AddSlow(uint64_t key, uint64_t count, bool wrapped) {
  if (low.empty()) {
    lo = key;
    low.assign(1, 0);
  } else if (key < lo) {  // a new minimum: grow at the front (rare once the range has settled)
    low.insert(low.begin(), lo - key, 0);
    if (!high.empty()) high.insert(high.begin(), lo - key, 0);
    lo = key;
  } else if (key - lo >= low.size()) {
    low.resize(key - lo + 1, 0);
    if (!high.empty()) high.resize(low.size(), 0);
  }
  const size_t i = key - lo;
  const uint64_t total = wrapped ? Count(i) + 0x10000 : Count(i) + count;  // low[i] wrapped to 0
  low[i] = static_cast<uint16_t>(total & 0xFFFF);
  if (total >> 16 != 0) {
    if (high.empty()) high.assign(low.size(), 0);  // once per histogram, and only for big ones
    high[i] = static_cast<uint32_t>(total >> 16);
  }
}

void QuantileValues::AddExact(double v) {
  exact_.push_back(v);
  if (exact_.size() > kExactLimit) ToSketch();
}

void QuantileValues::ToSketch() {
  sketched_ = true;
  for (double v : exact_) AddToSketch(v);
  exact_.clear();
  exact_.shrink_to_fit();
}

void QuantileValues::Merge(QuantileValues& o) {
  if (o.n_ == 0) return;
  n_ += o.n_;
  if (!sketched_ && !o.sketched_ && exact_.size() + o.exact_.size() <= kExactLimit) {
    exact_.insert(exact_.end(), o.exact_.begin(), o.exact_.end());
    return;
  }
  if (!sketched_) ToSketch();
  if (!o.sketched_) {
    for (double v : o.exact_) AddToSketch(v);
    return;
  }
  zeros_ += o.zeros_;
  for (auto [mine, theirs] : {std::pair{&positive_, &o.positive_}, {&negative_, &o.negative_}}) {
    for (size_t i = 0; i < theirs->low.size(); ++i) {
      if (const uint64_t c = theirs->Count(i); c != 0) mine->AddSlow(theirs->lo + i, c, false);
    }
  }
}

double QuantileValues::SketchValueAt(uint64_t r) const {
  // Ascending: the most negative values first (negative_ keys descending), zeros, positives.
  for (size_t i = negative_.low.size(); i-- > 0;) {
    const uint64_t c = negative_.Count(i);
    if (r < c) return -Midpoint(negative_.lo + i);
    r -= c;
  }
  if (r < zeros_) return 0;
  r -= zeros_;
  for (size_t i = 0; i < positive_.low.size(); ++i) {
    const uint64_t c = positive_.Count(i);
    if (r < c) return Midpoint(positive_.lo + i);
    r -= c;
  }
  return Midpoint(positive_.lo + positive_.low.size() - 1);  // not reached for r < n
}

std::optional<double> QuantileValues::Percentile(double p) {
  if (n_ == 0) return std::nullopt;
  const double h = p * static_cast<double>(n_ - 1);
  const auto lo = static_cast<uint64_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  double x, y;
  if (!sketched_) {
    std::nth_element(exact_.begin(), exact_.begin() + static_cast<ptrdiff_t>(lo), exact_.end());
    x = exact_[lo];
    y = lo + 1 < n_ ? *std::min_element(exact_.begin() + static_cast<ptrdiff_t>(lo) + 1, exact_.end())
                    : x;
  } else {
    x = SketchValueAt(lo);
    y = lo + 1 < n_ ? SketchValueAt(lo + 1) : x;
  }
  return x + frac * (y - x);
}

uint64_t QuantileValues::BucketOf(double v) { return std::bit_cast<uint64_t>(v) >> kShift; }

void QuantileValues::AddBucket(int sign, uint64_t key, uint64_t count) {
  if (count == 0) return;
  if (!sketched_) ToSketch();
  n_ += count;
  if (sign > 0) {
    positive_.AddSlow(key, count, false);
  } else if (sign < 0) {
    negative_.AddSlow(key, count, false);
  } else {
    zeros_ += count;
  }
}

QuantileValues::State QuantileValues::Save() const {
  State s;
  s.sketched = sketched_;
  if (!sketched_) {
    s.exact = exact_;
    std::sort(s.exact.begin(), s.exact.end());  // canonical: the order of adds is not state
    return s;
  }
  s.zeros = zeros_;
  for (auto [h, out] : {std::pair{&positive_, &s.positive}, {&negative_, &s.negative}}) {
    for (size_t i = 0; i < h->low.size(); ++i) {
      if (const uint64_t c = h->Count(i); c != 0) out->emplace_back(h->lo + i, c);
    }
  }
  return s;
}

std::optional<QuantileValues> QuantileValues::Restore(const State& s) {
  QuantileValues q;
  if (!s.sketched) {
    if (s.exact.size() > kExactLimit) return std::nullopt;
    for (double v : s.exact) {
      if (std::isnan(v)) return std::nullopt;
    }
    q.exact_ = s.exact;
    q.n_ = s.exact.size();
    return q;
  }
  q.sketched_ = true;
  q.zeros_ = s.zeros;
  q.n_ = s.zeros;
  for (auto [in, h] : {std::pair{&s.positive, &q.positive_}, {&s.negative, &q.negative_}}) {
    for (const auto& [key, count] : *in) {
      if (count == 0 || key >= (uint64_t{1} << (64 - kShift))) return std::nullopt;
      h->AddSlow(key, count, false);
      q.n_ += count;
    }
  }
  return q;
}

}  // namespace govqm::engine
