// The alert rules of service.md §7, pure (no I/O, no clock): threshold and drop rules on
// period values, EWMA and CUSUM control charts on daily series, and deadline warnings for
// open transactions. The edges build the series from the store and render the alerts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace govqm {

// The direction in which an indicator's move is bad (an alert's direction).
enum class BadDirection { kUp, kDown };

// The bad direction of a catalog indicator: up where lower is better (negative_rate,
// long_wait_rate, unrated_rate, latency_p95_ms, waits, handling times, lags, gaps, open
// overdue), down where higher is better (every other rate, the mean score, the counts).
// nullopt for a code not in the catalog.
std::optional<BadDirection> BadDirectionOf(std::string_view indicator);

// ---- Threshold and drop rules on period values -------------------------------------------

enum class ThresholdKind { kBelow, kAbove, kDrop };

struct ThresholdRule {
  ThresholdKind kind = ThresholdKind::kBelow;
  double x = 0;             // the threshold (below/above) or the largest allowed fall (drop)
  int64_t min_sample = 30;  // a value with fewer records behind it raises nothing
};

struct ThresholdAlert {
  double value = 0;  // the period's value
  // below/above: x; drop: previous − x (the value is below it: it fell by more than x).
  double limit = 0;
  int64_t n = 0;  // records behind the value
  std::optional<double> previous;  // drop only: the previous period's value
};

// below: value < x; above: value > x (a value on the threshold raises nothing).
// drop: previous − value > x, with previous the value of the period of the same length just
// before (nullopt when that period has no value). Nothing when n < min_sample, or for a drop
// when the previous period's n_previous < min_sample.
std::optional<ThresholdAlert> EvaluateThreshold(const ThresholdRule& rule, double value, int64_t n,
                                                std::optional<double> previous = std::nullopt,
                                                int64_t n_previous = 0);

// ---- Control charts on daily series --------------------------------------------------------

// One local day (days since 1970-01-01 in the store's zone): the indicator's value over that
// day and its denominator. Days absent from a series have no records (n = 0).
struct DailyPoint {
  int64_t day = 0;
  double value = 0;
  int64_t n = 0;
};

enum class ControlMethod { kEwma, kCusum };

struct ControlParams {
  ControlMethod method = ControlMethod::kEwma;
  int baseline_days = 28;
  double lambda = 0.2, L = 3;  // EWMA
  double k = 0.5, h = 5;       // CUSUM
  int64_t min_sample = 20;
};

struct ControlAlert {
  int64_t day = 0;
  double x = 0;      // the day's value x_t
  int64_t n = 0;     // the day's denominator n_t
  int64_t t = 0;     // the rank of the day among the kept days of the monitored period (1, 2, …)
  double value = 0;  // EWMA: z_t; CUSUM: S_t (before the reset to 0)
  double limit = 0;  // EWMA: the control limit on the bad side; CUSUM: h
};

// One kept day of the chart, for readers and tests: the statistic and its limit.
struct ControlStep {
  int64_t day = 0;
  int64_t t = 0;
  double x = 0;
  double value = 0;  // z_t or S_t (before any reset)
  double limit = 0;
  bool alert = false;
};

struct ControlResult {
  // False when the baseline has fewer than 7 kept days or σ0 = 0: no control alert
  // ("no baseline"); mu0/sigma0 are then what could be computed (0 with no kept day).
  bool has_baseline = false;
  int64_t baseline_kept = 0;  // kept days in the baseline window
  double mu0 = 0, sigma0 = 0;
  std::vector<ControlStep> steps;  // the kept days of the monitored period, in order
  std::vector<ControlAlert> alerts;
};

inline constexpr int64_t kMinBaselineDays = 7;

// Runs the chart of service.md §7 over the monitored days [from_day, to_day] with the baseline
// [from_day − baseline_days, from_day − 1]. A day with n < min_sample is skipped (no alert, no
// update; t counts kept days only). μ0, σ0: mean and population standard deviation of the kept
// baseline values.
// EWMA: z_0 = μ0, z_t = λx_t + (1 − λ)z_{t−1}; limit μ0 ± Lσ0·sqrt(λ/(2 − λ)(1 − (1 − λ)^(2t)));
// an alert on the day z_t passes the limit in the bad direction (strictly), the next only after
// z_t has come back inside (on or within the limit).
// CUSUM: S_0 = 0, S_t = max(0, S_{t−1} + (x_t − μ0)/σ0 − k) (up; (μ0 − x_t)/σ0 for down); an
// alert when S_t > h, after which S_t = 0.
// `series` must be sorted by day with at most one point per day; points outside the two
// windows are ignored.
ControlResult RunControlChart(std::span<const DailyPoint> series, int64_t from_day,
                              int64_t to_day, const ControlParams& params, BadDirection bad);

// ---- Deadline warnings -----------------------------------------------------------------------

enum class DeadlineLevel { kNone, kYellow, kRed };

// An open transaction accepted at `accepted_at` and due at `due_at` (the same clock as `at`,
// e.g. epoch seconds): yellow when accepted_at + 0.8·(due_at − accepted_at) ≤ at ≤ due_at, red
// when at > due_at, none otherwise (and none when due_at < accepted_at, a record the edges
// report as invalid). Computed exactly in integers.
DeadlineLevel DeadlineWarning(int64_t accepted_at, int64_t due_at, int64_t at);

// The instant from which the transaction is yellow: accepted_at + 0.8·(due_at − accepted_at),
// rounded up to the clock's unit (the first instant of the clock that is yellow).
int64_t YellowFrom(int64_t accepted_at, int64_t due_at);

}  // namespace govqm
