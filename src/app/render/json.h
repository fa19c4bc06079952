// The JSON writer of every edge: string literals, and numbers that read back exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govqm::render {

// A JSON string literal, quotes included (control characters escaped; UTF-8 kept as is; a
// byte that is not part of well-formed UTF-8 becomes U+FFFD: the output is always valid JSON).
std::string JsonString(std::string_view s);
// Shortest text that reads back to the same double ("0.1", "12", "1e-09").
std::string NumberText(double v);
// NumberText, or "null" when absent.
std::string JsonNumber(std::optional<double> v);
// A JSON array of string literals.
std::string JsonStrings(const std::vector<std::string>& v);

}  // namespace govqm::render
