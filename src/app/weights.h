// The weights use case: a framework's weights node by node — declared (expert), AHP (with
// λmax, CI, RI and CR), entropy over the units' values, or their combination — and each
// indicator's global weight (the product of the weights on its path to the index). Also one
// pairwise matrix solved on its own.
#pragma once

#include <string>
#include <vector>

#include "app/scoring_input.h"
#include "framework/weights.h"

namespace govqm::app {

struct WeightsRequest {
  ScoringRequest input;
  bool has_data = false;  // the units' values are given (values file or store period)
};

struct WeightsOutput {
  LoadedFramework framework;
  ScoreResult result;          // node_weight, indicator_weight, entropy_weight
  std::vector<double> global;  // per node: the product of the weights on its path
};

// Usage when the framework needs entropy weights and no data is given. `store` may be null
// (values file, or no data).
Result<WeightsOutput> Weights(LoadedFramework framework, const WeightsRequest& request,
                              const Store* store);

struct AhpOutput {
  AhpResult ahp;
  size_t n = 0;  // the matrix's order
};
// Solves "1,3,5;1/3,1,3;1/5,1/3,1" (rows by ';', entries by ',', numbers or fractions).
Result<AhpOutput> SolveAhp(const std::string& matrix);

}  // namespace govqm::app
