#include "app/render/json.h"

#include <fmt/format.h>

#include "core/utf8.h"

namespace govqm::render {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
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
        } else if (c < 0x80) {
          out.push_back(static_cast<char>(c));
        } else if (const size_t n = Utf8SequenceAt(s, i)) {
          out.append(s.substr(i, n));
          i += n - 1;
        } else {
          // JSON is UTF-8 (RFC 8259): a byte that is not (a request's parameter echoed in an
          // error, say) becomes U+FFFD, so that every client can still parse the answer.
          out += "\xEF\xBF\xBD";  // U+FFFD
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
