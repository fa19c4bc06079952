#include "core/scrub.h"

#include <cstdint>

namespace govqm {
namespace {

// The digit at `i` (ASCII, or full-width U+FF10..U+FF19 in UTF-8), its byte length in *len;
// -1 when none.
int DigitAt(std::string_view s, size_t i, size_t* len) {
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    *len = 1;
    return s[i] - '0';
  }
  if (i + 2 < s.size() && static_cast<uint8_t>(s[i]) == 0xEF &&
      static_cast<uint8_t>(s[i + 1]) == 0xBC) {
    const uint8_t b = static_cast<uint8_t>(s[i + 2]);
    if (b >= 0x90 && b <= 0x99) {
      *len = 3;
      return b - 0x90;
    }
  }
  return -1;
}

// Whether the digits of one run (separators removed) hold an identity, mobile or landline
// number. `trailing_x`: the run ends in X after its digits.
bool HoldsNumber(const std::string& d, bool trailing_x) {
  const size_t n = d.size();
  if (n >= 18 || (n >= 17 && trailing_x)) return true;  // identity number
  for (size_t p = 0; p + 11 <= n; ++p) {                // mobile
    if (d[p] == '1' && d[p + 1] >= '3' && d[p + 1] <= '9') return true;
  }
  for (size_t p = 0; p + 10 <= n; ++p) {  // landline: 0, 2-3 digits, 7-8 digits
    if (d[p] == '0') return true;
  }
  return false;
}

bool LocalChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool DomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-';
}
bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The end of an e-mail address whose '@' is at `at` and which starts at *begin (moved left
// over the local part); 0 when there is none.
size_t EmailEnd(std::string_view s, size_t at, size_t* begin) {
  size_t b = at;
  while (b > 0 && LocalChar(s[b - 1])) --b;
  if (b == at) return 0;
  size_t e = at + 1;
  while (e < s.size() && DomainChar(s[e])) ++e;
  // The domain must end in '.' + at least two letters (trailing dots are not part of it).
  while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
  size_t letters = 0;
  while (letters < e - at - 1 && Letter(s[e - 1 - letters])) ++letters;
  if (letters < 2 || e - letters - 1 <= at + 1 || s[e - letters - 1] != '.') return 0;
  *begin = b;
  return e;
}

}  // namespace

std::string ScrubPersonalData(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    if (DigitAt(s, i, &len) >= 0) {
      // A run of digits, with single '-' or ' ' between digits, and maybe a final X.
      std::string digits;
      size_t j = i;
      while (true) {
        const int d = DigitAt(s, j, &len);
        if (d >= 0) {
          digits.push_back(static_cast<char>('0' + d));
          j += len;
          continue;
        }
        if (j + 1 < s.size() && (s[j] == '-' || s[j] == ' ') && DigitAt(s, j + 1, &len) >= 0) {
          ++j;
          continue;
        }
        break;
      }
      bool x = false;
      if (j < s.size() && (s[j] == 'X' || s[j] == 'x') && digits.size() >= 17) {
        x = true;
        ++j;
      }
      if (HoldsNumber(digits, x)) {
        out += kScrubbed;
      } else {
        out.append(s.substr(i, j - i));
      }
      i = j;
      continue;
    }
    if (s[i] == '@') {
      size_t begin = 0;
      const size_t end = EmailEnd(s, i, &begin);
      if (end) {
        // The local part was already copied: take it back.
        out.resize(out.size() - (i - begin));
        out += kScrubbed;
        i = end;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

bool HasNoPersonalData(std::string_view text) { return ScrubPersonalData(text) == text; }

}  // namespace govqm
