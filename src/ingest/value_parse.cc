#include "ingest/value_parse.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace govqm {
namespace {

constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

constexpr char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Case-insensitive equality with a lower-case ASCII word.
bool EqualsLower(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (LowerAscii(s[i]) != lower_word[i]) return false;
  }
  return true;
}

// The decimal exponent of the leading significant digit of a well-formed real literal
// ("123.4" -> 2, "0.001e2" -> -1), saturated: only its sign matters to the caller.
int64_t DecimalMagnitude(std::string_view lit) {
  size_t i = 0;
  if (i < lit.size() && (lit[i] == '-' || lit[i] == '+')) ++i;
  int64_t pos = 0;  // digits before the point, minus leading zeros, or the leading zeros after it
  bool seen = false;
  for (; i < lit.size() && lit[i] >= '0' && lit[i] <= '9'; ++i) {
    if (lit[i] != '0') seen = true;
    if (seen) ++pos;
  }
  if (i < lit.size() && lit[i] == '.') {
    for (++i; i < lit.size() && lit[i] >= '0' && lit[i] <= '9'; ++i) {
      if (seen) continue;
      if (lit[i] != '0') seen = true;
      else --pos;
    }
  }
  int64_t exp = 0;
  if (i < lit.size() && (lit[i] == 'e' || lit[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < lit.size() && (lit[i] == '-' || lit[i] == '+')) neg = lit[i++] == '-';
    for (; i < lit.size() && lit[i] >= '0' && lit[i] <= '9'; ++i) {
      if (exp < 1000000000) exp = exp * 10 + (lit[i] - '0');
    }
    if (neg) exp = -exp;
  }
  return pos - 1 + exp;
}

}  // namespace


bool ParseBool(std::string_view s, int8_t* out) {
  s = TrimAscii(s);
  switch (s.size()) {
    case 1:
      switch (LowerAscii(s[0])) {
        case '1': case 't': case 'y': *out = 1; return true;
        case '0': case 'f': case 'n': *out = 0; return true;
        default: return false;
      }
    case 2:
      if (EqualsLower(s, "no")) { *out = 0; return true; }
      return false;
    case 3:
      if (EqualsLower(s, "yes")) { *out = 1; return true; }
      if (s == "\xe6\x98\xaf") { *out = 1; return true; }  // 是
      if (s == "\xe5\x90\xa6") { *out = 0; return true; }  // 否
      return false;
    case 4:
      if (EqualsLower(s, "true")) { *out = 1; return true; }
      return false;
    case 5:
      if (EqualsLower(s, "false")) { *out = 0; return true; }
      return false;
    default:
      return false;
  }
}

NumberError ReadInt32(std::string_view s, int32_t* out) {
  s = TrimAscii(s);
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (p < end && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end || *p < '0' || *p > '9') return NumberError::kSyntax;
  // Accumulate in int64, saturating, so overflow is detected without UB while the rest of
  // the text is still checked (a long run of digits followed by "x" is garbage, not too large).
  int64_t v = 0;
  bool overflow = false;
  while (p < end && *p >= '0' && *p <= '9') {
    if (!overflow) {
      v = v * 10 + (*p - '0');
      if (v > 2147483648LL) overflow = true;
    }
    ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    while (p < end && *p == '0') ++p;
  }
  if (p != end) return NumberError::kSyntax;
  if (overflow) return negative ? NumberError::kTooSmall : NumberError::kTooLarge;
  if (negative) v = -v;
  if (v > 2147483647LL) return NumberError::kTooLarge;
  *out = static_cast<int32_t>(v);
  return NumberError::kNone;
}

NumberError ReadReal(std::string_view s, double* out) {
  s = TrimAscii(s);
  const char* p = s.data();
  const char* end = p + s.size();
  if (p < end && *p == '+') {
    ++p;
    if (p < end && *p == '-') return NumberError::kSyntax;
  }
  if (p == end) return NumberError::kSyntax;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(p, end, v, std::chars_format::general);
  if (ptr != end) return NumberError::kSyntax;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves v alone here: tell overflow from underflow by the magnitude.
    const bool minus = *p == '-';
    if (DecimalMagnitude(std::string_view(p, static_cast<size_t>(end - p))) < 0) {
      return NumberError::kUnderflow;
    }
    return minus ? NumberError::kTooSmall : NumberError::kTooLarge;
  }
  if (ec != std::errc()) return NumberError::kSyntax;
  if (!std::isfinite(v)) return NumberError::kSyntax;  // "inf", "nan"
  *out = v;
  return NumberError::kNone;
}

bool ParseInt32(std::string_view s, int32_t* out) { return ReadInt32(s, out) == NumberError::kNone; }

bool ParseReal(std::string_view s, double* out) { return ReadReal(s, out) == NumberError::kNone; }

}  // namespace govqm
