// NDJSON and JSON-array readers over any bytes: they stop, element numbers count up, and an
// element either has fields or an error, never both.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fuzz_check.h"
#include "ingest/ndjson_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    govqm::NdjsonReader reader(text);
    govqm::JsonRecord rec;
    int64_t last = 0;
    while (reader.Next(&rec)) {
      FUZZ_CHECK(rec.line > last);
      last = rec.line;
      FUZZ_CHECK(rec.error.empty() || rec.fields.empty());
      for (const auto& [k, v] : rec.fields) FUZZ_CHECK(k.size() + v.size() <= 4 * size + 16);
    }
  }
  {
    govqm::JsonArrayReader reader(text);
    govqm::JsonRecord rec;
    govqm::Status error;
    int64_t n = 0;
    int64_t last_source_line = 0;
    while (reader.Next(&rec, &error)) {
      FUZZ_CHECK(rec.line == ++n);
      FUZZ_CHECK(rec.source_line >= last_source_line);
      last_source_line = rec.source_line;
      FUZZ_CHECK(rec.error.empty() || rec.fields.empty());
      FUZZ_CHECK(static_cast<size_t>(n) <= size);
    }
    FUZZ_CHECK(!reader.Next(&rec, &error));
  }
  return 0;
}
