// JSON input: NDJSON (one object per line) and JSON arrays of objects, each record read with
// simdjson's on-demand parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace govqm {

struct JsonRecord {
  // NDJSON: the physical line of the object, first line = 1. JSON array: the element's number
  // in the array, first = 1 (the rejects file's _line; README "Loading your own exports").
  int64_t line = 0;
  // The physical line where the record starts (== line for NDJSON).
  int64_t source_line = 0;
  // key -> value as text: strings unescaped, numbers as their literal text, true/false as
  // "true"/"false", null as "", a nested object/array as its raw JSON text. Valid until the
  // next Next().
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  // Non-empty: this record is not a JSON object (a row-level rejection; reading continues).
  std::string error;
};

// Reads one JSON object's text into a record: a reusable simdjson parser and padded buffer.
class JsonObjectParser {
 public:
  JsonObjectParser();
  ~JsonObjectParser();
  JsonObjectParser(const JsonObjectParser&) = delete;
  JsonObjectParser& operator=(const JsonObjectParser&) = delete;

  // Fills record->fields from `text` (one JSON value, surrounding whitespace allowed), or
  // clears them and sets record->error when it is not exactly one valid JSON object.
  // record->line is left alone. The fields are valid until the next Parse().
  void Parse(std::string_view text, JsonRecord* record);

 private:
  struct Impl;  // the simdjson parser, kept out of this header
  std::unique_ptr<Impl> impl_;
};

// Reads the objects of NDJSON text one line at a time. Lines end at LF (a CR before it is
// dropped); blank lines are skipped. Duplicate keys are all reported, in order.
class NdjsonReader {
 public:
  // `text` must outlive the reader and the records it fills.
  // `first_line`: the physical line of the text's first byte (a block of a bigger file).
  explicit NdjsonReader(std::string_view text, int64_t first_line = 1)
      : text_(text), line_(first_line - 1) {}

  // Fills *record with the next non-blank line and returns true; false at the end of input.
  // A line that is not one valid JSON object comes back with fields empty and error set.
  bool Next(JsonRecord* record);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  JsonObjectParser parser_;
};

// Reads the elements of a JSON array (the whole text is one array) one at a time. The array's
// structure (brackets, strings, commas) is checked here, so one bad element — a malformed
// number, a syntax error inside it, a value that is not an object — is a rejection of that
// element alone; only a broken structure, after which no element boundary can be trusted,
// refuses the file.
class JsonArrayReader {
 public:
  // `text` must outlive the reader and the records it fills.
  explicit JsonArrayReader(std::string_view text) : text_(text) {}

  // Fills *record with the next element and returns true; false at the end of the array
  // (*error untouched) or on a broken structure: *error = Status::Invalid("not valid JSON:
  // WHY (line L)"). After false, stays false. An element's own error ends in "(line L)",
  // the physical line it starts on.
  bool Next(JsonRecord* record, Status* error);

 private:
  bool Fail(Status* error, std::string why, int64_t line);
  void SkipSpace();

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;      // physical line at pos_
  int64_t elements_ = 0;  // elements returned so far
  bool started_ = false;  // the opening '[' was read
  bool done_ = false;
  JsonObjectParser parser_;
};

}  // namespace govqm
