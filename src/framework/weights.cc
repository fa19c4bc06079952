#include "framework/weights.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace govqm {
namespace {

constexpr double kReciprocalTolerance = 1e-6;  // relative
constexpr double kDiagonalTolerance = 1e-9;
constexpr double kPowerTolerance = 1e-12;
constexpr int kPowerMaxIterations = 100000;
constexpr double kMaxConsistencyRatio = 0.10;

// Validates the pairwise matrix; the messages use 1-based indices, as a user reads the matrix.
Status CheckPairwise(const std::vector<std::vector<double>>& a) {
  const size_t n = a.size();
  if (n == 0) return Status::Invalid("AHP matrix is empty");
  for (size_t i = 0; i < n; ++i) {
    if (a[i].size() != n) {
      return Status::Invalid(fmt::format(
          "AHP matrix is not square: row {} has {} entries, expected {}", i + 1, a[i].size(), n));
    }
  }
  if (n > 10) {
    return Status::Invalid(fmt::format(
        "AHP matrix has {} criteria; Saaty's random index is tabulated only up to 10", n));
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double v = a[i][j];
      if (!std::isfinite(v)) {
        return Status::Invalid(fmt::format("entry ({},{}) is not finite: {}", i + 1, j + 1, v));
      }
      if (v <= 0) {
        return Status::Invalid(fmt::format("entry ({},{}) is not positive: {}", i + 1, j + 1, v));
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (std::fabs(a[i][i] - 1) > kDiagonalTolerance) {
      return Status::Invalid(
          fmt::format("diagonal entry ({},{}) is {}, expected 1", i + 1, i + 1, a[i][i]));
    }
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      // Relative: |a_ij * a_ji - 1| is the relative error of a_ji against 1 / a_ij.
      if (std::fabs(a[i][j] * a[j][i] - 1) > kReciprocalTolerance) {
        return Status::Invalid(fmt::format("a({},{}) = {} but a({},{}) = {}, expected {}", i + 1,
                                           j + 1, a[i][j], j + 1, i + 1, a[j][i], 1 / a[i][j]));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

double SaatyRandomIndex(int n) {
  static constexpr double kRi[] = {0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
  if (n < 1 || n > 10) return 0;
  return kRi[n - 1];
}

Result<AhpResult> Ahp(const std::vector<std::vector<double>>& matrix) {
  GOVQM_RETURN_IF_ERROR(CheckPairwise(matrix));
  const size_t n = matrix.size();
  AhpResult r;
  // Start from the normalised row geometric means: exact for a consistent matrix and close
  // otherwise, so power iteration converges in a few steps.
  std::vector<double> w(n), next(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    double log_sum = 0;
    for (double v : matrix[i]) log_sum += std::log(v);
    w[i] = std::exp(log_sum / static_cast<double>(n));
    sum += w[i];
  }
  for (double& v : w) v /= sum;
  // A positive matrix has a simple dominant (Perron) eigenvalue, so power iteration converges.
  for (int it = 0; it < kPowerMaxIterations; ++it) {
    sum = 0;
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t j = 0; j < n; ++j) s += matrix[i][j] * w[j];
      next[i] = s;
      sum += s;
    }
    double change = 0;
    for (size_t i = 0; i < n; ++i) {
      next[i] /= sum;
      change = std::max(change, std::fabs(next[i] - w[i]));
    }
    w.swap(next);
    if (change < kPowerTolerance) break;
  }
  double lambda = 0;
  for (size_t i = 0; i < n; ++i) {
    double s = 0;
    for (size_t j = 0; j < n; ++j) s += matrix[i][j] * w[j];
    lambda += s / w[i];
  }
  r.lambda_max = lambda / static_cast<double>(n);
  r.weights = std::move(w);
  if (n > 2) {
    // lambda_max >= n for a positive reciprocal matrix; clamp rounding noise below n.
    r.ci = std::max(0.0, (r.lambda_max - static_cast<double>(n)) / static_cast<double>(n - 1));
    r.cr = r.ci / SaatyRandomIndex(static_cast<int>(n));
  }
  if (r.cr >= kMaxConsistencyRatio) {
    return Status::Invalid(fmt::format("not consistent: CR = {:.3f} >= 0.10", r.cr));
  }
  return r;
}

Result<std::vector<double>> EntropyWeights(
    const std::vector<std::vector<std::optional<double>>>& values,
    const std::vector<bool>& higher_is_better) {
  const size_t k = higher_is_better.size();
  if (k == 0) return Status::Invalid("entropy weights: no indicators");
  for (size_t u = 0; u < values.size(); ++u) {
    if (values[u].size() != k) {
      return Status::Invalid(fmt::format("entropy weights: unit {} has {} values, expected {}",
                                         u + 1, values[u].size(), k));
    }
    for (size_t j = 0; j < k; ++j) {
      if (values[u][j] && !std::isfinite(*values[u][j])) {
        return Status::Invalid(
            fmt::format("entropy weights: value of unit {}, indicator {} is not finite: {}", u + 1,
                        j + 1, *values[u][j]));
      }
    }
  }
  std::vector<double> d(k, 0.0);
  double d_sum = 0;
  std::vector<double> x;
  for (size_t j = 0; j < k; ++j) {
    x.clear();
    for (const auto& row : values) {
      if (row[j]) x.push_back(*row[j]);
    }
    if (x.size() < 2) continue;  // no dispersion to measure
    const auto [lo_it, hi_it] = std::minmax_element(x.begin(), x.end());
    const double lo = *lo_it, hi = *hi_it;
    if (!(hi > lo)) continue;  // all equal: the indicator does not discriminate
    double total = 0;
    for (double& v : x) {
      v = higher_is_better[j] ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo);
      total += v;
    }
    // total > 0: the best unit has x = 1.
    double h = 0;
    for (double v : x) {
      if (v > 0) {
        const double p = v / total;
        h -= p * std::log(p);
      }
    }
    const double e = h / std::log(static_cast<double>(x.size()));
    d[j] = std::max(0.0, 1 - e);  // e <= 1 in exact arithmetic; clamp rounding noise
    d_sum += d[j];
  }
  if (d_sum <= 0) return std::vector<double>(k, 1.0 / static_cast<double>(k));
  for (double& v : d) v /= d_sum;
  return d;
}

Result<std::vector<double>> CombineWeights(const std::vector<double>& subjective,
                                           const std::vector<double>& objective, double alpha) {
  if (!(alpha >= 0 && alpha <= 1)) {
    return Status::Invalid(
        fmt::format("combination weight alpha must be in [0, 1], got {}", alpha));
  }
  if (subjective.size() != objective.size()) {
    return Status::Invalid(
        fmt::format("cannot combine {} subjective weights with {} objective weights",
                    subjective.size(), objective.size()));
  }
  auto s = NormalizeWeights(subjective);
  if (!s.ok()) return Status::Invalid("subjective weights: " + s.status().message());
  auto o = NormalizeWeights(objective);
  if (!o.ok()) return Status::Invalid("objective weights: " + o.status().message());
  std::vector<double> c(s->size());
  for (size_t i = 0; i < c.size(); ++i) c[i] = alpha * (*s)[i] + (1 - alpha) * (*o)[i];
  return NormalizeWeights(c);
}

Result<std::vector<double>> NormalizeWeights(const std::vector<double>& weights) {
  if (weights.empty()) return Status::Invalid("no weights");
  double sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double w = weights[i];
    if (!std::isfinite(w)) {
      return Status::Invalid(fmt::format("weight {} is not finite: {}", i + 1, w));
    }
    if (w < 0) return Status::Invalid(fmt::format("weight {} is negative: {}", i + 1, w));
    sum += w;
  }
  if (sum <= 0) return Status::Invalid("all weights are 0");
  std::vector<double> out(weights);
  for (double& w : out) w /= sum;
  return out;
}

}  // namespace govqm
