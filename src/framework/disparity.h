// Disparity of an indicator or score across units (spec §3 "Digital divide"; issue 4 item 8):
// Gini, Theil T with between/within decomposition by a grouping, coefficient of variation,
// max/min ratio, and the grade distribution. Pure math: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace govqm {

// One group of the Theil decomposition (e.g. a macro_region, or a city for districts).
struct TheilGroup {
  std::string group;
  size_t units = 0;
  double share_of_total = 0;  // s_g = Y_g / Y (sum of the group's values over the total sum)
  double theil_within = 0;    // T_g: Theil T of the group's values around the group mean
  double mean = 0;            // mu_g
};

struct DisparityResult {
  size_t units = 0;
  double mean = 0, min = 0, max = 0;  // 0 when there are no units
  // Gini = sum_i sum_j |x_i - x_j| / (2 n^2 mu); null if n = 0 or mu <= 0.
  std::optional<double> gini;
  // Theil T = (1/n) sum_i (x_i/mu) ln(x_i/mu); x_i = 0 contributes 0; null if n = 0,
  // any x_i < 0, or mu <= 0.
  std::optional<double> theil;
  // Only with groups (and when theil is defined): T = T_between + T_within,
  // T_between = sum_g (n_g/n)(mu_g/mu) ln(mu_g/mu), T_within = sum_g (n_g mu_g / (n mu)) T_g.
  // A group with mu_g = 0 contributes 0 to both.
  std::optional<double> theil_between, theil_within;
  std::vector<TheilGroup> groups;  // in order of first appearance; empty without groups
  // Population standard deviation / mean; null if n = 0 or mu = 0.
  std::optional<double> cv;
  // max / min; null if n = 0 or min <= 0.
  std::optional<double> max_min_ratio;
};

// Disparity of `values` (one per unit; missing units are left out by the caller).
// `groups` is empty (no decomposition) or one group label per unit.
// Invalid if sizes differ or any value is non-finite. n = 0 is not an error: every
// statistic is null.
Result<DisparityResult> Disparity(const std::vector<double>& values,
                                  const std::vector<std::string>& groups);

// Counts per grade label. `bands` are ordered highest first as (label, inclusive lower bound),
// e.g. {{"非常高", 90}, {"高", 80}, {"中", 65}, {"低", -inf}}. A score goes to the first band
// whose lower bound it reaches; a score below every bound (or NaN) is not counted. The result
// has one entry per band, in the bands' order, zero counts included.
std::vector<std::pair<std::string, size_t>> GradeDistribution(
    const std::vector<double>& scores, const std::vector<std::pair<std::string, double>>& bands);

}  // namespace govqm
