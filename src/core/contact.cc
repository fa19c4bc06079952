#include "core/contact.h"

#include <cstdint>

namespace govqm {
namespace {

bool IsMobile(std::string_view d) {
  return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}
bool IsLandline(std::string_view d) {
  return d.size() >= 10 && d.size() <= 12 && d[0] == '0' && d[1] != '0';
}

}  // namespace

std::optional<std::string> NormaliseContact(std::string_view text) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      ++i;
    } else if (i + 2 < text.size() && static_cast<uint8_t>(c) == 0xEF &&
               static_cast<uint8_t>(text[i + 1]) == 0xBC &&
               static_cast<uint8_t>(text[i + 2]) >= 0x90 &&
               static_cast<uint8_t>(text[i + 2]) <= 0x99) {  // full-width ０..９
      digits.push_back(static_cast<char>('0' + (static_cast<uint8_t>(text[i + 2]) - 0x90)));
      i += 3;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')') {
      ++i;
    } else {
      return std::nullopt;
    }
  }
  // A country prefix: +86, 0086, or 86 before a mobile.
  size_t prefix = 0;
  if (!plus && digits.rfind("0086", 0) == 0) {
    prefix = 4;
  } else if (digits.rfind("86", 0) == 0 && (plus || IsMobile(std::string_view(digits).substr(2)))) {
    prefix = 2;
  } else if (plus) {
    return std::nullopt;  // another country's number: not one a revisit here calls
  }
  std::string d = digits.substr(prefix);
  // After +86 a landline's area code drops its leading 0: give it back.
  if (prefix > 0 && !IsMobile(d) && !d.empty() && d[0] != '0') d.insert(d.begin(), '0');
  if (IsMobile(d) || IsLandline(d)) return d;
  return std::nullopt;
}

}  // namespace govqm
