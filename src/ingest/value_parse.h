// Scalar field parsers for imported text: booleans, integers, reals (domain.md §2).
// All take the raw field text, tolerate surrounding ASCII whitespace, and never allocate.
#pragma once

#include <cstdint>
#include <string_view>

namespace govqm {

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view TrimAscii(std::string_view s);

// true/false, 1/0, yes/no, y/n, t/f, 是/否 in any ASCII case -> 1/0 in *out.
// Returns false (leaving *out alone) for anything else, including empty text.
bool ParseBool(std::string_view s, int8_t* out);

// A decimal int32 with optional sign; "3.0"/"3." style integral decimals are accepted.
// Returns false for empty text, garbage, a fractional part ("3.5") or overflow.
bool ParseInt32(std::string_view s, int32_t* out);

// A finite decimal real (std::from_chars syntax plus an optional '+').
// Returns false for empty text, garbage, inf/nan, or values out of double range.
bool ParseReal(std::string_view s, double* out);

}  // namespace govqm
