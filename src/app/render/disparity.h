// Rendering of a disparity: JSON and the readable table.
#pragma once

#include <string>

#include "app/disparity.h"

namespace govqm::render {

std::string DisparityJson(const app::DisparityOutput& o);
std::string DisparityTable(const app::DisparityOutput& o);

}  // namespace govqm::render
