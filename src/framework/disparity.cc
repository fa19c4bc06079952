#include "framework/disparity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace govqm {
namespace {

// Theil T of `x` around its own mean; 0 when the mean is 0 (all zero, as none is negative).
double TheilT(const std::vector<double>& x, double mean) {
  if (x.empty() || mean <= 0) return 0;
  double t = 0;
  for (double v : x) {
    if (v > 0) t += (v / mean) * std::log(v / mean);  // v = 0 contributes 0 (limit of r ln r)
  }
  return t / static_cast<double>(x.size());
}

double Mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

}  // namespace

Result<DisparityResult> Disparity(const std::vector<double>& values,
                                  const std::vector<std::string>& groups) {
  if (!groups.empty() && groups.size() != values.size()) {
    return Status::Invalid(fmt::format("disparity: {} group labels for {} values", groups.size(),
                                       values.size()));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Status::Invalid(
          fmt::format("disparity: value {} is not finite: {}", i + 1, values[i]));
    }
  }
  DisparityResult r;
  const size_t n = values.size();
  r.units = n;
  if (n == 0) return r;
  const double nd = static_cast<double>(n);
  const double mu = Mean(values);
  r.mean = mu;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  r.min = *lo;
  r.max = *hi;

  if (mu > 0) {
    // sum_i sum_j |x_i - x_j| = 2 sum_k (2k - n - 1) x_(k), x sorted, k = 1..n: O(n log n).
    std::vector<double> sorted(values);
    std::sort(sorted.begin(), sorted.end());
    double s = 0;
    for (size_t k = 0; k < n; ++k) s += (2.0 * static_cast<double>(k + 1) - nd - 1) * sorted[k];
    r.gini = 2 * s / (2 * nd * nd * mu);
  }

  double var = 0;
  for (double v : values) var += (v - mu) * (v - mu);
  var /= nd;
  if (mu != 0) r.cv = std::sqrt(var) / mu;
  if (r.min > 0) r.max_min_ratio = r.max / r.min;

  const bool theil_defined = mu > 0 && r.min >= 0;
  if (theil_defined) r.theil = TheilT(values, mu);

  if (!groups.empty()) {
    std::unordered_map<std::string, size_t> index;
    std::vector<std::vector<double>> members;
    for (size_t i = 0; i < n; ++i) {
      auto [it, inserted] = index.try_emplace(groups[i], members.size());
      if (inserted) {
        members.emplace_back();
        r.groups.push_back(TheilGroup{groups[i], 0, 0, 0, 0});
      }
      members[it->second].push_back(values[i]);
    }
    const double total = mu * nd;
    double between = 0, within = 0;
    for (size_t g = 0; g < members.size(); ++g) {
      TheilGroup& tg = r.groups[g];
      tg.units = members[g].size();
      tg.mean = Mean(members[g]);
      if (total != 0) tg.share_of_total = tg.mean * static_cast<double>(tg.units) / total;
      if (!theil_defined) continue;
      tg.theil_within = TheilT(members[g], tg.mean);
      if (tg.mean > 0) {
        between += (static_cast<double>(tg.units) / nd) * (tg.mean / mu) * std::log(tg.mean / mu);
      }
      within += tg.share_of_total * tg.theil_within;
    }
    if (theil_defined) {
      r.theil_between = between;
      r.theil_within = within;
    }
  }
  return r;
}

std::vector<std::pair<std::string, size_t>> GradeDistribution(
    const std::vector<double>& scores, const std::vector<std::pair<std::string, double>>& bands) {
  std::vector<std::pair<std::string, size_t>> out;
  out.reserve(bands.size());
  for (const auto& [label, lower] : bands) out.emplace_back(label, 0);
  for (double s : scores) {
    for (size_t b = 0; b < bands.size(); ++b) {
      if (s >= bands[b].second) {  // false for NaN: not counted
        ++out[b].second;
        break;
      }
    }
  }
  return out;
}

}  // namespace govqm
