// The XLSX adapter: a plain description of a workbook (sheets of typed cells with a few
// named styles) written as the bytes of an .xlsx file with libxlsxwriter. Numbers are stored
// as numbers, texts as shared strings. libxlsxwriter 1.1.4 (Debian 12) writes only to a named
// file, so the workbook goes through a private temporary file (created 0600 with mkstemp,
// removed before returning); callers then write the bytes where they belong (WriteFileAtomic
// for a file, the body of an HTTP answer). Thread-safe: every call has its own workbook.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace govqm::platform {

enum class XlsxStyle {
  kText,      // plain text
  kWrap,      // text wrapped in its column
  kTitle,     // the sheet's title line
  kNote,      // a grey explanatory line
  kHeader,    // a column heading (bold, shaded, bordered)
  kInteger,   // 0
  kDecimal1,  // 0.0
  kDecimal2,  // 0.00
  kDecimal4,  // 0.0000
  kPercent,   // 0.0% (the value is a fraction)
  kSigned1,   // +0.0;-0.0;0.0
  kBold,      // bold text
};

struct XlsxCell {
  bool number = false;
  bool empty = true;
  double value = 0;
  std::string text;
  XlsxStyle style = XlsxStyle::kText;

  static XlsxCell Text(std::string t, XlsxStyle s = XlsxStyle::kText) {
    XlsxCell c;
    c.empty = false;
    c.text = std::move(t);
    c.style = s;
    return c;
  }
  static XlsxCell Number(double v, XlsxStyle s) {
    XlsxCell c;
    c.empty = false;
    c.number = true;
    c.value = v;
    c.style = s;
    return c;
  }
  static XlsxCell Blank(XlsxStyle s = XlsxStyle::kText) {
    XlsxCell c;
    c.style = s;
    return c;
  }
};

// A cell range (0-based, inclusive) given a red–yellow–green colour scale over 0–100.
struct XlsxRange {
  int first_row = 0, first_col = 0, last_row = 0, last_col = 0;
};

struct XlsxSheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (checked: Invalid otherwise)
  std::vector<std::vector<XlsxCell>> rows;
  std::vector<double> widths;  // per column, in characters (0 = the default)
  int freeze_rows = 0, freeze_cols = 0;
  std::vector<XlsxRange> score_scales;
  bool landscape = false;
};

struct XlsxWorkbook {
  std::string title, subject;
  std::vector<XlsxSheet> sheets;
};

// The workbook as .xlsx bytes. kInvalidInput for a bad or repeated sheet name; kIo when the
// temporary file cannot be written or read back ("PATH: reason").
Result<std::string> XlsxBytes(const XlsxWorkbook& book);

}  // namespace govqm::platform
