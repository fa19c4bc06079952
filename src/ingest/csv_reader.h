// RFC 4180 CSV over UTF-8 text, zero-copy: fields are views into the text, except fields with
// "" escapes (or text after a closing quote), which are assembled in a reusable buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace govqm {

struct CsvRecord {
  int64_t line = 0;                      // physical line where the record starts, first line = 1
  std::vector<std::string_view> fields;  // valid until the next Next()
};

// Reads records one at a time. Quoted fields may hold commas, "" and line breaks; CRLF, LF and
// CR all end a line; a completely empty line is skipped; a quote inside an unquoted field is
// taken literally, as is text between a closing quote and the next comma.
class CsvReader {
 public:
  // `text` must outlive the reader and the records it fills; a leading UTF-8 BOM is skipped.
  explicit CsvReader(std::string_view text);

  // Fills *record with the next record and returns true. Returns false at the end of input
  // (*error untouched) or on a fatal error: *error = Status::Invalid("line L: unterminated
  // quoted field"), L being the line where that field opens. After false, stays false.
  bool Next(CsvRecord* record, Status* error);

  // The physical line the next record starts on (after the last one read).
  int64_t next_line() const { return line_; }

 private:
  // Reads a quoted field starting at the opening quote; false when it never closes.
  bool ReadQuoted(CsvRecord* record);

  const char* p_;
  const char* end_;
  int64_t line_ = 1;
  // Unescaped field bytes of the current record; fields point into it once the record is done
  // (until then it may reallocate, so pending_ keeps offsets).
  std::string scratch_;
  struct Pending {
    size_t field;
    size_t offset;
    size_t size;
  };
  std::vector<Pending> pending_;
};

}  // namespace govqm
