// NDJSON: one JSON object per line, read with simdjson's on-demand parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace govqm {

struct JsonRecord {
  int64_t line = 0;  // physical line of the object, first line = 1
  // key -> value as text: strings unescaped, numbers as their literal text, true/false as
  // "true"/"false", null as "", a nested object/array as its raw JSON text. Valid until the
  // next Next().
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  // Non-empty: this line is not a JSON object (a row-level rejection; reading continues).
  std::string error;
};

// Reads the objects of NDJSON text one line at a time. Lines end at LF (a CR before it is
// dropped); blank lines are skipped. Duplicate keys are all reported, in order.
class NdjsonReader {
 public:
  // `text` must outlive the reader and the records it fills.
  explicit NdjsonReader(std::string_view text);
  ~NdjsonReader();
  NdjsonReader(const NdjsonReader&) = delete;
  NdjsonReader& operator=(const NdjsonReader&) = delete;

  // Fills *record with the next non-blank line and returns true; false at the end of input.
  // A line that is not one valid JSON object comes back with fields empty and error set.
  bool Next(JsonRecord* record);

 private:
  struct Impl;  // the simdjson parser, kept out of this header
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace govqm
