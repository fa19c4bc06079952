// The alert rules file of service.md §7 (TOML):
//   [[rule]]    code, indicator, by, below = x | above = x | drop = x, min_sample = 30
//   [[control]] code, indicator, by, method = "ewma" | "cusum", baseline_days = 28,
//               lambda = 0.2, L = 3, k = 0.5, h = 5, min_sample = 20
// `by` is a comma-separated list of group keys ("region", "region,dept") or an array of them;
// absent or "" = one group over the whole scope. Control charts add the day themselves, so a
// control's `by` may not hold day or month.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/alerts.h"
#include "core/engine/catalog.h"
#include "core/status.h"

namespace govqm {

struct AlertRule {
  std::string code, indicator;
  std::vector<GroupKey> by;
  ThresholdRule threshold;
  int64_t line = 0;  // where the [[rule]] table starts
};

struct ControlRule {
  std::string code, indicator;
  std::vector<GroupKey> by;
  ControlParams params;
  BadDirection bad = BadDirection::kUp;  // from the catalog (BadDirectionOf)
  int64_t line = 0;
};

struct AlertRules {
  std::string source;  // the file name given to the parser
  std::vector<AlertRule> rules;
  std::vector<ControlRule> controls;
};

// Parses a rules file. Errors (kInvalidInput) are one line `FILE:LINE: message` naming the key:
// TOML syntax, unknown keys, a missing or mistyped key, an unknown indicator or group key, a
// group key the indicator does not support, a duplicate code, values out of range.
Result<AlertRules> ParseAlertRules(std::string_view text, std::string_view source);

}  // namespace govqm
