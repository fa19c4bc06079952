// Rendering of scores: JSON, long CSV (one row per unit and level) and the readable table
// (the ranking, then each unit's stage × dimension cells).
#pragma once

#include <optional>
#include <string>

#include "app/score.h"

namespace govqm::render {

std::string ScoreJson(const app::ScoreOutput& o);
std::string ScoreCsv(const app::ScoreOutput& o);
std::string ScoreTable(const app::ScoreOutput& o);
// A score with two decimals, or "-".
std::string ScoreText(const std::optional<double>& v);

}  // namespace govqm::render
