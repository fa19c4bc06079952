// Base measures behind one unit's indicator value, recomputed from the Dataset for `explain`:
// numerator, denominator, sample size and a few record ids on each side. The engine returns
// only the finished values; this re-derives the fractions with the catalog's definitions
// (domain.md §3) for one group, so that a reader can check value = numerator / denominator
// against `govqm indicators`. Not a public interface.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/engine/catalog.h"
#include "core/engine/dataset.h"
#include "core/engine/indicators.h"

namespace govqm::cli {

struct BaseMeasure {
  bool available = false;  // false: not re-derivable here (see `why`)
  std::string why;
  std::string numerator_label, denominator_label;
  double numerator = 0, denominator = 0;
  bool ratio = true;       // value = numerator / denominator (else: a percentile or a difference)
  std::optional<double> value;  // as re-derived
  double sample = 0;       // records behind the value
  std::vector<std::string> in_ids, out_ids;  // a few records counted in / not in the numerator
  std::string detail;      // extra line (e.g. the two means of a gap)
};

// The base measures of catalog indicator `code` for the group whose `key` label is `unit`,
// over options.from_ms..to_ms. Supported keys: region, city, dept, item, window, channel, mode.
BaseMeasure ComputeBaseMeasure(const Dataset& data, const EngineOptions& options, GroupKey key,
                               const std::string& unit, const std::string& code);

}  // namespace govqm::cli
