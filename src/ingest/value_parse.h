// Scalar field parsers for imported text: booleans, integers, reals (domain.md §2).
// All take the raw field text, tolerate surrounding ASCII whitespace, and never allocate.
#pragma once

#include <cstdint>
#include <string_view>

namespace govqm {

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
// Without leading and trailing ASCII spaces (space, tab, CR, LF, VT, FF). Inline: called
// for every field.
inline std::string_view TrimAscii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// true/false, 1/0, yes/no, y/n, t/f, 是/否 in any ASCII case -> 1/0 in *out.
// Returns false (leaving *out alone) for anything else, including empty text.
bool ParseBool(std::string_view s, int8_t* out);

// Why a number could not be read, so a rejection can say what is wrong.
enum class NumberError : uint8_t {
  kNone,        // read; *out set
  kSyntax,      // not a number of that kind at all (empty, garbage, "3.5" for an integer)
  kTooLarge,    // a well-formed number above the type's range (int32 max, or ±inf for a double)
  kTooSmall,    // a well-formed number below the type's range (int32 min, or -inf)
  kUnderflow,   // a well-formed real too close to zero for a double (e.g. 1e-999), not zero
};

// A decimal int32 with optional sign; "3.0"/"3." style integral decimals are accepted.
// kSyntax for empty text, garbage or a fractional part ("3.5"); kTooLarge/kTooSmall for a
// well-formed integer outside int32 ("2147483648"). *out is set only on kNone.
NumberError ReadInt32(std::string_view s, int32_t* out);

// A finite decimal real (std::from_chars syntax plus an optional '+'). kSyntax for empty text,
// garbage, inf or nan; kTooLarge/kTooSmall/kUnderflow for a well-formed number a double cannot
// hold ("1e999999", "-1e999", "1e-999"). *out is set only on kNone.
NumberError ReadReal(std::string_view s, double* out);

// ReadInt32 / ReadReal == kNone.
bool ParseInt32(std::string_view s, int32_t* out);
bool ParseReal(std::string_view s, double* out);

}  // namespace govqm
