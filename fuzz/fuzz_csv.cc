// CsvReader over any bytes: never reads outside the text, lines only grow, every field is a
// view into the text or the reader's own buffer, and the reader stops.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A copy of exactly `size` bytes, so ASan sees any read past the end.
  const std::string text(reinterpret_cast<const char*>(data), size);
  govqm::CsvReader reader(text);
  govqm::CsvRecord rec;
  govqm::Status error;
  int64_t last_line = 0;
  size_t records = 0;
  size_t field_bytes = 0;
  while (reader.Next(&rec, &error)) {
    FUZZ_CHECK(rec.line > last_line);
    FUZZ_CHECK(!rec.fields.empty());
    last_line = rec.line;
    for (std::string_view f : rec.fields) field_bytes += f.size();
    FUZZ_CHECK(++records <= size);  // each record consumes at least one byte
    FUZZ_CHECK(field_bytes <= size);
  }
  FUZZ_CHECK(!reader.Next(&rec, &error));  // stays false
  return 0;
}
