// Rendering of weights: JSON and the readable table, node by node; and one AHP matrix.
#pragma once

#include <string>

#include "app/weights.h"

namespace govqm::render {

std::string WeightsJson(const app::WeightsOutput& o);
std::string WeightsTable(const app::WeightsOutput& o);
std::string AhpJson(const app::AhpOutput& o);
std::string AhpTable(const app::AhpOutput& o);

}  // namespace govqm::render
