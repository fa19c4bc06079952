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
  // `skip_bom` false: the text is a later block of a file, where those bytes are data.
  explicit CsvReader(std::string_view text, bool skip_bom = true);

  // Fills *record with the next record and returns true. Returns false at the end of input
  // (*error untouched) or on a fatal error: *error = Status::Invalid("line L: unterminated
  // quoted field"), L being the line where that field opens. After false, stays false.
  bool Next(CsvRecord* record, Status* error);

  // The physical line the next record starts on (after the last one read).
  int64_t next_line() const { return line_; }

  // Streaming (ingest/importer.cc reads a file a block at a time): the text may stop inside a
  // record, and more of it follows. Then a record that reaches the end of the text without a
  // line end, or a quoted field the text does not close, is not read: Next() returns false
  // with *error untouched and incomplete() true, and offset()/next_line() say where that
  // record starts, to be read again with the text that follows.
  void set_more_input(bool more) { more_input_ = more; }
  bool incomplete() const { return incomplete_; }
  // Bytes of the text consumed so far (the BOM included).
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }
  // Starts counting lines at `line` (the physical line of the text's first byte).
  void set_first_line(int64_t line) { line_ = line; }

 private:
  // Reads a quoted field starting at the opening quote; false when it never closes.
  bool ReadQuoted(CsvRecord* record);

  const char* begin_;
  const char* p_;
  const char* end_;
  int64_t line_ = 1;
  bool more_input_ = false;
  bool incomplete_ = false;
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
