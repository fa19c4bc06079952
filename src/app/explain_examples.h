// A few example records behind one group's indicator value, for `explain`: ids counted in the
// numerator and ids in the denominator only. The numbers themselves (numerator, denominator,
// sample) are the engine's (EngineOptions::base_measures); this only picks records to show,
// with the engine's thresholds (core/thresholds.h) and group labels.
#pragma once

#include <string>
#include <vector>

#include "core/engine/dataset.h"
#include "core/engine/indicators.h"

namespace govqm::app {

struct RecordExamples {
  std::vector<std::string> in_ids, out_ids;  // at most three each
  std::string detail;  // an extra line: same-source mismatches, the newest record
};

// Examples of catalog indicator `code` for the group whose `key` label is `unit`, over
// options.from_ms..to_ms. None for the time keys (day, month).
RecordExamples FindRecordExamples(const Dataset& data, const EngineOptions& options, GroupKey key,
                                  const std::string& unit, const std::string& code);

// The rows of data.evaluations evaluated in [options.from_ms, options.to_ms) that the engine
// groups under `unit` by `key`, in table order (diagnosis's pain points). None for the time
// keys (day, month).
std::vector<size_t> UnitEvaluationRows(const Dataset& data, const EngineOptions& options,
                                       GroupKey key, const std::string& unit);

}  // namespace govqm::app
