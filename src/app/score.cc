#include "app/score.h"

namespace govqm::app {

Result<ScoreOutput> Score(LoadedFramework framework, const ScoreRequest& request,
                          const Store* store) {
  GOVQM_ASSIGN_OR_RETURN(ScoringInput in,
                         LoadScoringInput(request.input, framework.fw, store, false));
  GOVQM_ASSIGN_OR_RETURN(ScoreResult res, ScoreUnits(framework.fw, in.values));
  if (request.uncertainty) {
    GOVQM_RETURN_IF_ERROR(RankUncertainty(framework.fw, in.values, *request.uncertainty, &res));
  }
  return ScoreOutput{std::move(framework), std::move(in), std::move(res)};
}

}  // namespace govqm::app
