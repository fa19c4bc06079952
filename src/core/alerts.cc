#include "core/alerts.h"

#include <algorithm>
#include <cmath>

#include "core/engine/catalog.h"

namespace govqm {

std::optional<BadDirection> BadDirectionOf(std::string_view indicator) {
  if (FindIndicator(indicator) < 0) return std::nullopt;
  // Lower is better for these (the framework declares them `direction = "lower"`): a rise is bad.
  static constexpr std::string_view kUpIsBad[] = {
      "negative_rate",      "long_wait_rate",        "unrated_rate",     "latency_p95_ms",
      "avg_wait_minutes",   "avg_visits",            "sync_lag_p95_hours", "avg_handling_days",
      "p90_handling_days",  "open_overdue",          "elderly_satisfaction_gap",
      "freshness_hours",    "eval_freshness_hours",  "elderly_online_gap",
  };
  for (std::string_view c : kUpIsBad) {
    if (c == indicator) return BadDirection::kUp;
  }
  return BadDirection::kDown;
}

std::optional<ThresholdAlert> EvaluateThreshold(const ThresholdRule& rule, double value, int64_t n,
                                                std::optional<double> previous,
                                                int64_t n_previous) {
  if (n < rule.min_sample || !std::isfinite(value)) return std::nullopt;
  ThresholdAlert a;
  a.value = value;
  a.n = n;
  switch (rule.kind) {
    case ThresholdKind::kBelow:
      if (!(value < rule.x)) return std::nullopt;
      a.limit = rule.x;
      return a;
    case ThresholdKind::kAbove:
      if (!(value > rule.x)) return std::nullopt;
      a.limit = rule.x;
      return a;
    case ThresholdKind::kDrop:
      if (!previous || !std::isfinite(*previous) || n_previous < rule.min_sample) {
        return std::nullopt;
      }
      if (!(*previous - value > rule.x)) return std::nullopt;
      a.limit = *previous - rule.x;
      a.previous = previous;
      return a;
  }
  return std::nullopt;
}

ControlResult RunControlChart(std::span<const DailyPoint> series, int64_t from_day,
                              int64_t to_day, const ControlParams& params, BadDirection bad) {
  ControlResult r;
  const int64_t base_from = from_day - params.baseline_days;
  auto kept = [&](const DailyPoint& p) { return p.n >= params.min_sample && std::isfinite(p.value); };

  // Baseline: two passes (mean, then the mean of squared deviations) for accuracy.
  double sum = 0;
  for (const DailyPoint& p : series) {
    if (p.day >= base_from && p.day < from_day && kept(p)) {
      sum += p.value;
      ++r.baseline_kept;
    }
  }
  if (r.baseline_kept > 0) {
    r.mu0 = sum / static_cast<double>(r.baseline_kept);
    double ss = 0;
    for (const DailyPoint& p : series) {
      if (p.day >= base_from && p.day < from_day && kept(p)) ss += (p.value - r.mu0) * (p.value - r.mu0);
    }
    r.sigma0 = std::sqrt(ss / static_cast<double>(r.baseline_kept));
  }
  r.has_baseline = r.baseline_kept >= kMinBaselineDays && r.sigma0 > 0;
  if (!r.has_baseline) return r;

  const double mu0 = r.mu0, sigma0 = r.sigma0;
  const bool up = bad == BadDirection::kUp;
  int64_t t = 0;
  double z = mu0;      // EWMA
  double s = 0;        // CUSUM
  bool armed = true;   // EWMA: an alert may be raised (z was inside since the last one)
  for (const DailyPoint& p : series) {
    if (p.day < from_day || p.day > to_day || !kept(p)) continue;
    ++t;
    ControlStep step;
    step.day = p.day;
    step.t = t;
    step.x = p.value;
    if (params.method == ControlMethod::kEwma) {
      const double lam = params.lambda;
      z = lam * p.value + (1 - lam) * z;
      const double width =
          params.L * sigma0 *
          std::sqrt(lam / (2 - lam) * (1 - std::pow(1 - lam, 2.0 * static_cast<double>(t))));
      const double limit = up ? mu0 + width : mu0 - width;
      const bool outside = up ? z > limit : z < limit;
      step.value = z;
      step.limit = limit;
      if (outside && armed) {
        step.alert = true;
        armed = false;
      } else if (!outside) {
        armed = true;
      }
    } else {
      const double d = up ? (p.value - mu0) / sigma0 : (mu0 - p.value) / sigma0;
      s = std::max(0.0, s + d - params.k);
      step.value = s;
      step.limit = params.h;
      if (s > params.h) {
        step.alert = true;
        s = 0;
      }
    }
    if (step.alert) {
      r.alerts.push_back(ControlAlert{p.day, p.value, p.n, t, step.value, step.limit});
    }
    r.steps.push_back(step);
  }
  return r;
}

DeadlineLevel DeadlineWarning(int64_t accepted_at, int64_t due_at, int64_t at) {
  if (due_at < accepted_at) return DeadlineLevel::kNone;
  if (at > due_at) return DeadlineLevel::kRed;
  // accepted + 0.8·(due − accepted) ≤ at  ⇔  5·(at − accepted) ≥ 4·(due − accepted).
  if (5 * (at - accepted_at) >= 4 * (due_at - accepted_at)) return DeadlineLevel::kYellow;
  return DeadlineLevel::kNone;
}

int64_t YellowFrom(int64_t accepted_at, int64_t due_at) {
  const int64_t d = std::max<int64_t>(0, due_at - accepted_at);
  return accepted_at + (4 * d + 4) / 5;
}

}  // namespace govqm
