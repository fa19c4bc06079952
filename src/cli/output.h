// Rendering helpers for the edges: JSON strings and numbers that read back exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace govqm::cli {

// A JSON string literal, quotes included.
std::string JsonString(std::string_view s);
// Shortest text that reads back to the same double ("0.1", "12", "1e-09").
std::string NumberText(double v);
// NumberText, or "null" / "" when absent.
std::string JsonNumber(std::optional<double> v);

}  // namespace govqm::cli
