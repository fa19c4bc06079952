// The disparity use case: how unequal the units are on one indicator or one score — Gini,
// Theil T (with its between/within decomposition by a second key), coefficient of variation,
// max/min ratio, and for scores the grade distribution.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/scoring_input.h"
#include "framework/disparity.h"

namespace govqm::app {

struct DisparityRequest {
  ScoringRequest input;
  std::string indicator;  // one of indicator / score
  std::string score;      // a level: index, a stage, a dimension, a cell, a block or a node
  std::string within;     // a group key for the Theil decomposition ("" = none; store only)
};

struct DisparityOutput {
  std::string what;    // "indicator CODE" or "score LEVEL"
  std::string by;      // the units' key, "unit" for a values file
  std::string source;  // as ScoringInput::source
  bool from_store = false;
  std::string from, to;  // the period (store)
  DisparityResult result;
  size_t left_out = 0;                                 // units without a value
  std::vector<std::pair<std::string, size_t>> grades;  // scores only: units per grade
};

Result<DisparityOutput> Disparity(const LoadedFramework& framework, const DisparityRequest& request,
                                  const Store* store);

}  // namespace govqm::app
