#include "platform/xlsx.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "platform/file.h"

namespace govqm::platform {
namespace {

// Removes the temporary file however the writing ends.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

struct Formats {
  lxw_format* style[12] = {};
  lxw_format* Of(XlsxStyle s) const { return style[static_cast<int>(s)]; }
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  auto add = [&](XlsxStyle s) {
    lxw_format* x = workbook_add_format(wb);
    format_set_font_size(x, 10);
    f.style[static_cast<int>(s)] = x;
    return x;
  };
  add(XlsxStyle::kText);
  format_set_text_wrap(add(XlsxStyle::kWrap));
  lxw_format* title = add(XlsxStyle::kTitle);
  format_set_bold(title);
  format_set_font_size(title, 14);
  format_set_font_color(title, 0x9B1C1C);
  lxw_format* note = add(XlsxStyle::kNote);
  format_set_font_color(note, 0x5B6475);
  format_set_font_size(note, 9);
  lxw_format* header = add(XlsxStyle::kHeader);
  format_set_bold(header);
  format_set_bg_color(header, 0xEEF0F4);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_num_format(add(XlsxStyle::kInteger), "0");
  format_set_num_format(add(XlsxStyle::kDecimal1), "0.0");
  format_set_num_format(add(XlsxStyle::kDecimal2), "0.00");
  format_set_num_format(add(XlsxStyle::kDecimal4), "0.0000");
  format_set_num_format(add(XlsxStyle::kPercent), "0.0%");
  format_set_num_format(add(XlsxStyle::kSigned1), "+0.0;-0.0;0.0");
  format_set_bold(add(XlsxStyle::kBold));
  return f;
}

Status Check(lxw_error e, const std::string& what) {
  if (e == LXW_NO_ERROR) return Status::Ok();
  return Status::Io(fmt::format("{}: {}", what, lxw_strerror(e)));
}

}  // namespace

Result<std::string> XlsxBytes(const XlsxWorkbook& book) {
  // The sheet names first: libxlsxwriter would otherwise refuse them one by one.
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    const std::string& name = book.sheets[i].name;
    if (name.empty() || name.find_first_of("[]:*?/\\") != std::string::npos) {
      return Status::Invalid(fmt::format("sheet name '{}' is not allowed", name));
    }
    for (size_t j = 0; j < i; ++j) {
      if (book.sheets[j].name == name) {
        return Status::Invalid(fmt::format("sheet name '{}' repeats", name));
      }
    }
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "govqm-xlsx-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return Status::Io(fmt::format("{}: cannot create: {}", pattern, std::strerror(errno)));
  }
  ::close(fd);
  TempFile temp{pattern};
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(temp.path.c_str(), &options);
  if (wb == nullptr) return Status::Io(fmt::format("{}: cannot create the workbook", temp.path));
  lxw_doc_properties props = {};
  props.title = const_cast<char*>(book.title.c_str());
  props.subject = const_cast<char*>(book.subject.c_str());
  props.author = const_cast<char*>("govqm");
  workbook_set_properties(wb, &props);
  const Formats formats = MakeFormats(wb);
  Status failed;
  for (const XlsxSheet& sheet : book.sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
    if (ws == nullptr) {
      failed = Status::Invalid(fmt::format("sheet name '{}' is not allowed", sheet.name));
      break;
    }
    worksheet_set_paper(ws, 9);  // A4
    if (sheet.landscape) worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    for (size_t c = 0; c < sheet.widths.size(); ++c) {
      if (sheet.widths[c] > 0) {
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             sheet.widths[c], nullptr);
      }
    }
    for (size_t r = 0; r < sheet.rows.size() && failed.ok(); ++r) {
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const XlsxCell& cell = sheet.rows[r][c];
        lxw_format* f = formats.Of(cell.style);
        const auto row = static_cast<lxw_row_t>(r);
        const auto col = static_cast<lxw_col_t>(c);
        lxw_error e = LXW_NO_ERROR;
        if (cell.empty) {
          if (cell.style == XlsxStyle::kHeader) e = worksheet_write_blank(ws, row, col, f);
        } else if (cell.number && std::isfinite(cell.value)) {
          e = worksheet_write_number(ws, row, col, cell.value, f);
        } else if (!cell.number) {
          e = worksheet_write_string(ws, row, col, cell.text.c_str(), f);
        }
        failed = Check(e, fmt::format("sheet '{}' row {} column {}", sheet.name, r + 1, c + 1));
        if (!failed.ok()) break;
      }
    }
    if (!failed.ok()) break;
    for (const XlsxRange& range : sheet.score_scales) {
      lxw_conditional_format scale = {};
      scale.type = LXW_CONDITIONAL_3_COLOR_SCALE;
      scale.min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
      scale.min_value = 40;
      scale.min_color = 0xF8696B;
      scale.mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
      scale.mid_value = 70;
      scale.mid_color = 0xFFEB84;
      scale.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
      scale.max_value = 100;
      scale.max_color = 0x63BE7B;
      failed = Check(worksheet_conditional_format_range(
                         ws, static_cast<lxw_row_t>(range.first_row),
                         static_cast<lxw_col_t>(range.first_col),
                         static_cast<lxw_row_t>(range.last_row),
                         static_cast<lxw_col_t>(range.last_col), &scale),
                     "sheet '" + sheet.name + "' colour scale");
      if (!failed.ok()) break;
    }
    if (!failed.ok()) break;
    if (sheet.freeze_rows > 0 || sheet.freeze_cols > 0) {
      worksheet_freeze_panes(ws, static_cast<lxw_row_t>(sheet.freeze_rows),
                             static_cast<lxw_col_t>(sheet.freeze_cols));
    }
  }
  // Closing writes the file (and frees the workbook) whatever happened above.
  const lxw_error closed = workbook_close(wb);
  GOVQM_RETURN_IF_ERROR(failed);
  if (closed != LXW_NO_ERROR) {
    return Status::Io(fmt::format("{}: cannot write: {}", temp.path, lxw_strerror(closed)));
  }
  return ReadFile(temp.path);
}

}  // namespace govqm::platform
