// The score use case: the framework over the units' values — per unit the index, grade, rank
// (or why not ranked), every stage, dimension, cell and block, each indicator's score.
#pragma once

#include <optional>
#include <vector>

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
  // The public view's (app/public_view.h): per unit, its values and scores are withheld for
  // too few records. Empty for everyone else, and then not rendered.
  std::vector<bool> suppressed = {};
};

// `store` may be null when the request reads a values file.
Result<ScoreOutput> Score(LoadedFramework framework, const ScoreRequest& request,
                          const Store* store);

}  // namespace govqm::app
