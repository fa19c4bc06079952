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

}  // namespace

std::string_view TrimAscii(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsAsciiSpace(s[b])) ++b;
  while (e > b && IsAsciiSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

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

bool ParseInt32(std::string_view s, int32_t* out) {
  s = TrimAscii(s);
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (p < end && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end || *p < '0' || *p > '9') return false;
  // Accumulate in int64 with an early stop, so overflow is detected without UB.
  int64_t v = 0;
  while (p < end && *p >= '0' && *p <= '9') {
    v = v * 10 + (*p - '0');
    if (v > 2147483648LL) return false;
    ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    while (p < end && *p == '0') ++p;
  }
  if (p != end) return false;
  if (negative) v = -v;
  if (v > 2147483647LL) return false;
  *out = static_cast<int32_t>(v);
  return true;
}

bool ParseReal(std::string_view s, double* out) {
  s = TrimAscii(s);
  const char* p = s.data();
  const char* end = p + s.size();
  if (p < end && *p == '+') {
    ++p;
    if (p < end && *p == '-') return false;
  }
  if (p == end) return false;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(p, end, v, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace govqm
