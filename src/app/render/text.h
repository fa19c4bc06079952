// printf-style appending to a string, for the narrative renderers (explain, weights,
// disparity, the tables' headings): the same bytes printf would write.
#pragma once

#include <string>

namespace govqm::render {

void Appendf(std::string* out, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace govqm::render
