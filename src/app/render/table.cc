#include "app/render/table.h"

#include <algorithm>

namespace govqm::render {

size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    w += c >= 0xE0 ? 2 : 1;
  }
  return w;
}

std::string Pad(const std::string& s, size_t width, bool right) {
  const size_t w = DisplayWidth(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}

std::string RenderTable(const std::vector<std::vector<std::string>>& rows,
                        const TableStyle& style) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size());
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], DisplayWidth(r[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line = style.indent;
    for (size_t i = 0; i < r.size(); ++i) {
      line += Pad(r[i], width[i], i >= style.left_columns);
      if (i + 1 < r.size()) line += "  ";
    }
    if (style.trim_trailing) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
    }
    out += line;
    out.push_back('\n');
  }
  return out;
}

}  // namespace govqm::render
