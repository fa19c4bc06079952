// Error messages are one line (the CLI prints `govqm CMD: MESSAGE`, scripts read it), but
// they quote keys and values from files that TOML lets hold line breaks ("a\nb").
#pragma once

#include <string>
#include <string_view>

namespace govqm {

// `message` with control characters written as \n, \r, \t or \xNN.
inline std::string OneLine(std::string_view message) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(message.size());
  for (const char ch : message) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x20 && u != 0x7F) {
      out.push_back(ch);
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

}  // namespace govqm
