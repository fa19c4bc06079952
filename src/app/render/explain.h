// Rendering of an explanation: the chain from the index down to the records, as text.
#pragma once

#include <string>

#include "app/explain.h"

namespace govqm::render {

std::string ExplainText(const app::ExplainOutput& o);

}  // namespace govqm::render
