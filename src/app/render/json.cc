#include "app/render/json.h"

#include <fmt/format.h>

namespace govqm::render {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string NumberText(double v) { return fmt::format("{}", v); }

std::string JsonNumber(std::optional<double> v) { return v ? NumberText(*v) : "null"; }

std::string JsonStrings(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + JsonString(v[i]);
  return s + "]";
}

}  // namespace govqm::render
