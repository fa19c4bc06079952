// Small statistics shared by the engine's edges and the framework.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace govqm {

// Percentile by linear interpolation between closest ranks at p·(n−1) (domain.md §3).
// `v` must not be empty; it is taken by value because it is sorted.
inline double InterpolatedPercentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace govqm
