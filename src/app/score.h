// The score use case: the framework over the units' values — per unit the index, grade, rank
// (or why not ranked), every stage, dimension, cell and block, each indicator's score.
#pragma once

#include <optional>

#include "app/scoring_input.h"
#include "framework/scoring.h"

namespace govqm::app {

struct ScoreRequest {
  ScoringRequest input;
  std::optional<UncertaintyOptions> uncertainty;  // rank intervals under perturbed weights
};

struct ScoreOutput {
  LoadedFramework framework;
  ScoringInput input;
  ScoreResult result;
};

// `store` may be null when the request reads a values file.
Result<ScoreOutput> Score(LoadedFramework framework, const ScoreRequest& request,
                          const Store* store);

}  // namespace govqm::app
