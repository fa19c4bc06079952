// The table printer of every edge: rows of cells padded to columns by display width (a CJK
// character takes two columns), joined by two spaces.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace govqm::render {

// The display width of UTF-8 text: one column per character, two from U+0800 up (CJK).
size_t DisplayWidth(const std::string& s);
// Pads to `width` display columns: left-aligned text, or right-aligned when `right`.
std::string Pad(const std::string& s, size_t width, bool right);

struct TableStyle {
  size_t left_columns = 1;    // the first columns are left-aligned, the rest right-aligned
  bool trim_trailing = true;  // drop spaces at the end of each line
  std::string indent;         // put before every line
};

// Every row as one line (rows may have fewer cells than others), each ending in "\n".
std::string RenderTable(const std::vector<std::vector<std::string>>& rows, const TableStyle& style);

}  // namespace govqm::render
